import type MagicString from 'magic-string'
import type { Mark } from './marks.js'
import { existsSync, readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { position } from './diagnostics.js'
import { fileOfId, relativeId } from './ids.js'
import { escapeMessage, findEscapes, rewriteEscapes, unseenCall, type Escape } from './escapes.js'
import { findMarks, mayHaveMarks, RUNTIME } from './marks.js'
import { markMeta } from './mark-meta.js'
import { nameMark } from './naming.js'
import { placeInFile } from './place.js'
import { langOf, parseModule } from './parse.js'
import { finishRewrite, markStart, prependImport, rewriteMark, startRewrite, unsupported } from './transform.js'

/**
 * Where a place of the code given to the plugin (1-based line, 0-based column) stands in the file on
 * disk, when the bundler knows (the source map of the framework's compile); `undefined` otherwise.
 */
export type OriginalPosition = (line: number, column: number) => { line: number; column: number } | undefined

/** A foreign module rewritten: its cached functions marked unfingerprinted, a warning for each. */
export interface ForeignRewrite {
  code: string
  map: ReturnType<MagicString['generateMap']>
  warnings: string[]
}

/** What every meta the plugin writes holds (see `metaSource`). */
const REWRITTEN = '{ __smartCache: 1, id: '

const FIX = 'Fix: move the function into a .ts or .js module and import it.'

/**
 * Rewrites the cached functions of a module whose code is not its file's (see `isScriptFile`: a
 * component compiled by its framework, a block of one, an inline script of a page). The engine
 * fingerprints files, and cannot read this one: each function gets `fingerprint: null`, so the
 * runtime runs it uncached instead of caching it on its own source text, which an edit of what it
 * calls (an imported helper, a variable of the component) would not change. `null` when the module
 * has no mark or does not parse.
 */
export function rewriteForeign(code: string, id: string, root: string, original?: OriginalPosition): ForeignRewrite | null {
  // Rewritten already: webpack runs a post loader twice on a block vue-loader requests inline.
  if (!mayHaveMarks(code) || code.includes(REWRITTEN)) return null
  const file = fileOfId(id)
  const parsed = parseModule(file, code, langOf(id)) ?? (langOf(id) === 'js' ? parseModule(file, code, 'tsx') : null)
  if (!parsed) return null
  const marks = findMarks(parsed)
  const escapes = findEscapes(parsed, code)
  if (marks.length === 0 && escapes.length === 0) return null
  const r = startRewrite(code, file, parsed, root)
  const kind = extname(file) || 'such a'
  const text = existsSync(file) ? readFileSync(file, 'utf8') : undefined
  /** The place of a mark (or, with its offset alone, of an escape: as the source map says) in the component's file. */
  const where = (mark: Mark | number): string => {
    const here = position(r.self.lineStarts, typeof mark === 'number' ? mark : markStart(mark))
    const o =
      typeof mark === 'number'
        ? original?.(here.line, here.column)
        : text === undefined
          ? undefined
          : placeInFile(text, code, mark, original, here)
    return o ? `${r.rel}:${o.line}:${o.column + 1}` : `${r.rel} (line ${here.line} of the code its framework compiled)`
  }
  const warnings: string[] = []
  const used = new Set<string>()
  /** Calls the rewrite cannot append a meta to: their callee passes `fingerprint: null`. */
  const unseenCalls: Escape[] = []
  let usesImport = false
  for (const mark of marks) {
    const start = markStart(mark)
    // A directive that cannot be rewritten stays a plain string: the function is not cached at all.
    if (mark.kind === 'directive' && unsupported(mark)) continue
    const p = position(r.self.lineStarts, start)
    const base = `${r.rel}#${nameMark(mark)?.binding ?? `<anonymous ${p.line}:${p.column + 1}>`}`
    let fnId = base
    for (let k = 2; used.has(fnId); k++) fnId = `${base}~${k}`
    used.add(fnId)
    // Uncached: its captures are never keyed, a synchronous function stays synchronous.
    const meta = markMeta(mark, fnId, null, r.finder, r.loc.at)
    if (!rewriteMark(r.ctx, mark, meta.source) && mark.kind === 'call') unseenCalls.push(unseenCall(mark.node, code))
    if (mark.kind === 'directive') usesImport = true
    warnings.push(
      `[smart-cache] ${where(mark)}: ${fnId} is in a ${kind} module, which the fingerprint engine cannot read (it reads .js and .ts modules, not what a framework compiles a component into), so an edit of what it calls could not invalidate its results: it runs uncached (every call computes). ${FIX}`,
    )
  }
  rewriteEscapes(r.s, [...escapes, ...unseenCalls], r.loc.at, r.ctx.fresh)
  // Each escape passes no fingerprint; only those the source map places in the file are the
  // author's to fix: a framework's own (Vue's dev build hands every import to its template) are not.
  for (const e of escapes) {
    const here = position(r.self.lineStarts, e.at)
    if (original?.(here.line, here.column)) warnings.push(`[smart-cache] ${where(e.at)}: ${escapeMessage(e)}`)
  }
  if (usesImport) prependImport(r.s, code, `{ smartCache as ${r.ctx.importName} }`, RUNTIME)
  return { ...finishRewrite(r, file), warnings }
}

/** Text that suggests a cached function, in a module that does not parse as JavaScript or TypeScript. */
const MARK_TEXT_RE = /\bsmartCache\b|['"]use smart-cache['"]/

/**
 * The warning for a module that may hold cached functions but is not JavaScript or TypeScript when
 * the plugin sees it (a component before its framework compiles it, with a bundler where the plugin
 * only sees modules before): its functions cannot be found, so they are cached on their own source
 * text. `undefined` when nothing in it looks like a cached function.
 */
export function unreadableWarning(code: string, id: string, root: string): string | undefined {
  if (!MARK_TEXT_RE.test(code)) return undefined
  return `[smart-cache] ${relativeId(root, id)}: this module is not JavaScript or TypeScript when the plugin sees it (its framework compiles it later), so its cached functions cannot be found here: unless the plugin sees them once compiled, each is cached on its own source text only, and an edit of what it calls (an imported helper, a variable of the component) could serve results of old code. Fix: move cached functions into a .ts or .js module and import them.`
}
