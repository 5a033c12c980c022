import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Per-file analyses on disk (used by the parser threads), keyed by a hash of (engine version,
 * language, content): the same content gives the same entry wherever it lives. Entries are JSON
 * text, written atomically (temp file + rename) before the analysis is handed back, so nothing is
 * pending when the engine closes. Any failure just means a miss: a read-only or full disk never
 * stops fingerprinting.
 */
export class DiskCache {
  private dirs = new Set<string>()

  constructor(private dir: string | false) {}

  /** The entry's JSON text, when present and valid JSON. */
  get(key: string): string | undefined {
    if (!this.dir) return undefined
    const file = this.path(key)
    // existsSync does not throw: a miss (every file of a cold run) costs no exception.
    if (!existsSync(file)) return undefined
    try {
      const text = readFileSync(file, 'utf8')
      JSON.parse(text)
      return text
    }
    catch {
      return undefined
    }
  }

  /** Stores `json` (the analysis as JSON text) under `key`. */
  set(key: string, json: string): void {
    if (!this.dir) return
    try {
      const dir = join(this.dir, key.slice(0, 2))
      if (!this.dirs.has(dir)) {
        mkdirSync(dir, { recursive: true })
        this.dirs.add(dir)
      }
      const file = this.path(key)
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
      writeFileSync(tmp, json)
      renameSync(tmp, file)
    }
    catch {}
  }

  private path(key: string): string {
    return join(this.dir as string, key.slice(0, 2), `${key}.json`)
  }
}
