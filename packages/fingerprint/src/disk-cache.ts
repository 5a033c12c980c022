import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FileAnalysis } from './analyze/types.ts'

/**
 * Per-file analyses on disk, keyed by a hash of (engine version, language, content): the same
 * content gives the same entry wherever it lives. Any read or write failure just means a miss.
 */
export class DiskCache {
  constructor(private dir: string | false) {}

  get(key: string): FileAnalysis | undefined {
    if (!this.dir) return undefined
    try {
      return JSON.parse(readFileSync(this.path(key), 'utf8')) as FileAnalysis
    }
    catch {
      return undefined
    }
  }

  set(key: string, value: FileAnalysis): void {
    if (!this.dir) return
    const file = this.path(key)
    const tmp = `${file}.${process.pid}.tmp`
    try {
      mkdirSync(join(this.dir, key.slice(0, 2)), { recursive: true })
      writeFileSync(tmp, JSON.stringify(value))
      renameSync(tmp, file)
    }
    catch {
      // A read-only or full disk must not stop fingerprinting.
    }
  }

  private path(key: string): string {
    return join(this.dir as string, key.slice(0, 2), `${key}.json`)
  }
}
