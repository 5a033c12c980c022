import type { BuildCache } from './build-cache.js'
import type { DiagnosticsCollector, Diagnostic } from './diagnostics.js'
import type { BindingFingerprint, Engine } from './engine.js'
import type { Mark } from './marks.js'
import type { ResolvedOptions } from './options.js'
import type { Parsed } from './parse.js'
import type { MethodShape, RewriteContext } from './rewrite.js'
import type { AstNode } from './walk.js'
import MagicString from 'magic-string'
import { digest } from './build-cache.js'
import { position, sourceModule } from './diagnostics.js'
import { relativeId, fileOfId } from './ids.js'
import { findingsKey, fingerprintOf } from './fingerprints.js'
import { manifestEntry } from './manifest.js'
import { diagnosesFunction } from './options.js'
import { newOutput, type TransformOutput } from './transform-output.js'
import { CaptureFinder } from './captures.js'
import { escapeMessage, findEscapes, rewriteEscapes, unseenCall, type Escape } from './escapes.js'
import { cacheCallTest, findMarks, mayHaveMarks, RUNTIME } from './marks.js'
import { markMeta, markTarget, syncMessage } from './mark-meta.js'
import { nameMark } from './naming.js'
import { parseModule } from './parse.js'
import {
  metaSource,
  replaceBody,
  rewriteCall,
  rewriteDecorator,
  rewriteObjectMethod,
  usesSuper,
  usesThis,
  wrapExpression,
} from './rewrite.js'
import { isFunction } from './walk.js'

export interface TransformEnv {
  root: string
  engine: Engine
  options: ResolvedOptions
  diagnostics: DiagnosticsCollector
  /** Rewrites and findings of earlier builds. */
  cache: BuildCache
}

/** Why a directive function cannot be rewritten, if it cannot. */
export function unsupported(mark: Extract<Mark, { kind: 'directive' }>): string | undefined {
  const fn = mark.fn
  const parent = mark.ancestors[mark.ancestors.length - 1]
  if (fn.generator) return 'a generator cannot be cached'
  if ((parent?.type === 'MethodDefinition' || parent?.type === 'Property') && parent.kind !== 'method' && parent.kind !== 'init')
    return `a ${parent.kind === 'constructor' ? 'constructor' : 'getter or setter'} cannot be cached`
  if (parent?.type === 'MethodDefinition') {
    if (usesSuper(fn)) return 'a method using `super` cannot be cached by the directive; use the @smartCache decorator'
    if (mark.ancestors.some(isFunction))
      return 'the directive on a method of a class declared inside a function is not supported; declare the class at module level or use the @smartCache decorator'
  }
  if (parent?.type === 'Property' && parent.method && usesSuper(fn)) return 'a method using `super` cannot be cached by the directive'
  return undefined
}

/** Why a function gets no fingerprint (the engine failed, or it reaches code the engine cannot see): it runs uncached. */
function unfingerprinted(id: string, result: Error | BindingFingerprint): string {
  if (!(result instanceof Error) && result.uncacheable)
    return `${id} runs uncached (every call computes): ${result.uncacheable}, so an edit there could not invalidate its results.`
  const why = result instanceof Error ? result.message : 'no hash'
  return `the fingerprint engine failed for ${id} (${why}); the function runs uncached (every call computes) until a build fingerprints it.`
}

export function markStart(mark: Mark): number {
  return mark.kind === 'call' ? mark.node.start : mark.kind === 'decorator' ? mark.node.start : mark.fn.start
}

function freshNames(code: string) {
  let n = 0
  return (hint: string): string => {
    let name: string
    do name = `__smartCache_${hint}${n++}`
    while (code.includes(name))
    return name
  }
}

interface Located {
  at: (offset: number) => string
}

interface Planned {
  mark: Mark
  id: string
  engineName: string
  /** Why the function runs uncached without asking the engine (it has no name, or the plugin cannot see the function). */
  unseen?: string
}

/**
 * Names each supported mark with a unique id; warns about (and drops) unsupported directives. A
 * call with no module-level name gets an id from its place and runs uncached: caching it on its
 * source text alone (what the runtime does without a fingerprint) could serve old results.
 */
function planMarks(marks: Mark[], rel: string, warn: (offset: number, message: string) => void, at: (offset: number) => string): Planned[] {
  const used = new Set<string>()
  const planned: Planned[] = []
  for (const mark of marks) {
    const reason = mark.kind === 'directive' ? unsupported(mark) : undefined
    if (reason) {
      warn(markStart(mark), `${reason}; the function is left uncached (remove 'use smart-cache' to silence this).`)
      continue
    }
    const name = nameMark(mark)
    if (!name) {
      if (mark.kind === 'directive') {
        warn(markStart(mark), UNNAMED_DIRECTIVE)
        continue
      }
      planned.push({ mark, id: at(markStart(mark)), engineName: '', unseen: UNNAMED })
      continue
    }
    let id = `${rel}#${name.binding}`
    for (let k = 2; used.has(id); k++) id = `${rel}#${name.binding}~${k}`
    used.add(id)
    planned.push({ mark, id, engineName: name.engineName })
  }
  return planned
}

const UNNAMED =
  'this cached function is not held by a module-level binding, so the build cannot fingerprint it (nothing names it for the engine): it runs uncached (every call computes). Fix: assign it to a module-level const (or an object key / class member of one).'
const UNNAMED_DIRECTIVE =
  "this function is not held by a module-level binding, so it has no stable id; it is left uncached. Fix: assign it to a module-level const (or an object key / class member of one), or remove 'use smart-cache' to silence this."

/**
 * Why the function a call caches cannot be seen by the plugin: `smartCache(fn)` in a wrapper,
 * where `fn` (or what the function is taken from) is a variable of an enclosing function. Its
 * fingerprint would be the wrapper's, and the runtime could not key the function it receives.
 */
function passedFunction(mark: Mark, finder: CaptureFinder): string | undefined {
  if (mark.kind !== 'call') return undefined
  const { target, ancestors } = markTarget(mark)
  if (isFunction(target)) return undefined
  const root = functionRoot(target)
  if (!root || !finder.find(target, ancestors).captures.some(c => c.name === root)) return undefined
  return (
    `smartCache is given a function taken from \`${root}\`, a variable of an enclosing function (a wrapper such as \`(fn) => smartCache(fn, options)\`): the build cannot see which function that is, so the functions cached through it run uncached (every call computes). ` +
    'Fix: call smartCache where each function is written (smartCache(async (…) => …, options)), sharing options through a module-level const or configure().'
  )
}

/** The variable a function expression is taken from: `fn`, `opts.fn`, `fn.bind(x)`, `fn!`; `undefined` for anything else. */
function functionRoot(node: AstNode): string | undefined {
  switch (node.type) {
    case 'Identifier':
      return node.name
    case 'MemberExpression':
      return functionRoot(node.object)
    case 'CallExpression':
      return functionRoot(node.callee)
    case 'ChainExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'TSInstantiationExpression':
      return functionRoot(node.expression)
    default:
      return undefined
  }
}

export function rewriteMark(ctx: RewriteContext, mark: Mark, meta: string): boolean {
  if (mark.kind === 'call') return rewriteCall(ctx, mark.node, meta)
  if (mark.kind === 'decorator') return rewriteDecorator(ctx, mark.node, meta)
  const parent = mark.ancestors[mark.ancestors.length - 1]
  const method = (p: AstNode): MethodShape | undefined =>
    usesThis(mark.fn)
      ? { name: p.key.type === 'PrivateIdentifier' ? `#${p.key.name}` : String(p.key.name ?? p.key.value ?? ''), static: !!p.static }
      : undefined
  if (parent?.type === 'MethodDefinition') replaceBody(ctx, mark.fn, mark.directive, meta, true, method(parent))
  else if (parent?.type === 'Property' && parent.method) rewriteObjectMethod(ctx, parent, mark.directive, meta, method(parent))
  else if (mark.fn.type === 'FunctionDeclaration') replaceBody(ctx, mark.fn, mark.directive, meta, !mark.ancestors.some(isFunction))
  else wrapExpression(ctx, mark.fn, mark.directive, meta)
  return true
}

/**
 * Rewrites the marks of one module. Returns `null` when the module has no mark or does not
 * parse (the bundler then reports the syntax error itself).
 */
export async function transformModule(code: string, id: string, env: TransformEnv): Promise<TransformOutput | null> {
  if (!mayHaveMarks(code)) return null
  const file = fileOfId(id)
  const parsed = parseModule(file, code)
  if (!parsed) return null
  const marks = findMarks(parsed)
  const escapes = findEscapes(parsed, code)
  if (marks.length === 0 && escapes.length === 0) {
    env.cache.setModule(relativeId(env.root, file), { digest: digest(code), plan: [], code: null, map: null, notes: [], syncMarks: [] })
    return null
  }
  return rewriteModule(code, file, parsed, marks, escapes, env)
}

/** What rewriting one parsed module needs, shared by the full, the deferred and the foreign rewrite. */
export interface Rewriting {
  rel: string
  self: ReturnType<typeof sourceModule>
  loc: Located
  s: MagicString
  ctx: RewriteContext
  vars: string[]
  finder: CaptureFinder
}

export function startRewrite(code: string, file: string, parsed: Parsed, root: string): Rewriting {
  const rel = relativeId(root, file)
  const self = sourceModule(file, code, parsed)
  const loc: Located = {
    at: o => {
      const p = position(self.lineStarts, o)
      return `${rel}:${p.line}:${p.column + 1}`
    },
  }
  const s = new MagicString(code)
  const fresh = freshNames(code)
  const vars: string[] = []
  const ctx: RewriteContext = { s, code, importName: fresh('smartCache'), fresh, declareVar: name => vars.push(name) }
  return { rel, self, loc, s, ctx, vars, finder: new CaptureFinder(parsed.program, cacheCallTest(parsed)) }
}

/** The rewritten code (with the module-level `var`s the rewrite declared) and its source map. */
export function finishRewrite(r: Rewriting, file: string): { code: string; map: ReturnType<MagicString['generateMap']> } {
  if (r.vars.length > 0) r.s.append(`\nvar ${r.vars.join(', ')};`)
  return { code: r.s.toString(), map: r.s.generateMap({ source: file, includeContent: true, hires: 'boundary' }) }
}

async function rewriteModule(
  code: string,
  file: string,
  parsed: Parsed,
  marks: Mark[],
  escapes: Escape[],
  env: TransformEnv,
): Promise<TransformOutput> {
  const r = startRewrite(code, file, parsed, env.root)
  const { rel, self, loc, ctx, finder } = r
  const out = newOutput(code, file, env.root)
  const codeDigest = digest(code)
  /** Warnings of the rewrite itself (the same for the same code): kept in the build cache. */
  const notes: Diagnostic[] = []
  const located = (offset: number, message: string): Diagnostic => {
    const p = position(self.lineStarts, offset)
    return { file: rel, line: p.line, column: p.column, message: `[smart-cache] ${loc.at(offset)}: ${message}` }
  }
  const warn = (offset: number, message: string) => void notes.push(located(offset, message))
  const plan: Array<[string, string, string]> = []
  let cacheable = true
  let usesImport = false
  const planned = planMarks(marks, rel, warn, loc.at)
  /** Calls the rewrite cannot append a meta to: their callee passes `fingerprint: null`. */
  const unseenCalls: Escape[] = []
  for (const p of planned) p.unseen ??= passedFunction(p.mark, finder)
  const fps = await Promise.all(
    planned.map(p => (p.unseen ? undefined : fingerprintOf(env.engine, rel, p.engineName).catch((e: unknown) => e as Error))),
  )
  for (const [i, { mark, id, engineName, unseen }] of planned.entries()) {
    const result = fps[i]
    const fp = !result || result instanceof Error || typeof result.hash !== 'string' || result.uncacheable ? undefined : result
    if (unseen) warn(markStart(mark), unseen)
    else if (!fp) {
      cacheable = false
      warn(markStart(mark), unfingerprinted(`${rel}#${engineName}`, result!))
    }
    // A function that runs unseen has nothing to key but its arguments: no captures (`fn` of a wrapper is code).
    const meta = unseen
      ? { source: metaSource(id, null), problems: [], sync: undefined }
      : markMeta(mark, id, fp?.hash ?? null, finder, loc.at)
    if (meta.sync) out.syncMarks.push(located(markStart(mark), syncMessage(meta.sync)))
    for (const p of meta.problems) {
      out.errors.push(located(p.at, p.message))
      cacheable = false // the build fails: nothing to serve next time
    }
    if (!rewriteMark(ctx, mark, meta.source)) {
      warn(markStart(mark), NOT_REWRITTEN)
      if (mark.kind === 'call') unseenCalls.push(unseenCall(mark.node, code))
      continue
    }
    if (mark.kind === 'directive') usesImport = true
    if (!fp) continue
    out.functions.set(id, manifestEntry(fp))
    plan.push([engineName, id, fp.hash])
    diagnose(env, out, self, codeDigest, rel, mark, id, engineName, fp)
  }
  rewriteEscapes(r.s, [...escapes, ...unseenCalls], loc.at, ctx.fresh)
  for (const e of escapes) warn(e.at, escapeMessage(e))
  if (usesImport) prependImport(r.s, code, `{ smartCache as ${ctx.importName} }`, RUNTIME)
  const { code: rewritten, map } = finishRewrite(r, file)
  out.code = rewritten
  out.map = map
  out.warnings.unshift(...notes)
  if (cacheable)
    env.cache.setModule(rel, { digest: codeDigest, plan, code: out.code, map: map.toString(), notes, syncMarks: out.syncMarks })
  return out
}

const NOT_REWRITTEN =
  'expected smartCache(fn) or smartCache(fn, options) (no spread), so the build cannot fingerprint this function: it runs uncached (every call computes). Fix: pass the function and at most an options object.'

/** A module rewritten before its fingerprints are known: they are the exports of `source`, in `ids` order. */
export interface DeferredRewrite {
  code: string
  map: ReturnType<MagicString['generateMap']>
  /** Ids of the cached functions whose fingerprint `source` exports as `f0`, `f1`… */
  ids: string[]
}

/**
 * Rewrites a module's `smartCache(fn)` calls without waiting for the engine: each meta reads its
 * fingerprint from an import of `source`, a module the plugin loads once the engine has answered
 * (`undefined` there, for a function the engine failed on: the meta says `fingerprint: null`
 * and the runtime runs it uncached, as after the full rewrite). The bundler goes on with the module's imports meanwhile.
 * `undefined` when the module cannot be rewritten this way: no mark, a syntax error, a directive
 * or decorator (left uncached or rewritten differently when the engine fails), or a capture
 * problem (the full rewrite reports it).
 */
export function rewriteDeferred(code: string, id: string, env: TransformEnv, source: string): DeferredRewrite | undefined {
  if (!mayHaveMarks(code)) return undefined
  const file = fileOfId(id)
  const parsed = parseModule(file, code)
  const marks = parsed ? findMarks(parsed) : []
  if (!parsed || marks.length === 0 || marks.some(m => m.kind !== 'call') || findEscapes(parsed, code).length > 0) return undefined
  const r = startRewrite(code, file, parsed, env.root)
  const imported: string[] = []
  const ids: string[] = []
  const planned = planMarks(marks, r.rel, () => {}, r.loc.at)
  // A function that runs uncached is rewritten by the full rewrite, which warns why.
  if (planned.some(p => p.unseen ?? passedFunction(p.mark, r.finder))) return undefined
  for (const { mark, id: fnId } of planned) {
    const binding = r.ctx.fresh('fingerprint')
    const meta = markMeta(mark, fnId, { binding }, r.finder, r.loc.at)
    if (meta.problems.length > 0) return undefined
    // The full rewrite makes it run uncached and warns.
    if (!rewriteMark(r.ctx, mark, meta.source)) return undefined
    imported.push(`f${ids.length} as ${binding}`)
    ids.push(fnId)
  }
  if (ids.length === 0) return undefined
  prependImport(r.s, code, `{ ${imported.join(', ')} }`, source)
  return { ...finishRewrite(r, file), ids }
}

export function prependImport(s: MagicString, code: string, clause: string, from: string): void {
  const stmt = `import ${clause} from ${JSON.stringify(from)};`
  if (code.startsWith('#!')) {
    const nl = code.indexOf('\n')
    s.appendLeft(nl === -1 ? code.length : nl + 1, stmt)
  } else {
    s.prepend(stmt)
  }
}

function diagnose(
  env: TransformEnv,
  out: TransformOutput,
  self: ReturnType<typeof sourceModule>,
  codeDigest: string,
  rel: string,
  mark: Mark,
  id: string,
  engineName: string,
  fp: BindingFingerprint,
): void {
  if (!diagnosesFunction(env.options, id)) return
  // Same bytes reached and same module code as a previous build: the same findings.
  const key = findingsKey(fp, codeDigest)
  let found = key ? env.cache.diagnostics(id, key) : undefined
  if (!found) {
    found = findImpurities(env, self, rel, mark, id, engineName, fp)
    if (key) env.cache.setDiagnostics(id, key, found)
  }
  for (const f of found) (env.options.diagnostics.level === 'error' ? out.errors : out.warnings).push(f)
}

/** Impurity findings in a cached function and in every binding it reaches, each place once. */
function findImpurities(
  env: TransformEnv,
  self: ReturnType<typeof sourceModule>,
  rel: string,
  mark: Mark,
  id: string,
  engineName: string,
  fp: BindingFingerprint,
): Diagnostic[] {
  const subject = `cached function ${id}`
  const found = [...env.diagnostics.scan(self, rel, markTarget(mark).target, subject)]
  const top = engineName.split('.')[0]
  for (const d of fp.deps) {
    if (d.file === rel && (d.binding === engineName || d.binding === top)) continue
    found.push(...env.diagnostics.scanDep(d, () => `${subject} (through ${d.file}#${d.binding})`))
  }
  const seen = new Set<string>()
  return found.filter(f => {
    const place = `${f.file}:${f.line}:${f.column}`
    if (seen.has(place)) return false
    seen.add(place)
    return true
  })
}
