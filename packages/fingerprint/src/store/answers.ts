import { existsSync, readFileSync } from 'node:fs'
import { checkFactsFile, checkFactsFileInBackground, type Facts, factsText, readFacts } from './facts-file.ts'
import type { Resolution } from '../graph/resolver-options.ts'
import { type DepRow, packDeps, unpackDepsLazily } from './dep-table.ts'
import type { BindingFingerprint, DependencyInfo, EngineWarning } from '../types.ts'
import { writeAtomic } from './write-atomic.ts'

export type { Facts }

/** One answer of `fingerprint()` as it is stored. */
export interface AnswerRecord {
  /** Root-relative file and the requested name. */
  file: string
  name: string
  hash: string
  sourceHash: string
  deps: DependencyInfo[]
}

/** An answer's deps as runs of consecutive rows of the dep table: `[start, length, start, length…]`. */
type AnswerRow = [file: string, name: string, hash: string, sourceHash: string, runs: number[]]

/** Bumped when the file's shape changes: a file of another format is not read. */
const FORMAT = 2

interface AnswersFile {
  format: number
  /** Shared with the facts file written beside it: a pair from two different saves never matches. */
  token: string
  deps: DepRow[]
  answers: AnswerRow[]
  warnings: EngineWarning[]
}

interface Loaded {
  token: string
  answers: Map<string, AnswerRecord>
  warnings: EngineWarning[]
}

const answerKey = (file: string, name: string): string => `${file}\0${name}`

/**
 * The answers of the last engine for this root, with every fact they were computed from: the
 * stamps of the files read and of the folders where imports were resolved (a new file there
 * could change a resolution). When all facts still hold, a new engine answers from here without
 * loading the parser, the resolver or the per-file snapshot: a warm rebuild costs one stat per
 * file reached. Any fact that changed (or was recorded within the racy window) sends every call
 * to the full engine, which still reuses unchanged files' analyses. A missing or corrupt file
 * only means a slower start.
 */
export class AnswerCache {
  private data: Loaded | null | undefined
  private checked = false
  private served = false
  private dropped = false
  /** The token the facts vouched for when checked ahead (`null`: they did not). */
  private early: Promise<string | null> | undefined
  constructor(
    private file: string | false,
    private factsFile: string | false,
    private root: string,
  ) {}

  /** Whether answers were stored for this root (a cold start has none). */
  exists(): boolean {
    return this.file !== false && existsSync(this.file)
  }

  /**
   * Starts checking the facts now, in slices between the caller's own work (they are then checked
   * once, from this moment, not by the first call), and reads the answers in a later turn when
   * they hold. A build creates the engine before its first module: the check and the read fill
   * the time the bundler spends in its own threads instead of holding up the first marked module.
   */
  checkAhead(): void {
    if (!this.factsFile) return
    this.early = checkFactsFileInBackground(this.factsFile, this.root).then(token => {
      if (token) setImmediate(() => void this.load()).unref()
      return token ?? null
    })
  }

  /**
   * Checks every fact now (`force`: even if checked before), or takes the result of
   * `checkAhead()`. Returns the stored warnings the first time the answers turn out valid, so
   * that they are reported again. Call after `checkAhead()`'s promise settled.
   */
  async check(force: boolean): Promise<EngineWarning[] | undefined> {
    if (this.checked && !force) return undefined
    const token = !force && this.early ? await this.early : this.factsFile && checkFactsFile(this.factsFile, this.root)
    if (this.dropped) return undefined
    this.checked = true
    const data = token ? this.load() : null
    if (!data || data.token !== token) {
      this.data = null
      return undefined
    }
    if (this.served) return undefined
    this.served = true
    return data.warnings
  }

  /** The stored answer for `file#name` (file root-relative), if the last check found every fact unchanged. */
  get(file: string, name: string): BindingFingerprint | undefined {
    if (!this.checked || !this.data) return undefined
    const a = this.data.answers.get(answerKey(file, name))
    if (!a) return undefined
    // The stored list itself (frozen), made when first read: fifty answers of a large app list ten thousand deps each.
    const out = { id: `${file}#${name}`, hash: a.hash, sourceHash: a.sourceHash } as BindingFingerprint
    Object.defineProperty(out, 'deps', { enumerable: true, get: () => a.deps })
    return out
  }

  /** Never answers again (files changed under a long-lived engine). */
  drop(): void {
    this.data = null
    this.checked = true
    this.dropped = true
  }

  /**
   * Writes the answers computed now, with the still-valid stored ones, atomically. A stored fact
   * contradicted by a new one (the file changed since it was checked) drops the stored answers.
   */
  async save(records: AnswerRecord[], facts: Facts, resolutions: Resolution[], warnings: readonly EngineWarning[]): Promise<void> {
    if (!this.file || !this.factsFile || records.length === 0) return
    const allFacts = new Map(facts)
    const repeat = new Map(resolutions.map(r => [`${r[0]}\0${r[1]}\0${r[3] ?? 'i'}`, r]))
    const answers = new Map(records.map(r => [answerKey(r.file, r.name), r]))
    const kept = this.checked && this.data ? this.keptFacts(this.data.token) : undefined
    const agrees = (k: ReturnType<typeof readFacts>): boolean =>
      [...k.facts].every(([p, s]) => (allFacts.get(p) ?? s) === s) &&
      k.resolutions.every(r => (repeat.get(`${r[0]}\0${r[1]}\0${r[3] ?? 'i'}`)?.[2] ?? r[2]) === r[2])
    if (kept && agrees(kept)) {
      for (const [p, s] of kept.facts) allFacts.set(p, s)
      for (const r of kept.resolutions) repeat.set(`${r[0]}\0${r[1]}\0${r[3] ?? 'i'}`, r)
      for (const [k, a] of this.data!.answers) if (!answers.has(k)) answers.set(k, a)
    }
    const token = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`
    try {
      // Facts first: answers never appear without the facts that vouch for them.
      await writeAtomic(this.factsFile, factsText(this.root, token, allFacts, [...repeat.values()]))
      await writeAtomic(this.file, JSON.stringify(this.serialize(token, answers, warnings)))
    } catch {} // an unwritable cache only means a slower next start
  }

  /** The facts of the stored answers being served (they are kept when new answers are saved). */
  private keptFacts(token: string): ReturnType<typeof readFacts> | undefined {
    try {
      const facts = readFacts(this.factsFile as string, this.root)
      return facts.token === token ? facts : undefined
    } catch {
      return undefined
    }
  }

  private serialize(token: string, answers: Map<string, AnswerRecord>, warnings: readonly EngineWarning[]): AnswersFile {
    const records = [...answers.values()]
    const { rows, lists } = packDeps(records.map(a => a.deps))
    return {
      format: FORMAT,
      token,
      deps: rows,
      answers: records.map((a, i) => [a.file, a.name, a.hash, a.sourceHash, lists[i]!]),
      warnings: [...warnings],
    }
  }

  private load(): Loaded | null {
    if (this.data !== undefined) return this.data
    this.data = null
    if (!this.file) return null
    try {
      const raw = JSON.parse(readFileSync(this.file, 'utf8')) as AnswersFile
      if (raw.format !== FORMAT) throw new Error('another format')
      const lists = unpackDepsLazily(
        raw.deps,
        raw.answers.map(a => a[4]),
      )
      const answers = new Map<string, AnswerRecord>()
      for (const [i, [file, name, hash, sourceHash]] of raw.answers.entries()) {
        const record = { file, name, hash, sourceHash } as AnswerRecord
        const list = lists[i]!
        Object.defineProperty(record, 'deps', { enumerable: true, get: () => Object.freeze(list()) as DependencyInfo[] })
        answers.set(answerKey(file, name), record)
      }
      if (typeof raw.token !== 'string') throw new Error('corrupt')
      // Replayed by the engine outside this try: a malformed list must fail here, not there.
      const warnings: unknown = raw.warnings
      if (!Array.isArray(warnings) || !warnings.every(w => typeof (w as EngineWarning | null)?.message === 'string'))
        throw new Error('corrupt')
      this.data = { token: raw.token, answers, warnings }
    } catch {} // missing or unreadable: the full engine answers
    return this.data
  }
}
