import { readFileSync } from 'node:fs'
import { extname, relative } from 'node:path'
import type { FileAnalysis } from '../analyze/analysis-types.ts'
import { FingerprintError } from '../errors.ts'
import { blake3 } from '../hash.ts'
import type { Contents, Facts } from './answers.ts'
import { fileState, sameStamp, type Stamp, stampOf } from './facts.ts'
import { hashBytes } from './files.ts'
import type { AnalyzerPool } from '../engine/pool.ts'
import type { Known, Snapshot } from './snapshot.ts'

/** Larger source files are refused: nesting depth is bounded by length, and the parser stack by this. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024

import { contentKey } from '../version.ts'

export { ENGINE_VERSION } from '../version.ts'

interface SourceRecord {
  stamp: Stamp
  hash: string
  analysis: FileAnalysis
  state: string
}
interface SideRecord {
  stamp: Stamp | undefined
  hash: string
  state: string
}

/** What `revalidate()` found: files whose content changed, and whether one disappeared. */
export interface Changes {
  changed: string[]
  removed: boolean
}

/**
 * The files the engine has read: source analyses (memory, then the snapshot, then the parser worker,
 * keyed by content) and side files (package.json, JSON, assets) whose content a result depends on.
 */
export class FileStore {
  private sources = new Map<string, SourceRecord>()
  private side = new Map<string, SideRecord>()
  private loading = new Map<string, Promise<FileAnalysis>>()
  private byContent = new Map<string, FileAnalysis>()

  constructor(
    private root: string,
    private pool: AnalyzerPool,
    private snapshot: Snapshot,
    private onWarning: (file: string, analysis: FileAnalysis) => void,
  ) {}

  /** The analysis of a source file, loaded at most once per content. */
  analysis(abs: string): Promise<FileAnalysis> {
    const rec = this.sources.get(abs)
    if (rec) return Promise.resolve(rec.analysis)
    let p = this.loading.get(abs)
    if (!p) {
      p = this.load(abs).finally(() => this.loading.delete(abs))
      this.loading.set(abs, p)
    }
    return p
  }

  /** Remembers a side file's content so that a later change is noticed. */
  watch(abs: string): void {
    if (this.side.has(abs)) return
    const stamp = stampOf(abs)
    let hash = 'missing'
    try {
      if (stamp) hash = hashBytes(abs)
    } catch {}
    this.side.set(abs, { stamp, hash, state: fileState(stamp) })
  }

  /** The state of every known file, taken before it was read (for the answer cache). */
  facts(): Facts {
    const out: Facts = new Map()
    for (const map of [this.sources, this.side] as Array<Map<string, SourceRecord | SideRecord>>) {
      for (const [abs, rec] of map) out.set(abs, rec.state)
    }
    return out
  }

  /** The content hash of every known file that exists, as read (for the answer cache's content facts). */
  contents(): Contents {
    const out: Contents = new Map()
    for (const [abs, rec] of this.sources) out.set(abs, rec.hash)
    for (const [abs, rec] of this.side) if (rec.stamp && rec.hash !== 'missing') out.set(abs, rec.hash)
    return out
  }

  /** Content hash of a known file (source, JSON, asset or package.json). */
  contentHash(abs: string): string | undefined {
    return (this.sources.get(abs) ?? this.side.get(abs))?.hash
  }

  /** Saves the snapshot of the files read. */
  flush(): Promise<void> {
    return this.snapshot.save()
  }

  has(abs: string): boolean {
    return this.sources.has(abs) || this.side.has(abs)
  }

  /** Forgets one file. */
  forget(abs: string): void {
    this.sources.delete(abs)
    this.side.delete(abs)
  }

  /** Re-checks every known file (stat first; content hash when the stat is not conclusive). */
  revalidate(): Changes {
    const out: Changes = { changed: [], removed: false }
    for (const map of [this.sources, this.side] as Array<Map<string, SourceRecord | SideRecord>>) {
      for (const [abs, rec] of map) {
        const state = check(abs, rec)
        if (state === 'same') continue
        map.delete(abs)
        out.changed.push(abs)
        if (state === 'removed') out.removed = true
      }
    }
    return out
  }

  /**
   * A file the snapshot knows under another stamp (touched, or recorded within the racy window)
   * whose content did not change: hashed here, neither parsed nor sent to a parser thread.
   */
  private sameContent(abs: string, rel: string): Known | undefined {
    if (!this.snapshot.knows(rel)) return undefined
    let bytes: Uint8Array
    try {
      bytes = readFileSync(abs)
    } catch {
      return undefined
    }
    const hash = blake3(bytes)
    const key = contentKey(extname(abs), hash)
    const analysis = this.byContent.get(key) ?? this.snapshot.analysisOf(key)
    return analysis && { hash, key, analysis }
  }

  private async load(abs: string): Promise<FileAnalysis> {
    const rel = relative(this.root, abs).replaceAll('\\', '/')
    const stamp = stampOf(abs)
    if (!stamp)
      throw new FingerprintError(`cannot find ${rel} (under the root ${JSON.stringify(this.root)}): no such file. Check the path.`)
    if (stamp.size > MAX_SOURCE_BYTES) {
      throw new FingerprintError(
        `${rel} is ${(stamp.size / 1048576).toFixed(1)} MB; the engine parses source files up to ${MAX_SOURCE_BYTES / 1048576} MB. Keep generated bundles out of a cached function's dependencies (under node_modules a package counts by name@version).`,
      )
    }
    const state = fileState(stamp)
    const known = this.snapshot.lookup(rel, stamp) ?? this.sameContent(abs, rel)
    if (known) {
      this.snapshot.record(rel, stamp, known.hash, known.key, known.analysis)
      this.sources.set(abs, { stamp, hash: known.hash, analysis: known.analysis, state })
      this.byContent.set(known.key, known.analysis)
      this.onWarning(rel, known.analysis)
      return known.analysis
    }
    const result = await this.pool.analyze({ path: abs, ext: extname(abs), size: stamp.size })
    if (!result.ok) {
      const e = result.error
      if (e.kind !== 'syntax') throw new FingerprintError(`${rel} ${e.message}`)
      const frame = e.codeframe.replace(/\[file\.[a-z]+:/g, `[${rel}:`)
      throw new FingerprintError(`syntax error at ${rel}:${e.line}:${e.column}: ${e.message}\n${frame}`)
    }
    const { hash, key, json } = result
    const analysis = this.byContent.get(key) ?? result.analysis
    this.snapshot.record(rel, stamp, hash, key, analysis, json)
    this.byContent.set(key, analysis)
    this.sources.set(abs, { stamp, hash, analysis, state })
    this.onWarning(rel, analysis)
    return analysis
  }
}

/** Whether a file still has the content recorded. */
function check(abs: string, rec: { stamp: Stamp | undefined; hash: string; state: string }): 'same' | 'changed' | 'removed' {
  const now = stampOf(abs)
  if (!now) return rec.stamp ? 'removed' : 'same'
  if (!rec.stamp) return 'changed'
  if (sameStamp(rec.stamp, now)) return 'same'
  try {
    if (hashBytes(abs) !== rec.hash) return 'changed'
  } catch {
    return 'removed'
  }
  rec.stamp = now
  rec.state = fileState(now)
  return 'same'
}
