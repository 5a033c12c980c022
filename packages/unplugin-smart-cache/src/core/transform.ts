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
import { cacheCallTest, findMarks, mayHaveMarks, RUNTIME } from './marks.js'
import { markMeta, markTarget, syncMessage } from './mark-meta.js'
import { nameMark } from './naming.js'
import { parseModule } from './parse.js'
import { replaceBody, rewriteCall, rewriteDecorator, rewriteObjectMethod, usesSuper, usesThis, wrapExpression } from './rewrite.js'
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
function unsupported(mark: Extract<Mark, { kind: 'directive' }>): string | undefined {
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

function markStart(mark: Mark): number {
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
}

/** Names each supported mark with a unique id; warns about (and drops) the others. */
function planMarks(marks: Mark[], rel: string, warn: (offset: number, message: string) => void): Planned[] {
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
      warn(
        markStart(mark),
        'this cached function is not held by a module-level binding, so it has no stable id; assign it to a module-level const (or an object key / class member of one). The runtime will fingerprint its source text only.',
      )
      continue
    }
    let id = `${rel}#${name.binding}`
    for (let k = 2; used.has(id); k++) id = `${rel}#${name.binding}~${k}`
    used.add(id)
    planned.push({ mark, id, engineName: name.engineName })
  }
  return planned
}

function rewriteMark(ctx: RewriteContext, mark: Mark, meta: string): boolean {
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
  if (marks.length === 0) {
    env.cache.setModule(relativeId(env.root, file), { digest: digest(code), plan: [], code: null, map: null, notes: [], syncMarks: [] })
    return null
  }
  return rewriteModule(code, file, parsed, marks, env)
}

/** What rewriting one parsed module needs, shared by the full and the deferred rewrite. */
interface Rewriting {
  rel: string
  self: ReturnType<typeof sourceModule>
  loc: Located
  s: MagicString
  ctx: RewriteContext
  vars: string[]
  finder: CaptureFinder
}

function startRewrite(code: string, file: string, parsed: Parsed, env: TransformEnv): Rewriting {
  const rel = relativeId(env.root, file)
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
function finishRewrite(r: Rewriting, file: string): { code: string; map: ReturnType<MagicString['generateMap']> } {
  if (r.vars.length > 0) r.s.append(`\nvar ${r.vars.join(', ')};`)
  return { code: r.s.toString(), map: r.s.generateMap({ source: file, includeContent: true, hires: 'boundary' }) }
}

async function rewriteModule(code: string, file: string, parsed: Parsed, marks: Mark[], env: TransformEnv): Promise<TransformOutput> {
  const r = startRewrite(code, file, parsed, env)
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
  const planned = planMarks(marks, rel, warn)
  const fps = await Promise.all(planned.map(p => fingerprintOf(env.engine, rel, p.engineName).catch((e: unknown) => e as Error)))
  for (const [i, { mark, id, engineName }] of planned.entries()) {
    const result = fps[i]!
    const fp = result instanceof Error || typeof result.hash !== 'string' || result.uncacheable ? undefined : result
    if (!fp) {
      cacheable = false
      warn(markStart(mark), unfingerprinted(`${rel}#${engineName}`, result))
    }
    const meta = markMeta(mark, id, fp?.hash ?? null, finder, loc.at)
    if (meta.sync) out.syncMarks.push(located(markStart(mark), syncMessage(meta.sync)))
    for (const p of meta.problems) {
      out.errors.push(located(p.at, p.message))
      cacheable = false // the build fails: nothing to serve next time
    }
    if (!rewriteMark(ctx, mark, meta.source)) {
      warn(markStart(mark), NOT_REWRITTEN)
      continue
    }
    if (mark.kind === 'directive') usesImport = true
    if (!fp) continue
    out.functions.set(id, manifestEntry(fp))
    plan.push([engineName, id, fp.hash])
    diagnose(env, out, self, codeDigest, rel, mark, id, engineName, fp)
  }
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
  'expected smartCache(fn) or smartCache(fn, options) (no spread); the call is left unchanged, so the runtime fingerprints the source text only. Fix: pass the function and at most an options object.'

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
  if (!parsed || marks.length === 0 || marks.some(m => m.kind !== 'call')) return undefined
  const r = startRewrite(code, file, parsed, env)
  const imported: string[] = []
  const ids: string[] = []
  for (const { mark, id: fnId } of planMarks(marks, r.rel, () => {})) {
    const binding = r.ctx.fresh('fingerprint')
    const meta = markMeta(mark, fnId, { binding }, r.finder, r.loc.at)
    if (meta.problems.length > 0) return undefined
    if (!rewriteMark(r.ctx, mark, meta.source)) continue
    imported.push(`f${ids.length} as ${binding}`)
    ids.push(fnId)
  }
  if (ids.length === 0) return undefined
  prependImport(r.s, code, `{ ${imported.join(', ')} }`, source)
  return { ...finishRewrite(r, file), ids }
}

function prependImport(s: MagicString, code: string, clause: string, from: string): void {
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
