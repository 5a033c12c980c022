import { createHash } from 'node:crypto'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { AnswerCache } from '../store/answers.ts'
import type { Core } from './core.ts'
import { FingerprintError } from '../errors.ts'
import { saveBeforeExit } from '../store/exit-save.ts'
import type { BindingFingerprint, EngineWarning, ExplainNode, Fingerprinter, FingerprinterOptions, GlobalImport } from '../types.ts'
import { ENGINE_VERSION } from '../version.ts'
import { resolveOptionsKey } from '../graph/resolver-options.ts'
import { digestOfDefine } from '../define-digest.ts'
import { entriesKey, entryPaths } from './entries.ts'

/** Creates a fingerprint engine for one project root. */
export function createFingerprinter(options: FingerprinterOptions): Fingerprinter {
  return new Engine(options)
}

/** The engine's files for one root (paths in them are root-relative); their names are not part of any hash. */
function cacheFiles(options: FingerprinterOptions, root: string): Record<'snapshot' | 'answers' | 'facts', string | false> {
  const dir = options.cacheDir ?? join(root, 'node_modules', '.cache', 'smart-cache', 'engine')
  if (dir === false) return { snapshot: false, answers: false, facts: false }
  const id = createHash('sha256').update(root).digest('hex').slice(0, 16)
  // Answers given with other resolve options (a client and an SSR build) are kept apart.
  // Answers given with other build-time replacements are kept apart too.
  const defines = options.defines && Object.keys(options.defines).length > 0 ? options.defines : undefined
  const globals = options.globals && Object.keys(options.globals).length > 0 ? options.globals : undefined
  const key =
    resolveOptionsKey(options.resolve, root) +
    (defines
      ? JSON.stringify(
          Object.entries(defines)
            .map(([k, v]) => [k, digestOfDefine(v)])
            .sort(),
        )
      : '') +
    (globals ? JSON.stringify(globalsKey(globals, root)) : '') +
    (options.undeclaredGlobals === undefined ? '' : `\nundeclared ${options.undeclaredGlobals}`) +
    // Answers given with other entries counted other setup code.
    entriesKey(entryPaths(options.entries, root), root)
  const answersId = key ? `${id}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}` : id
  const at = (name: string): string => join(dir, ENGINE_VERSION, name)
  return { snapshot: at(`files-${id}.snapshot`), answers: at(`answers-${answersId}.json`), facts: at(`facts-${answersId}.json`) }
}

/** The `globals` option as part of the answers' key: root-relative, in a stable order. */
function globalsKey(globals: NonNullable<FingerprinterOptions['globals']>, root: string): unknown[] {
  return Object.entries(globals)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, entry]) => [
      k,
      ...(Array.isArray(entry) ? entry : [entry as GlobalImport]).map(g => [
        g.from === undefined ? null : relative(root, g.from),
        g.specifier,
        g.name,
        g.members ?? [],
      ]),
    ])
}

/**
 * The public engine. It answers `fingerprint()` from the last engine's stored answers while
 * every file and folder they came from is unchanged, and loads the full engine (parser threads,
 * resolver, graph: `core.ts`) only for the first call those cannot serve. A warm build that
 * changed nothing thus never loads the parser.
 */
class Engine implements Fingerprinter {
  private root: string
  private answers: AnswerCache
  private core: Core | undefined
  private coreLoading: Promise<Core> | undefined
  private recheckEveryCall: boolean
  /** Set while a check of the stored answers is shared by the calls of one turn of the event loop. */
  private checkedThisTurn = false
  private checking: Promise<void> | undefined
  private warningList: EngineWarning[] = []
  private warningSeen = new Set<string>()
  /** New answers not saved yet. */
  private unsaved = false

  private snapshotFile: string | false

  constructor(private options: FingerprinterOptions) {
    if (!options || typeof options.root !== 'string' || !isAbsolute(options.root)) {
      throw new FingerprintError(
        `createFingerprinter({ root }) needs an absolute root folder, got ${JSON.stringify(options?.root)}. Pass path.resolve(yourRoot).`,
      )
    }
    if (options.recheck !== undefined && options.recheck !== 'every-call' && options.recheck !== 'after-invalidate') {
      throw new FingerprintError(
        `createFingerprinter({ recheck }) must be 'every-call' or 'after-invalidate', got ${JSON.stringify(options.recheck)}.`,
      )
    }
    this.root = resolve(options.root)
    this.recheckEveryCall = options.recheck !== 'after-invalidate'
    entryPaths(options.entries, this.root) // a wrong option fails here, not at the first call
    const files = cacheFiles(options, this.root)
    this.snapshotFile = files.snapshot
    this.answers = new AnswerCache(files.answers, files.facts, this.root, options.resolve)
    // Nothing stored (a cold start): the full engine loads at once. Otherwise, when checked once,
    // the facts are checked from now, in slices between the caller's own work.
    if (!this.answers.exists()) void this.loadCore().catch(() => {})
    else if (!this.recheckEveryCall) this.answers.checkAhead()
  }

  get warnings(): readonly EngineWarning[] {
    return this.warningList
  }

  async fingerprint(file: string, name: string): Promise<BindingFingerprint> {
    const stored = await this.stored(file, name)
    if (stored) return stored
    const fp = await (await this.loadCore()).fingerprint(file, name)
    this.markUnsaved()
    return fp
  }

  fingerprintFile(file: string): Promise<Record<string, BindingFingerprint>> {
    return this.loadCore().then(core => core.fingerprintFile(file))
  }

  explain(file: string, name: string): Promise<ExplainNode> {
    return this.loadCore().then(core => core.explain(file, name))
  }

  invalidate(absFile: string): void {
    this.answers.drop()
    this.core?.invalidate(absFile)
  }

  recheck(): void {
    this.checkAgain = true
    this.core?.recheck()
  }

  /** Set by `recheck()`: the next call checks the stored answers' facts again. */
  private checkAgain = false

  /** Stops the parser threads (restarted on demand) and saves the snapshot and the answers. */
  async close(): Promise<void> {
    if (this.core) {
      await this.core.close()
      await this.save()
    }
    await this.answers.flush()
  }

  /** Saves the snapshot and the answers, when new. Also run when the process runs out of work, if `close()` was not called. */
  async save(): Promise<void> {
    const core = this.core
    if (!core) return
    const snapshot = core.flush()
    if (this.unsaved) {
      this.unsaved = false
      await this.answers.save(core.answers(), core.facts(), core.resolutions(), this.warningList, core.contents())
    }
    await snapshot
  }

  /** A stored answer, when every fact behind the stored answers still holds. */
  private async stored(file: string, name: string): Promise<BindingFingerprint | undefined> {
    // One check shared by the calls of a turn of the event loop ('every-call'), or by all ('after-invalidate').
    if (!this.checking || this.checkAgain || (this.recheckEveryCall && !this.checkedThisTurn)) {
      const force = this.recheckEveryCall || this.checkAgain
      this.checkAgain = false
      this.checking = this.answers.check(force).then(replay => {
        for (const w of replay ?? []) this.warn(w.code, w.message.replace(/^\[smart-cache\] /, ''), w.file, w.line, w.column)
      })
      if (this.recheckEveryCall) {
        this.checkedThisTurn = true
        setImmediate(() => {
          this.checkedThisTurn = false
        }).unref()
      }
    }
    await this.checking
    const abs = resolve(this.root, file)
    return this.answers.get(relative(this.root, abs).replaceAll('\\', '/'), name)
  }

  private loadCore(): Promise<Core> {
    this.coreLoading ??= import('./core.ts').then(({ Core }) => {
      this.core = new Core(this.options, this.snapshotFile, this.warn.bind(this))
      return this.core
    })
    return this.coreLoading
  }

  /** New answers are saved by `close()`, or when the process runs out of work. */
  private markUnsaved(): void {
    if (this.unsaved) return
    this.unsaved = true
    saveBeforeExit(this)
  }

  private warn(code: string, text: string, file?: string, line?: number, column?: number): void {
    const message = `[smart-cache] ${text}`
    if (this.warningSeen.has(message)) return
    this.warningSeen.add(message)
    this.warningList.push({ code, message, file, line, column })
  }
}
