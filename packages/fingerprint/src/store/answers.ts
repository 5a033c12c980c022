import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import {
  checkFactsFile,
  checkFactsFileInBackground,
  type Contents,
  type Facts,
  factMaps,
  factsText,
  type LoadedFacts,
} from './facts-file.ts'
import type { Resolution } from '../graph/resolver-options.ts'
import { type DepRow, packDeps, unpackDepsLazily } from './dep-table.ts'
import type { BindingFingerprint, DependencyInfo, EngineWarning, ResolveOptions } from '../types.ts'
import { newestSibling } from './siblings.ts'
import { writeAtomic } from './write-atomic.ts'

export type { Contents, Facts }

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

/** Where the stored answers are read from: this root's files, or another root's (`moved`). */
interface Source {
  answers: string
  facts: string
  moved: boolean
}

/**
 * The answers of the last engine for this root, with every fact they were computed from: the
 * stamps and contents of the files read and of the folders where imports were resolved (a new
 * file there could change a resolution). When all facts still hold, a new engine answers from here
 * without loading the parser, the resolver or the per-file snapshot: a warm rebuild costs one stat
 * per file reached. A stamp that changed with the content it vouched for unchanged (a fresh
 * checkout, a restored cache) costs a read and a hash, once: the stamps are then written again.
 * Without answers of its own, a root takes the newest other root's from the same cache folder (the
 * same project checked out elsewhere), checked by content alone. Any fact that changed (or was
 * recorded within the racy window, its content unknown) sends every call to the full engine, which
 * still reuses unchanged files' analyses. A missing or corrupt file only means a slower start.
 */
export class AnswerCache {
  private data: Loaded | null | undefined
  private checked = false
  private served = false
  private dropped = false
  /** The facts that vouched for `data` when checked (refreshed), kept when new answers are saved. */
  private valid: LoadedFacts | undefined
  /** The facts that held when checked ahead (`null`: they did not). */
  private early: Promise<LoadedFacts | null> | undefined
  private source: Source | undefined
  /** Writes of refreshed facts, then of new answers, in order. */
  private writing: Promise<void> = Promise.resolve()
  constructor(
    private file: string | false,
    private factsFile: string | false,
    private root: string,
    /** The resolve options the answers were given with (stored resolutions are repeated with them). */
    private resolve?: ResolveOptions,
  ) {}

  /** Whether answers were stored for this root or for another one (a cold start has none). */
  exists(): boolean {
    return this.sourceFiles() !== undefined
  }

  /**
   * Starts checking the facts now, in slices between the caller's own work (they are then checked
   * once, from this moment, not by the first call), and reads the answers in a later turn when
   * they hold. A build creates the engine before its first module: the check and the read fill
   * the time the bundler spends in its own threads instead of holding up the first marked module.
   */
  checkAhead(): void {
    const source = this.sourceFiles()
    if (!source) return
    this.early = checkFactsFileInBackground(source.facts, this.root, source.moved, this.resolve).then(facts => {
      if (facts) setImmediate(() => void this.load()).unref()
      return facts ?? null
    })
  }

  /**
   * Checks every fact now (`force`: even if checked before), or takes the result of
   * `checkAhead()`. Returns the stored warnings the first time the answers turn out valid, so
   * that they are reported again. Call after `checkAhead()`'s promise settled.
   */
  async check(force: boolean): Promise<EngineWarning[] | undefined> {
    if (this.checked && !force) return undefined
    const facts = !force && this.early ? await this.early : await this.checkNow()
    if (this.dropped) return undefined
    this.checked = true
    const data = facts ? this.load() : null
    if (!facts || !data || data.token !== facts.token) {
      this.data = null
      this.valid = undefined
      return undefined
    }
    this.valid = facts
    if (facts.moved || facts.refreshed) this.persist(facts)
    if (this.served) return undefined
    this.served = true
    return data.warnings
  }

  /** Waits for the writes started (refreshed facts, new answers). */
  flush(): Promise<void> {
    return this.writing
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
    this.valid = undefined
    this.checked = true
    this.dropped = true
  }

  /**
   * Writes the answers computed now, with the still-valid stored ones, atomically. A stored fact
   * contradicted by a new one (the file changed since it was checked) drops the stored answers.
   */
  save(
    records: AnswerRecord[],
    facts: Facts,
    resolutions: Resolution[],
    warnings: readonly EngineWarning[],
    contents: Contents = new Map(),
  ): Promise<void> {
    if (!this.file || !this.factsFile || records.length === 0) return this.writing
    const allFacts = new Map(facts)
    const allContents = new Map(contents)
    const repeat = new Map(resolutions.map(r => [`${r[0]}\0${r[1]}\0${r[3] ?? 'i'}`, r]))
    const answers = new Map(records.map(r => [answerKey(r.file, r.name), r]))
    const kept = this.checked && this.data ? this.valid : undefined
    // A path read by both: the same state, or the same content (a stamp refreshed by one side only).
    const agrees = (k: LoadedFacts): boolean => {
      const { facts: theirs, contents: theirContents } = factMaps(k)
      return (
        [...theirs].every(([p, s]) => {
          const mine = allFacts.get(p)
          return mine === undefined || mine === s || (allContents.has(p) && allContents.get(p) === theirContents.get(p))
        }) && k.resolutions.every(r => (repeat.get(`${r[0]}\0${r[1]}\0${r[3] ?? 'i'}`)?.[2] ?? r[2]) === r[2])
      )
    }
    if (kept && agrees(kept)) {
      const { facts: keptFacts, contents: keptContents } = factMaps(kept)
      for (const [p, s] of keptFacts) if (!allFacts.has(p)) allFacts.set(p, s)
      for (const [p, c] of keptContents) if (!allContents.has(p) && allFacts.get(p) === keptFacts.get(p)) allContents.set(p, c)
      for (const r of kept.resolutions) repeat.set(`${r[0]}\0${r[1]}\0${r[3] ?? 'i'}`, r)
      for (const [k, a] of this.data!.answers) if (!answers.has(k)) answers.set(k, a)
    }
    const token = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`
    const factsFile = this.factsFile
    const file = this.file
    return this.enqueue(async () => {
      // Facts first: answers never appear without the facts that vouch for them.
      await writeAtomic(factsFile, factsText(this.root, token, allFacts, [...repeat.values()], allContents))
      await writeAtomic(file, JSON.stringify(this.serialize(token, answers, warnings)))
    })
  }

  /** Runs a write after the ones before it; a failed write only means a slower next start. */
  private enqueue(write: () => Promise<void>): Promise<void> {
    this.writing = this.writing.then(write).catch(() => {})
    return this.writing
  }

  /**
   * Writes the facts again with the stamps taken when their content was found unchanged (and,
   * for another root's answers, the answers under this root's name), so that the next start
   * checks stamps instead of reading every file.
   */
  private persist(facts: LoadedFacts): void {
    const source = this.source
    const factsFile = this.factsFile
    const file = this.file
    if (!source || !factsFile || !file) return
    const { facts: states, contents } = factMaps(facts)
    const text = factsText(this.root, facts.token, states, facts.resolutions, contents)
    void this.enqueue(async () => {
      const answers = facts.moved ? readFileSync(source.answers, 'utf8') : undefined
      await writeAtomic(factsFile, text)
      if (answers !== undefined) await writeAtomic(file, answers)
    })
  }

  /** Checks the facts of the answers to serve now. */
  private async checkNow(): Promise<LoadedFacts | undefined> {
    this.source = undefined // a moved source may have been written under this root's name since
    const source = this.sourceFiles()
    return source && (await checkFactsFile(source.facts, this.root, source.moved, this.resolve))
  }

  /** This root's files when it has a facts file, else the newest other root's pair in the same folder. */
  private sourceFiles(): Source | undefined {
    if (this.source || !this.file || !this.factsFile) return this.source
    if (existsSync(this.factsFile)) this.source = { answers: this.file, facts: this.factsFile, moved: false }
    else {
      const facts = newestFactsSibling(this.factsFile)
      if (facts) this.source = { answers: join(dirname(facts), basename(facts).replace(/^facts-/, 'answers-')), facts, moved: true }
    }
    return this.source
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
    const source = this.sourceFiles()
    if (!source) return null
    try {
      const raw = JSON.parse(readFileSync(source.answers, 'utf8')) as AnswersFile
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

/** `facts-<root id>[-<resolve options id>].json`: answers given with other resolve options are never taken. */
const FACTS_NAME = /^facts-[0-9a-f]+(-[0-9a-f]+)?\.json$/

/** The newest facts file of another root in the same folder, given with the same resolve options, whose answers file is there too. */
function newestFactsSibling(factsFile: string): string | undefined {
  const options = FACTS_NAME.exec(basename(factsFile))?.[1] ?? ''
  return newestSibling(factsFile, (name, dir) => {
    const match = FACTS_NAME.exec(name)
    return match !== null && (match[1] ?? '') === options && existsSync(join(dir, name.replace(/^facts-/, 'answers-')))
  })
}
