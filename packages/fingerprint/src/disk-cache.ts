import { readFileSync } from 'node:fs'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FileAnalysis } from './analyze/types.ts'

/**
 * Per-file analyses on disk, keyed by a hash of (engine version, language, content): the same
 * content gives the same entry wherever it lives. Reads are synchronous (small files, on the
 * critical path); writes are asynchronous and atomic (temp file + rename). Any failure just
 * means a miss: a read-only or full disk never stops fingerprinting.
 */
export class DiskCache {
  private dirs = new Map<string, Promise<unknown>>()
  private writing = new Set<Promise<void>>()

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

  /** Stores `json` (the analysis as JSON text) under `key`, in the background. */
  set(key: string, json: string): void {
    if (!this.dir) return
    const dir = join(this.dir, key.slice(0, 2))
    let made = this.dirs.get(dir)
    if (!made) {
      made = mkdir(dir, { recursive: true })
      this.dirs.set(dir, made)
    }
    const file = this.path(key)
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    const write = made.then(() => writeFile(tmp, json)).then(() => rename(tmp, file)).catch(() => {})
    this.writing.add(write)
    write.finally(() => this.writing.delete(write))
  }

  /** Waits for the writes in progress. */
  async flush(): Promise<void> {
    while (this.writing.size > 0) await Promise.all(this.writing)
  }

  private path(key: string): string {
    return join(this.dir as string, key.slice(0, 2), `${key}.json`)
  }
}
