import type { Diagnostic } from './diagnostics.js'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

type Stored = Record<string, { key: string, found: Diagnostic[] }>

/** Digest of a text (keys of the diagnostics cache). */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** The diagnostics cache file of a root, beside the engine's cache, or `false` (memory only). */
export function diagnosticsCacheFile(root: string, cacheDir: string | false | undefined): string | false {
  if (cacheDir === false)
    return false
  const dir = cacheDir ?? join(root, 'node_modules', '.cache', 'smart-cache', 'engine')
  return join(dir, 'plugin', `diagnostics-${digest(root).slice(0, 16)}.json`)
}

/**
 * Impurity findings of each cached function from the last build, under a key made of the exact
 * bytes of everything it reaches (the engine's `sourceHash`) and of the module's code. A warm
 * build whose sources did not change reports the same findings without reading one file.
 */
export class DiagnosticsCache {
  private entries: Stored | undefined
  private dirty = false

  constructor(private file: string | false) {}

  get(id: string, key: string): Diagnostic[] | undefined {
    const e = this.load()[id]
    return e?.key === key && Array.isArray(e.found) ? e.found : undefined
  }

  set(id: string, key: string, found: Diagnostic[]): void {
    this.load()[id] = { key, found }
    this.dirty = true
  }

  /** Writes the findings when some changed (atomically; a failure only costs the next build a scan). */
  save(): void {
    if (!this.file || !this.dirty)
      return
    this.dirty = false
    const tmp = `${this.file}.${process.pid}.tmp`
    try {
      mkdirSync(dirname(this.file), { recursive: true })
      writeFileSync(tmp, JSON.stringify(this.entries))
      renameSync(tmp, this.file)
    }
    catch {}
  }

  private load(): Stored {
    if (this.entries)
      return this.entries
    this.entries = Object.create(null) as Stored
    if (this.file) {
      try {
        const data = JSON.parse(readFileSync(this.file, 'utf8')) as unknown
        if (data && typeof data === 'object' && !Array.isArray(data))
          Object.assign(this.entries, data)
      }
      catch {}
    }
    return this.entries
  }
}
