import type { TransformOutput } from './transform-output.js'
import { fileOfId, relativeId } from './ids.js'

/**
 * Fingerprints that arrive after their module was rewritten (one-off Rollup, Rolldown and Vite
 * builds). A cold build used to hold each marked module in `transform` until the engine had
 * fingerprinted everything its cached functions reach, so the bundler could not see the module's
 * imports, and most of the app waited for the engine. Now `transform` rewrites the marked calls
 * at once, each meta reading its fingerprint from a small module of ours (`\0smart-cache-fingerprints:<path>`),
 * and that module's `load` waits for the engine: the bundler parses and links the app meanwhile.
 */
export const FINGERPRINTS_MODULE = /^\0smart-cache-fingerprints:/

/**
 * The fingerprints module of a module: named after its root-relative path and query, so the
 * rewritten code is the same in every build (the build cache serves it again) and in every folder.
 */
export function fingerprintsSource(root: string, id: string): string {
  return `\0smart-cache-fingerprints:${relativeId(root, id)}${id.slice(fileOfId(id).length)}`
}

/** One deferred module: the rewritten module's id, its cached functions in export order, and the full rewrite under way. */
export interface Deferred {
  moduleId: string
  ids: string[]
  /** The same module rewritten with the fingerprints: its warnings, errors and manifest entries are reported when it settles. */
  full: Promise<TransformOutput | null>
}

export class DeferredFingerprints {
  private pending = new Map<string, Deferred>()

  set(source: string, deferred: Deferred): void {
    deferred.full.catch(() => {}) // reported by `load`, which awaits it
    this.pending.set(source, deferred)
  }

  has(source: string): boolean {
    return this.pending.has(source)
  }

  /** The deferred module of `source`, forgotten (each is loaded once). */
  take(source: string): Deferred | undefined {
    const deferred = this.pending.get(source)
    this.pending.delete(source)
    return deferred
  }
}

/**
 * The fingerprints module's code: `export const f0 = "<hex>"` for each function, `undefined` for one
 * the full rewrite did not give a fingerprint (the engine failed: the meta reads `null`, and the runtime runs it uncached).
 */
export function fingerprintsModule(ids: string[], full: TransformOutput | null): string {
  return ids.map((id, i) => `export const f${i} = ${JSON.stringify(full?.functions.get(id)?.fingerprint) ?? 'undefined'};\n`).join('')
}
