import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { FingerprintError } from './errors.ts'
import { Graph } from './graph.ts'
import { initHash } from './hash.ts'
import { type GraphNode, Linker } from './linker.ts'
import { AnalyzerPool } from './pool.ts'
import { Resolver } from './resolve.ts'
import { Snapshot } from './snapshot.ts'
import { ENGINE_VERSION, FileStore } from './store.ts'
import type { BindingFingerprint, DependencyInfo, EngineWarning, ExplainNode, Fingerprinter, FingerprinterOptions } from './types.ts'

export { ENGINE_VERSION }

/** For lookups made on behalf of the caller: nothing to invalidate, so reads are not kept. */
class IgnoredReads extends Set<string> {
  override add(): this {
    return this
  }
}
const IGNORED = new IgnoredReads()

/** Creates a fingerprint engine for one project root. */
export function createFingerprinter(options: FingerprinterOptions): Fingerprinter {
  return new Engine(options)
}

class Engine implements Fingerprinter {
  private root: string
  private pool: AnalyzerPool
  private resolver = new Resolver()
  private store: FileStore
  private linker: Linker
  private graph: Graph
  private pendingChanges = new Set<string>()
  private resetAll = false
  private active = 0
  private idle: Promise<void> = Promise.resolve()
  private wake: () => void = () => {}
  private warningList: EngineWarning[] = []
  private warningSeen = new Set<string>()

  constructor(options: FingerprinterOptions) {
    if (!options || typeof options.root !== 'string' || !isAbsolute(options.root)) {
      throw new FingerprintError(`createFingerprinter({ root }) needs an absolute root folder, got ${JSON.stringify(options?.root)}. Pass path.resolve(yourRoot).`)
    }
    this.root = resolve(options.root)
    const threads = options.parserThreads ?? Math.min(2, availableParallelism())
    // With a snapshot, parser threads start on the first file that needs parsing: a warm start may need none.
    const cacheDir = options.cacheDir ?? join(this.root, 'node_modules', '.cache', 'smart-cache', 'engine')
    this.pool = new AnalyzerPool(new URL('./worker.mjs', import.meta.url), threads)
    const snapshot = new Snapshot(cacheDir === false ? false : join(cacheDir, ENGINE_VERSION, snapshotName(this.root)))
    // Nothing on disk yet (a cold start): the first thread loads the parser while the caller works.
    if (!snapshot.exists()) this.pool.warm()
    const warn = this.warn.bind(this)
    this.store = new FileStore(this.root, this.pool, snapshot, (rel, a) => {
      for (const w of a.warnings) warn('untracked-dynamic-import', `${rel}:${w.line}:${w.column}: ${w.message}`, rel, w.line, w.column)
    })
    this.linker = new Linker(this.root, this.store, this.resolver, warn)
    this.graph = new Graph(this.linker)
  }

  get warnings(): readonly EngineWarning[] {
    return this.warningList
  }

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

  fingerprint(file: string, name: string): Promise<BindingFingerprint> {
    return this.call(async () => {
      const abs = this.abs(file)
      const key = await this.linker.targetKey(abs, name, IGNORED)
      await this.graph.ensure([key])
      return this.result(abs, name, key)
    })
  }

  fingerprintFile(file: string): Promise<Record<string, BindingFingerprint>> {
    return this.call(async () => {
      const abs = this.abs(file)
      const names = await this.linker.exportNames(abs, IGNORED)
      const keys = await Promise.all(names.map(n => this.linker.targetKey(abs, n, IGNORED)))
      await this.graph.ensure(keys)
      const out: Record<string, BindingFingerprint> = {}
      names.forEach((n, i) => { out[n] = this.result(abs, n, keys[i]!) })
      return out
    })
  }

  explain(file: string, name: string): Promise<ExplainNode> {
    return this.call(async () => {
      const abs = this.abs(file)
      const key = await this.linker.targetKey(abs, name, IGNORED)
      await this.graph.ensure([key])
      const tree = this.tree(key)
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
    if (this.active === 0 || this.resetAll || this.pendingChanges.size > 0) {
      while (this.active > 0) await this.idle
      this.begin()
    }
    this.active++
    try {
      return await fn()
    }
    finally {
      if (--this.active === 0) this.wake()
    }
  }

  private begin(): void {
    this.idle = new Promise((resolve) => { this.wake = resolve })
    const { changed, removed } = this.store.revalidate()
    if (removed || this.resetAll) {
      this.graph.clear()
      this.resolver.clear()
      this.linker.resetTables()
    }
    else if (changed.length > 0 || this.pendingChanges.size > 0) {
      // A package.json holds versions and `exports`: resolutions are recomputed.
      if (changed.some(f => f.endsWith('package.json'))) this.resolver.clear()
      const files = [...changed, ...this.pendingChanges]
      this.graph.invalidate([...files, ...this.linker.starTokensFor(files)])
      this.linker.resetTables()
    }
    else {
      this.graph.retryFailures()
    }
    this.resetAll = false
    this.pendingChanges.clear()
  }

  // ---- helpers ----

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

  private warn(code: string, text: string, file?: string, line?: number, column?: number): void {
    const message = `[smart-cache] ${text}`
    if (this.warningSeen.has(message)) return
    this.warningSeen.add(message)
    this.warningList.push({ code, message, file, line, column })
  }

  /**
   * The public result. `deps` walks the whole reachable graph, so it is computed when first read,
   * from the graph as it is then (read it before the next call that follows a file change).
   */
  private result(abs: string, name: string, key: string): BindingFingerprint {
    const graph = this.graph
    let deps: DependencyInfo[] | undefined
    const out = { id: `${this.linker.rel(abs)}#${name}`, hash: graph.hash(key) } as BindingFingerprint
    Object.defineProperty(out, 'deps', {
      enumerable: true,
      get: () => (deps ??= collectDeps(key, k => graph.tryGet(k))),
    })
    return out
  }

  /** The explain tree, built without recursion; a node shown before is marked `repeated`. */
  private tree(rootKey: string): ExplainNode {
    const make = (k: string): ExplainNode => {
      const n = this.graph.get(k)
      const id = n.leafId ?? `${n.file}#${n.binding}`
      return { id, file: n.leafId ? null : n.file, binding: n.binding, hash: this.graph.hash(k), ownHash: n.own, resolvedFrom: n.resolvedFrom, children: [] }
    }
    const root = make(rootKey)
    const shown = new Set([rootKey])
    const stack: Array<[string, ExplainNode]> = [[rootKey, root]]
    while (stack.length > 0) {
      const [k, out] = stack.pop()!
      for (const t of this.graph.get(k).targets) {
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

/** One snapshot per root (paths in it are root-relative); the name is not part of any hash. */
function snapshotName(root: string): string {
  return `files-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.snapshot`
}

/** Files' bindings reached from `key` (itself excluded), sorted by file then binding. */
function collectDeps(key: string, get: (k: string) => GraphNode | undefined): DependencyInfo[] {
  const deps: DependencyInfo[] = []
  const seen = new Set([key])
  const stack = [...(get(key)?.targets ?? [])]
  while (stack.length > 0) {
    const k = stack.pop()!
    if (seen.has(k)) continue
    seen.add(k)
    const n = get(k)
    if (!n) continue
    // Source bindings, namespaces, JSON and asset files; packages and built-ins have no file here.
    if (n.file !== null) deps.push({ file: n.file, binding: n.binding, hash: n.own, line: Math.max(1, n.line) })
    for (const t of n.targets) stack.push(t)
  }
  return deps.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.binding < y.binding ? -1 : x.binding > y.binding ? 1 : 0))
}
