import type { CachedDeferred } from './build-cache.js'
import type { Diagnostic } from './diagnostics.js'
import type { ManifestEntry } from './manifest.js'
import { resolve } from 'node:path'

export interface TransformOutput {
  code: string
  /** Source map (object, or JSON text when it comes from the build cache). */
  map: object | string
  /** Cached functions of this module: id → manifest entry. */
  functions: Map<string, ManifestEntry>
  /** Absolute paths of every other file a cached function reaches (computed on first use). */
  readonly watchFiles: string[]
  warnings: Diagnostic[]
  errors: Diagnostic[]
  /**
   * Synchronous functions that are marked: errors in browser builds, where the runtime's store
   * (IndexedDB) can only be read asynchronously; nothing in Node builds.
   */
  syncMarks: Diagnostic[]
  /** From the build cache: the module as a one-off build rewrote it, fingerprints imported (see core/deferred.ts). */
  deferred?: CachedDeferred
}

/** An empty output for module `file`; `watchFiles` follows the functions added to it. */
export function newOutput(code: string, file: string, root: string): TransformOutput {
  let watchFiles: string[] | undefined
  const out: TransformOutput = {
    code,
    map: '',
    functions: new Map(),
    get watchFiles() {
      const reached = new Set([...out.functions.values()].flatMap(f => f.deps.map(d => d.file)))
      watchFiles ??= [...reached]
        .map(f => resolve(root, f))
        .filter(f => f !== file)
        .sort()
      return watchFiles
    },
    warnings: [],
    errors: [],
    syncMarks: [],
  }
  return out
}
