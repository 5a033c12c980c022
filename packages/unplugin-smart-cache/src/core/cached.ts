import type { BuildCache } from './build-cache.js'
import type { Diagnostic } from './diagnostics.js'
import type { Engine } from './engine.js'
import type { ResolvedOptions } from './options.js'
import type { TransformOutput } from './transform-output.js'
import { digest } from './build-cache.js'
import { findingsKey, fingerprintOf } from './fingerprints.js'
import { manifestEntry } from './manifest.js'
import { relativeId, fileOfId } from './ids.js'
import { diagnosesFunction } from './options.js'
import { newOutput } from './transform-output.js'

/** What the cached path needs: no parser, no magic-string. */
export interface CachedEnv {
  root: string
  engine: Engine
  options: ResolvedOptions
  cache: BuildCache
}

/**
 * The last build's rewrite of a module, when its code is the same and every cached function in
 * it has the same fingerprint (and its findings are cached); `undefined` otherwise (a full
 * rewrite follows), `null` for a module the last build found no mark in.
 */
export async function transformFromCache(code: string, id: string, env: CachedEnv): Promise<TransformOutput | null | undefined> {
  const file = fileOfId(id)
  const rel = relativeId(env.root, file)
  const codeDigest = digest(code)
  const entry = env.cache.module(rel, codeDigest)
  if (!entry) return undefined
  if (entry.code === null) return entry.plan.length === 0 ? null : undefined
  const fps = await Promise.all(entry.plan.map(([name]) => fingerprintOf(env.engine, rel, name).catch(() => undefined)))
  const out = newOutput(entry.code, file, env.root)
  out.map = entry.map ?? ''
  out.warnings.push(...entry.notes)
  out.syncMarks.push(...entry.syncMarks)
  if (entry.deferred) out.deferred = entry.deferred
  for (const [i, [, fnId, fingerprint]] of entry.plan.entries()) {
    const fp = fps[i]
    if (!fp || fp.uncacheable || fp.hash !== fingerprint) return undefined
    const found = findings(env, fnId, findingsKey(fp, codeDigest))
    if (!found) return undefined
    ;(env.options.diagnostics.level === 'error' ? out.errors : out.warnings).push(...found)
    out.functions.set(fnId, manifestEntry(fp))
  }
  return out
}

/** The function's cached findings ([] when diagnostics are off for it), `undefined` if not cached. */
function findings(env: CachedEnv, fnId: string, key: string | undefined): Diagnostic[] | undefined {
  if (!diagnosesFunction(env.options, fnId)) return []
  return key ? env.cache.diagnostics(fnId, key) : undefined
}
