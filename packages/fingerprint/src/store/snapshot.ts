import { existsSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { FileAnalysis } from '../analyze/analysis-types.ts'
import { saveBeforeExit } from './exit-save.ts'
import { sameStamp, type Stamp } from './facts.ts'
import { newestSibling } from './siblings.ts'
import { writeAtomic } from './write-atomic.ts'

/** `[size, mtimeMs, ctimeMs, ino, content hash, analysis key]` of one root-relative file. */
type FileRow = [number, number, number, number, string, string]

interface SnapshotFile {
  files: Record<string, FileRow>
  analyses: Record<string, FileAnalysis>
}

/** Above this many files, rows of files not seen by this engine are dropped when saving. */
const MAX_KEPT_ROWS = 50_000

/** A save writes only the rows that differ from the whole file, beside it, while they are at most this share of all rows. */
const MAX_DELTA_SHARE = 0.1

/** The rows that differ from the snapshot file `file`, with their analyses: `<file>.delta`. */
const deltaOf = (file: string): string => `${file}.delta`

/** What the snapshot knows about a file whose stamp did not change. */
export interface Known {
  hash: string
  key: string
  analysis: FileAnalysis
}

/**
 * The source files the last engine read, in one file: for each root-relative path its stamp,
 * content hash and analysis. A new engine (a fresh build process) trusts a file whose stamp is
 * unchanged, so a warm start reads neither the sources nor one cache entry per file. Only stamps
 * that were already old when recorded are trusted (the "racy git" rule), and the stamp includes
 * ctime, which no tool can set back: an edited file is always read again. It is the engine's only
 * disk cache: saved by `close()`, or when the process runs out of work. A missing, corrupt or
 * unwritable snapshot only means a slower start.
 *
 * An engine that read only a few files anew (a build after an edit) writes just their rows and
 * analyses to a small file beside the snapshot (`.delta`, read with it) instead of writing the
 * whole snapshot again; the whole file is written when the rows that differ grow past a tenth. Each
 * row proves itself by its stamp, so rows of either file, from any engine, can be combined: a row
 * that is out of date only means its file is read again.
 */
export class Snapshot {
  private rows = new Map<string, FileRow>()
  private analyses = new Map<string, FileAnalysis>()
  /** Rows and analysis texts recorded by this engine. */
  private seen = new Map<string, FileRow>()
  private texts = new Map<string, string>()
  /** The rows of this root's snapshot file as loaded or last written (`save()` writes what differs). */
  private written = new Map<string, FileRow>()
  private loaded = false
  private dirty = false
  private saving: Promise<void> = Promise.resolve()

  constructor(private file: string | false) {}

  /** The recorded content hash and analysis of `rel`, when its stamp proves it unchanged. */
  lookup(rel: string, stamp: Stamp): Known | undefined {
    this.load()
    const row = this.rows.get(rel)
    if (!row || row[0] !== stamp.size || row[1] !== stamp.mtimeMs || row[2] !== stamp.ctimeMs || row[3] !== stamp.ino) return undefined
    const analysis = this.analyses.get(row[5])
    return analysis && { hash: row[4], key: row[5], analysis }
  }

  /** Whether the snapshot has a row for `rel`, whatever its stamp. */
  knows(rel: string): boolean {
    this.load()
    return this.rows.has(rel)
  }

  /** The analysis stored under a content key. */
  analysisOf(key: string): FileAnalysis | undefined {
    this.load()
    return this.analyses.get(key)
  }

  /** Whether a snapshot file exists (a cold start has none). */
  exists(): boolean {
    return this.file !== false && existsSync(this.file)
  }

  /** Records a file read by this engine; `json` is the analysis as JSON text when at hand. */
  record(rel: string, stamp: Stamp, hash: string, key: string, analysis: FileAnalysis, json?: string): void {
    if (!this.file) return
    this.load()
    // A stamp still within the racy window proves nothing later: such a file is read again.
    const row: FileRow = [stamp.size, stamp.mtimeMs, sameStamp(stamp, stamp) ? stamp.ctimeMs : -1, stamp.ino, hash, key]
    this.seen.set(rel, row)
    if (json !== undefined) this.texts.set(key, json)
    if (!this.analyses.has(key)) this.analyses.set(key, analysis)
    const old = this.rows.get(rel)
    if (!old || old.some((v, i) => v !== row[i])) {
      this.rows.set(rel, row)
      if (!this.dirty) saveBeforeExit(this)
      this.dirty = true
    }
  }

  /** Writes the snapshot (atomically) when this engine recorded something new: the rows that differ, while few, else all. */
  save(): Promise<void> {
    if (!this.file || !this.dirty) return this.saving
    this.dirty = false
    const file = this.file
    const changed = this.changedRows()
    if (changed) {
      const text = this.serialize(changed)
      this.saving = this.saving.then(() => writeAtomic(deltaOf(file), text)).catch(() => {})
      return this.saving
    }
    const keep = this.rows.size > MAX_KEPT_ROWS ? this.seen : this.rows
    const text = this.serialize(keep)
    this.written = new Map(keep)
    // The delta goes after the whole file that holds its rows (a delta left behind is only out of date).
    this.saving = this.saving
      .then(() => writeAtomic(file, text))
      .then(() => rm(deltaOf(file), { force: true }))
      .catch(() => {})
    return this.saving
  }

  /** The rows that differ from this root's snapshot file, when a delta can carry them. */
  private changedRows(): Map<string, FileRow> | undefined {
    if (this.written.size === 0 || this.rows.size > MAX_KEPT_ROWS) return undefined
    const changed = new Map<string, FileRow>()
    for (const [rel, row] of this.rows) if (this.written.get(rel) !== row) changed.set(rel, row)
    return changed.size <= this.rows.size * MAX_DELTA_SHARE ? changed : undefined
  }

  private load(): void {
    if (this.loaded || !this.file) return
    this.loaded = true
    const own = existsSync(this.file)
    // Else the newest snapshot of another root in the same cache folder: the same project checked out
    // in another folder (a CI job restoring node_modules/.cache, a second worktree). Its analyses are
    // keyed by content: a file whose bytes hash the same is not parsed again.
    const file = own ? this.file : newestSibling(this.file, name => name.startsWith('files-') && name.endsWith('.snapshot'))
    if (!file) return
    try {
      this.take(readFileSync(file, 'utf8'), own)
      if (own) this.written = new Map(this.rows)
    } catch {
      this.rows.clear()
      this.analyses.clear()
      return
    }
    try {
      this.take(readFileSync(deltaOf(file), 'utf8'), own)
    } catch {} // none, or unreadable: its files are read again
  }

  /** Adds the rows and analyses of a snapshot file's text (a row whose analysis is missing is skipped). */
  private take(text: string, own: boolean): void {
    const data = JSON.parse(text) as SnapshotFile
    for (const [key, a] of Object.entries(data.analyses)) if (typeof a === 'object' && a !== null) this.analyses.set(key, a)
    for (const [rel, row] of Object.entries(data.files)) {
      if (!Array.isArray(row) || row.length !== 6 || !this.analyses.has(row[5])) continue
      // Another root's stamps prove nothing here: its rows only say which content to hash for.
      this.rows.set(rel, own ? row : [row[0], row[1], -1, -1, row[4], row[5]])
    }
  }

  /** JSON text of `keep`: rows sorted by path, then the analyses they use (texts from the worker kept as they are). */
  private serialize(keep: Map<string, FileRow>): string {
    const rels = [...keep.keys()].sort()
    const files: string[] = []
    const keys = new Set<string>()
    for (const rel of rels) {
      const row = keep.get(rel)!
      files.push(`${JSON.stringify(rel)}:${JSON.stringify(row)}`)
      keys.add(row[5])
    }
    const analyses: string[] = []
    for (const key of [...keys].sort()) {
      const text = this.texts.get(key) ?? JSON.stringify(this.analyses.get(key))
      analyses.push(`${JSON.stringify(key)}:${text}`)
    }
    return `{"files":{${files.join(',')}},"analyses":{${analyses.join(',')}}}`
  }
}
