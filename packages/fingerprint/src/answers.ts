import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import { type PathState, stillHolds } from './facts.ts'
import { createResolverFactory, type Resolution } from './resolver-options.ts'
import type { BindingFingerprint, DependencyInfo, EngineWarning } from './types.ts'

/** One answer of `fingerprint()` as it is stored. */
export interface AnswerRecord {
  /** Root-relative file and the requested name. */
  file: string
  name: string
  hash: string
  sourceHash: string
  deps: DependencyInfo[]
}

/** What the answers were computed from: absolute path → its state before it was read. */
export type Facts = Map<string, PathState>

type DepRow = [file: string, binding: string, hash: string, line: number]
type AnswerRow = [file: string, name: string, hash: string, sourceHash: string, deps: number[]]

interface AnswersFile {
  facts: Array<[string, PathState]>
  resolutions: Resolution[]
  deps: DepRow[]
  answers: AnswerRow[]
  warnings: EngineWarning[]
}

interface Loaded {
  facts: Facts
  resolutions: Resolution[]
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

  constructor(private file: string | false, private root: string) {}

  /** Whether answers were stored for this root (a cold start has none). */
  exists(): boolean {
    return this.file !== false && existsSync(this.file)
  }

  /**
   * Checks every fact now (`force`: even if checked before). Returns the stored warnings the
   * first time the answers turn out valid, so that they are reported again.
   */
  check(force: boolean): EngineWarning[] | undefined {
    const data = this.load()
    if (!data || (this.checked && !force)) return undefined
    this.checked = true
    const now = Date.now()
    if (!this.factsHold(data)) {
      this.data = null
      return undefined
    }
    if (this.served) return undefined
    this.served = true
    return data.warnings
  }

  private factsHold(data: Loaded): boolean {
    const now = Date.now()
    for (const [abs, state] of data.facts) if (!stillHolds(abs, state, now)) return false
    if (data.resolutions.length === 0) return true
    try {
      const resolver = createResolverFactory()
      return data.resolutions.every(([from, specifier, result]) => (resolver.resolveFileSync(from, specifier).path ?? '') === result)
    }
    catch {
      return false
    }
  }

  /** The stored answer for `file#name` (file root-relative), if the last check found every fact unchanged. */
  get(file: string, name: string): BindingFingerprint | undefined {
    if (!this.checked || !this.data) return undefined
    const a = this.data.answers.get(answerKey(file, name))
    return a && { id: `${file}#${name}`, hash: a.hash, sourceHash: a.sourceHash, deps: [...a.deps] }
  }

  /** Never answers again (files changed under a long-lived engine). */
  drop(): void {
    this.data = null
    this.checked = true
  }

  /**
   * Writes the answers computed now, with the still-valid stored ones, atomically. A stored fact
   * contradicted by a new one (the file changed since it was checked) drops the stored answers.
   */
  async save(records: AnswerRecord[], facts: Facts, resolutions: Resolution[], warnings: readonly EngineWarning[]): Promise<void> {
    if (!this.file || records.length === 0) return
    const kept = this.checked && this.data ? this.data : undefined
    const allFacts = new Map(facts)
    const repeat = new Map(resolutions.map(r => [`${r[0]}\0${r[1]}`, r]))
    const answers = new Map(records.map(r => [answerKey(r.file, r.name), r]))
    const agrees = (k: Loaded): boolean => [...k.facts].every(([p, s]) => (allFacts.get(p) ?? s) === s)
      && k.resolutions.every(r => (repeat.get(`${r[0]}\0${r[1]}`)?.[2] ?? r[2]) === r[2])
    if (kept && agrees(kept)) {
      for (const [p, s] of kept.facts) allFacts.set(p, s)
      for (const r of kept.resolutions) repeat.set(`${r[0]}\0${r[1]}`, r)
      for (const [k, a] of kept.answers) if (!answers.has(k)) answers.set(k, a)
    }
    const text = JSON.stringify(this.serialize(allFacts, [...repeat.values()], answers, warnings))
    const file = this.file
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    try {
      await mkdir(dirname(file), { recursive: true })
      await writeFile(tmp, text)
      await rename(tmp, file)
    }
    catch {} // an unwritable cache only means a slower next start
  }

  private serialize(facts: Facts, resolutions: Resolution[], answers: Map<string, AnswerRecord>, warnings: readonly EngineWarning[]): AnswersFile {
    const depIndex = new Map<string, number>()
    const deps: DepRow[] = []
    const rows: AnswerRow[] = []
    for (const a of answers.values()) {
      const refs = a.deps.map((d) => {
        const k = `${d.file}\0${d.binding}\0${d.hash}\0${d.line}`
        let i = depIndex.get(k)
        if (i === undefined) {
          i = deps.push([d.file, d.binding, d.hash, d.line]) - 1
          depIndex.set(k, i)
        }
        return i
      })
      rows.push([a.file, a.name, a.hash, a.sourceHash, refs])
    }
    const rel = (abs: string): string => relative(this.root, abs).replaceAll('\\', '/')
    const relOrEmpty = (abs: string): string => (abs === '' ? '' : rel(abs))
    return {
      facts: [...facts].map(([abs, s]) => [rel(abs), s]),
      resolutions: resolutions.map(([from, spec, result]) => [rel(from), spec, relOrEmpty(result)]),
      deps,
      answers: rows,
      warnings: [...warnings],
    }
  }

  private load(): Loaded | null {
    if (this.data !== undefined) return this.data
    this.data = null
    if (!this.file) return null
    try {
      const raw = JSON.parse(readFileSync(this.file, 'utf8')) as AnswersFile
      const deps = raw.deps.map(([file, binding, hash, line]): DependencyInfo => ({ file, binding, hash, line }))
      const answers = new Map<string, AnswerRecord>()
      for (const [file, name, hash, sourceHash, refs] of raw.answers) {
        const list = refs.map(i => deps[i]!)
        if (list.includes(undefined as never)) throw new Error('corrupt')
        answers.set(answerKey(file, name), { file, name, hash, sourceHash, deps: list })
      }
      const facts: Facts = new Map(raw.facts.map(([p, s]) => [resolve(this.root, p), s]))
      const resolutions = raw.resolutions.map(([from, spec, result]): Resolution => [resolve(this.root, from), spec, result === '' ? '' : resolve(this.root, result)])
      // Replayed by the engine outside this try: a malformed list must fail here, not there.
      const warnings: unknown = raw.warnings
      if (!Array.isArray(warnings) || !warnings.every(w => typeof (w as EngineWarning | null)?.message === 'string')) throw new Error('corrupt')
      this.data = { facts, resolutions, answers, warnings }
    }
    catch {} // missing or unreadable: the full engine answers
    return this.data
  }
}
