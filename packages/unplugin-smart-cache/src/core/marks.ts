import type { Parsed } from './parse.js'
import type { AstNode } from './walk.js'
import { RUNTIME } from './ids.js'
import { isFunction, walk } from './walk.js'

export { RUNTIME }
export const DIRECTIVE = 'use smart-cache'

/** A place in a module the plugin rewrites. `ancestors` runs from the Program to the parent. */
export type Mark =
  | { kind: 'call'; node: AstNode; ancestors: AstNode[] }
  | { kind: 'decorator'; node: AstNode; method: AstNode; ancestors: AstNode[] }
  | { kind: 'directive'; fn: AstNode; directive: AstNode; ancestors: AstNode[] }

/** Cheap text check run before any parsing: a module without this text has no mark. */
export function mayHaveMarks(code: string): boolean {
  return code.includes(RUNTIME)
}

/** Local names of the runtime's `smartCache` and of its namespace in a module, and the `require` calls that bind some. */
export interface RuntimeBindings {
  names: Set<string>
  namespaces: Set<string>
  /** `require('smart-cache')` calls of module-level `const … = require('smart-cache')` declarations. */
  requires: Set<AstNode>
}

const bindingsOf = new WeakMap<Parsed, RuntimeBindings>()

/**
 * Local names under which `smartCache` (named) and the module namespace are imported, or bound
 * at module level from `require('smart-cache')` (`const { smartCache } = require(…)`, `const sc = require(…)`).
 */
export function runtimeBindings(parsed: Parsed): RuntimeBindings {
  let b = bindingsOf.get(parsed)
  if (b) return b
  b = { names: new Set(), namespaces: new Set(), requires: new Set() }
  for (const { imported, local } of parsed.imports.get(RUNTIME) ?? []) {
    if (imported === 'smartCache') b.names.add(local)
    else if (imported === '*') b.namespaces.add(local)
  }
  for (const stmt of parsed.program.body as AstNode[])
    if (stmt.type === 'VariableDeclaration') for (const d of stmt.declarations) requireBinding(d, b)
  bindingsOf.set(parsed, b)
  return b
}

/** `require('smart-cache')`. */
export function isRuntimeRequire(node: AstNode): boolean {
  return (
    node.type === 'CallExpression' &&
    node.callee.type === 'Identifier' &&
    node.callee.name === 'require' &&
    node.arguments.length === 1 &&
    node.arguments[0].type === 'Literal' &&
    node.arguments[0].value === RUNTIME
  )
}

function requireBinding(d: AstNode, b: RuntimeBindings): void {
  const init = d.init
  if (!init || !isRuntimeRequire(init)) return
  if (d.id.type === 'Identifier') {
    b.namespaces.add(d.id.name)
    b.requires.add(init)
    return
  }
  if (d.id.type !== 'ObjectPattern') return
  const props = d.id.properties as AstNode[]
  // Only `{ smartCache }` / `{ smartCache: local }` (and other plain names): anything else escapes (the require is wrapped).
  if (!props.every(p => p.type === 'Property' && !p.computed && p.value.type === 'Identifier')) return
  for (const p of props) if ((p.key.name ?? p.key.value) === 'smartCache') b.names.add(p.value.name)
  b.requires.add(init)
}

function isSmartCacheRef(node: AstNode, b: RuntimeBindings): boolean {
  if (node.type === 'Identifier') return b.names.has(node.name)
  return (
    node.type === 'MemberExpression' &&
    !node.computed &&
    node.object.type === 'Identifier' &&
    b.namespaces.has(node.object.name) &&
    node.property.name === 'smartCache'
  )
}

/** A test for calls of `smartCache` imported from the runtime in this module. */
export function cacheCallTest(parsed: Parsed): (node: AstNode) => boolean {
  const b = runtimeBindings(parsed)
  return node => node.type === 'CallExpression' && isSmartCacheRef(node.callee, b)
}

/** The `'use smart-cache'` directive statement of a function, if it has one. */
export function directiveOf(fn: AstNode): AstNode | undefined {
  const body = fn.body
  if (!body || body.type !== 'BlockStatement') return undefined
  for (const stmt of body.body as AstNode[]) {
    if (stmt.type !== 'ExpressionStatement' || typeof stmt.directive !== 'string') return undefined
    if (stmt.directive === DIRECTIVE) return stmt
  }
  return undefined
}

/** Finds every mark of a module, in source order. */
export function findMarks(parsed: Parsed): Mark[] {
  const b = runtimeBindings(parsed)
  const hasImport = b.names.size > 0 || b.namespaces.size > 0
  const marks: Mark[] = []
  walk(parsed.program, (node, ancestors) => {
    if (hasImport && node.type === 'CallExpression' && isSmartCacheRef(node.callee, b)) {
      const parent = ancestors[ancestors.length - 1]
      if (parent?.type !== 'Decorator') marks.push({ kind: 'call', node, ancestors: [...ancestors] })
    } else if (hasImport && node.type === 'MethodDefinition') {
      for (const dec of node.decorators ?? []) {
        const expr = dec.expression.type === 'CallExpression' ? dec.expression.callee : dec.expression
        if (isSmartCacheRef(expr, b)) marks.push({ kind: 'decorator', node: dec, method: node, ancestors: [...ancestors, node] })
      }
    } else if (isFunction(node)) {
      const directive = directiveOf(node)
      if (directive) marks.push({ kind: 'directive', fn: node, directive, ancestors: [...ancestors] })
    }
  })
  return marks
}
