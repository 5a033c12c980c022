import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import type { AnswerRecord, Contents, Facts } from '../store/answers.ts'
import { consultedContent } from '../store/content.ts'
import { DepLists } from '../graph/dep-lists.ts'
import { EffectAnalysis, isModuleCode } from '../graph/effects.ts'
import { Graph } from '../graph/graph.ts'
import { blake3, initHash } from '../hash.ts'
import { Linker } from '../graph/linker.ts'
import { AnalyzerPool } from './pool.ts'
import { entryPaths } from './entries.ts'
import { Resolver } from '../graph/resolve.ts'
import type { Resolution } from '../graph/resolver-options.ts'
import { Snapshot } from '../store/snapshot.ts'
import { SourceHashes } from '../graph/source-hashes.ts'
import { FileStore } from '../store/file-store.ts'
import type { BindingFingerprint, DependencyInfo, ExplainNode, FingerprinterOptions } from '../types.ts'

/** For lookups made on behalf of the caller: nothing to invalidate, so reads are not kept. */
class IgnoredReads extends Set<string> {
  override add(): this {
    return this
  }
}
const IGNORED = new IgnoredReads()

/** How the core reports a warning (the engine keeps one deduplicated list). */
export type WarnSink = (code: string, text: string, file?: string, line?: number, column?: number) => void

/**
 * The full engine: parser threads, resolver, per-file snapshot and dependency graph. Loaded by
 * `createFingerprinter`'s engine on the first call its stored answers cannot serve.
 */
export class Core {
  private root: string
  private pool: AnalyzerPool
  private resolver: Resolver
  private store: FileStore
  private linker: Linker
  private graph: Graph
  private effects: EffectAnalysis
  private pendingChanges = new Set<string>()
  private resetAll = false
  private active = 0
  private idle: Promise<void> = Promise.resolve()
  private wake: () => void = () => {}
  private recheckEveryCall: boolean
  /** Answers of `fingerprint()` since the graph last changed, by `file\0name`. */
  private answered = new Map<string, BindingFingerprint>()
  private depLists: DepLists
  private sourceHashes: SourceHashes

  constructor(
    options: FingerprinterOptions,
    snapshotFile: string | false,
    private warn: WarnSink,
  ) {
    this.root = resolve(options.root)
    this.recheckEveryCall = options.recheck !== 'after-invalidate'
    this.resolver = new Resolver(this.root, options.resolve)
    const threads = options.parserThreads ?? defaultParserThreads()
    // Parser threads start when enough files need parsing: a warm start may need none, a small cold one parses inline.
    this.pool = new AnalyzerPool(new URL('./worker.mjs', import.meta.url), threads)
    const snapshot = new Snapshot(snapshotFile)
    if (!snapshot.exists()) this.pool.prepareInline()
    const entries = entryPaths(options.entries, this.root)
    this.store = new FileStore(this.root, this.pool, snapshot, (rel, a) => {
      for (const w of a.warnings)
        // With the program's entries, top-level code that changes another module's object counts
        // wherever it is loaded from (see EffectAnalysis): the warning that it may not would be wrong.
        if (entries.length === 0 || w.code !== 'cross-module-write')
          this.warn(w.code ?? 'untracked-dynamic-import', `${rel}:${w.line}:${w.column}: ${w.message}`, rel, w.line, w.column)
    })
    this.linker = new Linker(this.root, this.store, this.resolver, this.warn, options.defines, options.globals, options.undeclaredGlobals)
    this.graph = new Graph(this.linker)
    this.effects = new EffectAnalysis(this.linker, this.graph, this.resolver, this.store, entries)
    this.depLists = new DepLists(k => this.graph.tryGet(k))
    this.sourceHashes = new SourceHashes(
      k => this.graph.get(k),
      rel => this.store.contentHash(resolve(this.root, rel)) ?? 'unknown',
    )
  }

  /** Revalidates every known file and resolution at the start of the next generation. */
  recheck(): void {
    this.recheckOnce = true
  }

  private recheckOnce = false

  invalidate(absFile: string): void {
    const abs = resolve(this.root, absFile)
    // A known file that still exists changed in place; anything else (added, removed) can change
    // how imports resolve, so everything is recomputed.
    if (this.store.has(abs) && existsSync(abs)) this.pendingChanges.add(abs)
    else this.resetAll = true
    this.store.forget(abs)
  }

  /** Stops the parser threads (restarted on demand) and saves the snapshot. */
  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.store.flush()])
  }

  /** Saves the snapshot of the files read, when new (atomically; the threads keep running). */
  flush(): Promise<void> {
    return this.store.flush()
  }

  fingerprint(file: string, name: string): Promise<BindingFingerprint> {
    return this.call(async () => {
      const abs = this.abs(file)
      const key = await this.linker.targetKey(abs, name, IGNORED)
      const extras = await this.withEffects(key, abs)
      const out = this.result(abs, name, key, extras)
      this.answered.set(`${this.linker.rel(abs)}\0${name}`, out)
      return out
    })
  }

  /** The answers of `fingerprint()` computed from the graph as it is, for the answer cache. */
  answers(): AnswerRecord[] {
    // An uncacheable answer is computed again by each engine: its warning is given again, and the
    // answer cache never has to store what it is.
    return [...this.answered]
      .filter(([, fp]) => fp.uncacheable === undefined)
      .map(([k, fp]) => {
        const [file, name] = k.split('\0') as [string, string]
        return { file, name, hash: fp.hash, sourceHash: fp.sourceHash, deps: fp.deps }
      })
  }

  /** Resolutions the answer cache repeats before trusting its answers. */
  resolutions(): Resolution[] {
    return this.resolver.resolutions()
  }

  /** The state of every file read and folder consulted, before it was read. */
  facts(): Facts {
    return new Map([...this.store.facts(), ...this.resolver.facts()])
  }

  /**
   * What was read at each path of `facts()`, where known for sure: the content hash of each file
   * read (the bytes analyzed), and of each path a resolution consulted that provably did not
   * change since (see `consultedContent`); a path both read and consulted keeps its content only
   * when the two agree.
   */
  contents(): Contents {
    const out = this.store.contents()
    for (const [abs, state] of this.resolver.facts()) {
      const content = state === '?' ? this.resolver.racyContent(abs) : consultedContent(abs, state)
      if (content === undefined || (out.has(abs) && out.get(abs) !== content)) out.delete(abs)
      else out.set(abs, content)
    }
    return out
  }

  fingerprintFile(file: string): Promise<Record<string, BindingFingerprint>> {
    return this.call(async () => {
      const abs = this.abs(file)
      const names = await this.linker.exportNames(abs, IGNORED)
      const keys = await Promise.all(names.map(n => this.linker.targetKey(abs, n, IGNORED)))
      await this.graph.ensure(keys)
      // Export names come from source code: `__proto__` is a name here, not the prototype.
      const out = Object.create(null) as Record<string, BindingFingerprint>
      for (const [i, n] of names.entries()) out[n] = this.result(abs, n, keys[i]!, await this.withEffects(keys[i]!, abs))
      return out
    })
  }

  explain(file: string, name: string): Promise<ExplainNode> {
    return this.call(async () => {
      const abs = this.abs(file)
      const key = await this.linker.targetKey(abs, name, IGNORED)
      const extras = await this.withEffects(key, abs)
      const tree = this.tree(key, extras)
      tree.hash = this.hashOf(key, extras)
      // The root is named as requested (`default`, an alias), like `fingerprint()`'s id.
      return { ...tree, id: `${this.linker.rel(abs)}#${name}`, binding: name }
    })
  }

  // ---- generations ----

  /**
   * Runs one API call. Overlapping calls share one generation (known files are re-checked once,
   * when the first starts). A call made after `invalidate()` waits for running ones to finish and
   * starts a new generation, so no computation sees its graph change under it.
   */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    await initHash()
    if (this.active === 0 || this.resetAll || this.pendingChanges.size > 0 || this.recheckOnce) {
      while (this.active > 0) await this.idle
      this.begin()
    }
    this.active++
    try {
      return await fn()
    } finally {
      if (--this.active === 0) this.wake()
    }
  }

  private begin(): void {
    this.idle = new Promise(resolve => {
      this.wake = resolve
    })
    const full = this.recheckEveryCall || this.recheckOnce
    this.recheckOnce = false
    const { changed, removed } = full ? this.store.revalidate() : { changed: [], removed: false }
    // A folder where imports were resolved changed (a file added, a link re-pointed): resolve again.
    if (full && this.resolver.changed()) this.resetAll = true
    if (removed || this.resetAll || changed.length > 0 || this.pendingChanges.size > 0) {
      this.answered.clear()
      this.effects.clear()
      this.depLists.clear()
      this.sourceHashes.clear()
    }
    if (removed || this.resetAll) {
      this.graph.clear()
      this.resolver.clear()
      this.linker.resetTables()
    } else if (changed.length > 0 || this.pendingChanges.size > 0) {
      // A package.json holds versions and `exports`: resolutions are recomputed.
      if (changed.some(f => f.endsWith('package.json'))) this.resolver.clear()
      const files = [...changed, ...this.pendingChanges]
      this.graph.invalidate([...files, ...this.linker.starTokensFor(files)])
      this.linker.resetTables()
    } else {
      this.graph.retryFailures()
    }
    this.resetAll = false
    this.pendingChanges.clear()
  }

  // ---- helpers ----

  /** Builds `key`'s graph and returns the top-level code and packages whose effects count for it. */
  private async withEffects(key: string, abs: string): Promise<string[]> {
    await this.graph.ensure([key])
    const extras = await this.effects.included(key, abs)
    if (extras.length > 0) await this.graph.ensure(extras)
    return extras
  }

  /**
   * The fingerprint: the target's hash, with the hashes of the effects that count for it: top-level
   * code in the order it runs (see EffectAnalysis.included: swapped setup leaves another value), then
   * side-effect packages by hash (their keys hold paths).
   */
  private hashOf(key: string, extras: string[]): string {
    const hash = this.graph.hash(key)
    if (extras.length === 0) return hash
    const code = extras.filter(isModuleCode).map(k => this.graph.hash(k))
    const packages = extras.filter(k => !isModuleCode(k)).map(k => this.graph.hash(k))
    return blake3(`effects\n${hash}\n${[...code, ...packages.sort()].join('\n')}`)
  }

  private absPaths = new Map<string, string>()

  /** Absolute path of a requested file (a missing file is reported when it is read). */
  private abs(file: string): string {
    let abs = this.absPaths.get(file)
    if (abs === undefined) {
      abs = resolve(this.root, file)
      if (this.absPaths.size > 100_000) this.absPaths.clear()
      this.absPaths.set(file, abs)
    }
    return abs
  }

  /**
   * The public result. `deps` walks the whole reachable graph, so it is computed when first read,
   * from the graph as it is then (read it before the next call that follows a file change).
   */
  private result(abs: string, name: string, key: string, extras: string[]): BindingFingerprint {
    let deps: DependencyInfo[] | undefined
    let sourceHash: string | undefined
    const rel = this.linker.rel(abs)
    const out = { id: `${rel}#${name}`, hash: this.hashOf(key, extras) } as BindingFingerprint
    // A load of modules chosen by a pattern (marked while hashing), or an import the engine cannot resolve.
    const unknown = [key, ...extras].map(k => this.graph.stop(k)).find(s => s !== undefined)
    if (unknown) out.uncacheable = `it reaches ${unknown}`
    Object.defineProperty(out, 'deps', {
      enumerable: true,
      get: () => (deps ??= this.depLists.collect(key, extras)),
    })
    Object.defineProperty(out, 'sourceHash', {
      enumerable: true,
      get: () => (sourceHash ??= this.sourceHashes.of(rel, key, extras)),
    })
    return out
  }

  /** The explain tree, built without recursion; a node shown before is marked `repeated`. */
  private tree(rootKey: string, extras: string[]): ExplainNode {
    const make = (k: string): ExplainNode => {
      const n = this.graph.get(k)
      const id = n.leafId ?? `${n.file}#${n.binding}`
      return {
        id,
        file: n.leafId ? null : n.file,
        binding: n.binding,
        hash: this.graph.hash(k),
        ownHash: n.own,
        resolvedFrom: n.resolvedFrom,
        children: [],
      }
    }
    const root = make(rootKey)
    const shown = new Set([rootKey])
    const stack: Array<[string, ExplainNode]> = [[rootKey, root]]
    // The root's children end with the top-level code whose effects count for it, but for the root's
    // own declaration when its initializer runs code (`export const f = smartCache(…)`): that is the root itself.
    const effects = extras.filter(e => e !== rootKey)
    while (stack.length > 0) {
      const [k, out] = stack.pop()!
      for (const t of k === rootKey ? [...this.graph.get(k).targets, ...effects] : this.graph.get(k).targets) {
        const child = make(t)
        out.children.push(child)
        if (shown.has(t)) child.repeated = true
        else {
          shown.add(t)
          stack.push([t, child])
        }
      }
    }
    return root
  }
}

/**
 * Parser threads when not set: one core stays with the main thread, which links, hashes and runs
 * the bundler's JavaScript and was the busier side of a cold start. On two cores one parser thread
 * was faster than two (`THREADS=1|2 node bench/engine-cold.mjs <app> engine`: 2.7 s against 3.0 s
 * for 5,000 modules, the same CPU time); at most two, as before (each thread has its own heap).
 */
function defaultParserThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1))
}
