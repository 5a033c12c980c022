import type MagicString from 'magic-string'
import type { AstNode } from './walk.js'
import { walk } from './walk.js'

/**
 * Contract 2 meta object, as source text; `extra` holds further members as source text (`captures`…).
 * A function the engine gave no fingerprint gets `fingerprint: null`: the runtime runs it uncached
 * (caching it on its own source, as without the plugin, could serve results of old code).
 */
export function metaSource(id: string, fingerprint: Fingerprint, extra: Record<string, string> = {}): string {
  const more = Object.entries(extra)
    .map(([k, v]) => `, ${k}: ${v}`)
    .join('')
  const value =
    fingerprint === null ? 'null' : typeof fingerprint === 'string' ? JSON.stringify(fingerprint) : `${fingerprint.binding} ?? null`
  return `{ __smartCache: 1, id: ${JSON.stringify(id)}, fingerprint: ${value}${more} }`
}

/**
 * A fingerprint in the rewritten code: its hex digest, a binding imported from a module that holds
 * it (`undefined` there when the engine failed), or `null` when the engine failed.
 */
export type Fingerprint = string | { binding: string } | null

/** Skips whitespace and comments forward from `pos`. */
export function skipTrivia(code: string, pos: number): number {
  let i = pos
  while (i < code.length) {
    const c = code[i]!
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++
    } else if (c === '/' && code[i + 1] === '/') {
      const nl = code.indexOf('\n', i)
      i = nl === -1 ? code.length : nl + 1
    } else if (c === '/' && code[i + 1] === '*') {
      const close = code.indexOf('*/', i + 2)
      i = close === -1 ? code.length : close + 2
    } else {
      return i
    }
  }
  return i
}

/** `[start, end)` of a function's parameter list including its parentheses. */
export function paramsRange(code: string, fn: AstNode): [number, number] {
  const from = fn.typeParameters?.end ?? fn.id?.end ?? fn.start
  const open = code.indexOf('(', from)
  let pos = open + 1
  const params = fn.params as AstNode[]
  if (params.length > 0) pos = params[params.length - 1]!.end
  for (;;) {
    pos = skipTrivia(code, pos)
    if (code[pos] === ',') {
      pos++
      continue
    }
    break
  }
  return [open, pos + 1]
}

/** Placeholder parameters giving a wrapper the same `length` as `fn`. */
export function placeholderParams(fn: AstNode, prefix: string): string {
  const names: string[] = []
  for (const p of fn.params as AstNode[]) {
    if (p.type === 'Identifier' && p.name === 'this') continue
    if (p.type === 'AssignmentPattern' || p.type === 'RestElement') break
    names.push(`${prefix}${names.length}`)
  }
  return `(${names.join(', ')})`
}

/** Whether `name` is referenced inside `fn`'s body (approximate: ignores shadowing). */
export function referencesName(fn: AstNode, name: string): boolean {
  let found = false
  walk(fn.body, (node, ancestors) => {
    if (found) return false
    if (node.type === 'Identifier' && node.name === name) {
      const parent = ancestors[ancestors.length - 1]
      const isKey =
        parent &&
        (parent.type === 'MemberExpression' ||
          parent.type === 'Property' ||
          parent.type === 'MethodDefinition' ||
          parent.type === 'PropertyDefinition') &&
        !parent.computed &&
        (parent.property === node || parent.key === node)
      if (!isKey) found = true
    }
  })
  return found
}

const FUNCTION_SCOPES = ['FunctionExpression', 'FunctionDeclaration']

/** Whether a node of `type` stands in `fn`'s body outside the nested nodes of the `scopes` types. */
function bodyContains(fn: AstNode, type: string, scopes: string[]): boolean {
  let found = false
  walk(fn.body, node => {
    if (node.type === type) found = true
    if (found || scopes.includes(node.type)) return false
  })
  return found
}

/** Whether the function body uses `super` (which a plain function expression cannot). */
export function usesSuper(fn: AstNode): boolean {
  return bodyContains(fn, 'Super', FUNCTION_SCOPES)
}

/** Whether the function's own `this` is used (arrows inside included, nested functions and classes not). */
export function usesThis(fn: AstNode): boolean {
  return bodyContains(fn, 'ThisExpression', [...FUNCTION_SCOPES, 'ClassBody'])
}

/** A method's own name and placement, when its result depends on `this`. */
export interface MethodShape {
  name: string
  static: boolean
}

/**
 * Text around a function expression that makes it cached: the plain call shape, or, for a
 * method whose result depends on `this`, the decorator shape with a minimal standard
 * decorator context (so the runtime keys `this` too, as for `@smartCache`).
 */
function cacheCall(ctx: RewriteContext, meta: string, method?: MethodShape): [string, string] {
  if (!method) return [`${ctx.importName}(`, `, undefined, ${meta})`]
  const context = `{ kind: "method", name: ${JSON.stringify(method.name)}, static: ${method.static}, private: false, addInitializer() {} }`
  return [`${ctx.importName}(undefined, ${meta})(`, `, ${context})`]
}

export interface RewriteContext {
  s: MagicString
  code: string
  /** Local name of the imported `smartCache` for directive rewrites. */
  importName: string
  /** Allocates a fresh private identifier. */
  fresh: (hint: string) => string
  /** Declares a module-level `var` (the lazy slot of a wrapper). */
  declareVar: (name: string) => void
}

/** `smartCache(fn)` → `smartCache(fn, undefined, META)`; `smartCache(fn, o)` → `smartCache(fn, o, META)`. */
export function rewriteCall(ctx: RewriteContext, call: AstNode, meta: string): boolean {
  const args = call.arguments as AstNode[]
  if (args.length === 0 || args.length > 2 || args.some(a => a.type === 'SpreadElement')) return false
  ctx.s.appendLeft(args[args.length - 1]!.end, args.length === 1 ? `, undefined, ${meta}` : `, ${meta}`)
  const fn = args[0]!
  if (fn.type === 'FunctionExpression' && fn.id && referencesName(fn, fn.id.name)) wrapSelfReference(ctx, call, fn)
  return true
}

/** `@smartCache` → `@smartCache(undefined, META)`; `@smartCache(o)` → `@smartCache(o, META)`. */
export function rewriteDecorator(ctx: RewriteContext, decorator: AstNode, meta: string): boolean {
  const expr = decorator.expression
  if (expr.type !== 'CallExpression') {
    ctx.s.appendLeft(expr.end, `(undefined, ${meta})`)
    return true
  }
  const args = expr.arguments as AstNode[]
  if (args.length === 0) {
    ctx.s.overwrite(expr.callee.end, expr.end, `(undefined, ${meta})`)
    return true
  }
  if (args.length > 1 || args[0]!.type === 'SpreadElement') return false
  ctx.s.appendLeft(args[0]!.end, `, ${meta}`)
  return true
}

/**
 * A named function expression calling itself by its own name would bypass the cache:
 * drop the name and bind it, in a closure, to the cached function instead.
 */
function wrapSelfReference(ctx: RewriteContext, outer: AstNode, fn: AstNode): void {
  const name = fn.id.name as string
  ctx.s.overwrite(fn.id.start, fn.id.end, '')
  ctx.s.prependRight(outer.start, `((${name}) => ${name} = `)
  ctx.s.appendLeft(outer.end, `)()`)
}

/** Directive on an arrow or function expression: wrap the expression in the cached call. */
export function wrapExpression(ctx: RewriteContext, fn: AstNode, directive: AstNode, meta: string): void {
  ctx.s.remove(directive.start, directive.end)
  if (fn.type === 'FunctionExpression' && fn.id && referencesName(fn, fn.id.name)) {
    const name = fn.id.name as string
    ctx.s.overwrite(fn.id.start, fn.id.end, '')
    ctx.s.prependRight(fn.start, `((${name}) => ${name} = ${ctx.importName}(`)
    ctx.s.appendLeft(fn.end, `, undefined, ${meta}))()`)
    return
  }
  ctx.s.prependRight(fn.start, `${ctx.importName}(`)
  ctx.s.appendLeft(fn.end, `, undefined, ${meta})`)
}

/**
 * Directive on a function declaration or class method: keep the function itself (so a
 * declaration stays hoisted, keeps its name, `length` and `this`), and make its body call
 * the cached version of the original body, created once on first call.
 */
export function replaceBody(
  ctx: RewriteContext,
  fn: AstNode,
  directive: AstNode,
  meta: string,
  moduleLevel: boolean,
  method?: MethodShape,
): void {
  const [open, close] = paramsRange(ctx.code, fn)
  const params = ctx.code.slice(open, close)
  const slot = ctx.fresh('fn')
  if (moduleLevel) ctx.declareVar(slot)
  ctx.s.overwrite(open, close, placeholderParams(fn, `${slot}_`))
  ctx.s.remove(directive.start, directive.end)
  const kw = `${fn.async ? 'async ' : ''}function`
  const [head, tail] = cacheCall(ctx, meta, method)
  ctx.s.overwrite(fn.body.start, fn.body.start + 1, `{ return (${slot} || (${slot} = ${head}${kw} ${params} {`)
  ctx.s.appendLeft(fn.body.end, `${tail})).apply(this, arguments) }`)
  if (!moduleLevel) ctx.s.appendLeft(fn.end, ` var ${slot};`)
  else if (fn.type === 'FunctionDeclaration' && fn.id) ctx.s.appendLeft(fn.end, registerDirective(fn.id.name as string))
}

/**
 * After a top-level declaration marked with the directive: registers it for the runtime's
 * `cacheOf(fn)` (its `.stats`, `.fingerprint`, `.clear()`…), in a WeakSet on `globalThis`, so the
 * module needs no import for it (one that is not yet initialized in a circular import would throw).
 */
function registerDirective(name: string): string {
  const set = `globalThis[Symbol.for('smart-cache.directives')]`
  return `;typeof ${name} === 'function' && (${set} || (${set} = new WeakSet())).add(${name});`
}

/** Object method with the directive: `k(a) {…}` → `k: smartCache(function (a) {…}, undefined, META)`. */
export function rewriteObjectMethod(ctx: RewriteContext, prop: AstNode, directive: AstNode, meta: string, method?: MethodShape): void {
  const fn = prop.value
  const keyText = ctx.code.slice(prop.key.start, prop.key.end)
  const key = prop.computed ? `[${keyText}]` : keyText
  const [head, tail] = cacheCall(ctx, meta, method)
  ctx.s.remove(directive.start, directive.end)
  ctx.s.overwrite(prop.start, fn.start, `${key}: ${head}${fn.async ? 'async ' : ''}function `)
  ctx.s.appendLeft(fn.end, tail)
}
