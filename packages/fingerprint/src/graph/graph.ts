import type { GraphNode, Linker } from './linker.ts'
import { hashReachable } from './scc.ts'

/**
 * The dependency graph, built on demand and kept between calls. Each node remembers the files it
 * was computed from; when files change, exactly those nodes are dropped, and the full hashes of
 * everything that reaches them. Concurrent requests share one breadth-first builder, so the
 * parser worker gets whole batches and no subgraph is walked twice.
 */
export class Graph {
  private nodes = new Map<string, GraphNode>()
  private full = new Map<string, string>()
  /** Why a hashed key has no fingerprint (it reaches a node with a `stop`); most keys have none. */
  private stops = new Map<string, string>()
  private parents = new Map<string, Set<string>>()
  private readers = new Map<string, Set<string>>()
  /** Keys built whose targets are queued too. */
  private expanded = new Set<string>()
  private failed = new Map<string, unknown>()
  private pending = new Map<string, Promise<GraphNode>>()
  private requested: string[] = []
  private driver: Promise<void> | undefined

  constructor(private linker: Linker) {}

  get(key: string): GraphNode {
    return this.nodes.get(key) ?? this.linker.leaves.get(key)!.node
  }

  tryGet(key: string): GraphNode | undefined {
    return this.nodes.get(key) ?? this.linker.leaves.get(key)?.node
  }

  hash(key: string): string {
    return this.full.get(key)!
  }

  /** Why the hashed `key` has no fingerprint, if it reaches a node that stops fingerprinting. */
  stop(key: string): string | undefined {
    return this.stops.get(key)
  }

  /** Builds and hashes everything reachable from `roots`; rejects if a file on the way fails. */
  async ensure(roots: string[]): Promise<void> {
    await this.expand(roots)
    const source = { get: (k: string) => this.get(k) }
    for (const root of roots) {
      if (this.full.has(root)) continue
      this.throwIfFailed(root)
      hashReachable(root, source, this.full, this.stops)
    }
  }

  /**
   * Builds everything reachable from `roots` without hashing it (what their code may change is
   * read from the nodes; most of it is never fingerprinted); rejects if a file on the way fails.
   */
  async build(roots: string[]): Promise<void> {
    await this.expand(roots)
    for (const root of roots) if (!this.full.has(root)) this.throwIfFailed(root)
  }

  private async expand(roots: string[]): Promise<void> {
    for (;;) {
      const missing = roots.filter(r => !this.expanded.has(r))
      if (missing.length === 0 && !this.driver) break
      this.requested.push(...missing)
      if (this.pump) this.pump()
      this.driver ??= this.drive().finally(() => {
        this.driver = undefined
      })
      await this.driver
    }
  }

  /** Drops what depends on the given files. */
  invalidate(files: Iterable<string>): void {
    const dropped = new Set<string>()
    for (const f of files) {
      for (const k of this.readers.get(f) ?? []) dropped.add(k)
      this.readers.delete(f)
    }
    const stack = [...dropped]
    const seen = new Set(stack)
    while (stack.length > 0) {
      const k = stack.pop()!
      this.full.delete(k)
      this.stops.delete(k)
      this.expanded.delete(k)
      for (const p of this.parents.get(k) ?? []) {
        if (!seen.has(p)) {
          seen.add(p)
          stack.push(p)
        }
      }
    }
    for (const k of dropped) {
      this.nodes.delete(k)
      this.linker.leaves.delete(k)
    }
    this.retryFailures()
  }

  /** Forgets everything (files appeared or disappeared: resolutions may differ). */
  clear(): void {
    this.nodes.clear()
    this.full.clear()
    this.stops.clear()
    this.parents.clear()
    this.readers.clear()
    this.expanded.clear()
    this.failed.clear()
    this.linker.leaves.clear()
  }

  /** Failed keys are tried again in the next generation (the file may have been fixed). */
  retryFailures(): void {
    for (const k of this.failed.keys()) this.expanded.delete(k)
    this.failed.clear()
  }

  /**
   * Builds every requested key and everything it reaches. Nodes are made as soon as their parent
   * is known, not level by level: the parser threads are fed while earlier results are linked.
   */
  private drive(): Promise<void> {
    return new Promise(done => {
      let inflight = 0
      const start = (key: string): void => {
        inflight++
        this.node(key)
          .then(
            n => {
              for (const t of n.targets) {
                if (!this.expanded.has(t)) {
                  this.expanded.add(t)
                  start(t)
                }
              }
            },
            (reason: unknown) => {
              this.failed.set(key, reason)
            },
          )
          .finally(() => {
            if (--inflight === 0) pump()
          })
      }
      const pump = (): void => {
        for (const r of this.requested.splice(0)) {
          if (!this.expanded.has(r)) {
            this.expanded.add(r)
            start(r)
          }
        }
        if (inflight === 0) {
          this.pump = undefined
          done()
        }
      }
      this.pump = pump
      pump()
    })
  }

  /** Starts keys requested while a drive runs (set during a drive). */
  private pump: (() => void) | undefined

  private node(key: string): Promise<GraphNode> {
    const have = this.nodes.get(key) ?? this.linker.leaves.get(key)?.node
    if (have) return Promise.resolve(have)
    let p = this.pending.get(key)
    if (!p) {
      p = this.make(key).finally(() => this.pending.delete(key))
      this.pending.set(key, p)
    }
    return p
  }

  private async make(key: string): Promise<GraphNode> {
    const reads = new Set<string>()
    const node = await this.linker.makeNode(key, reads)
    this.nodes.set(key, node)
    for (const f of reads) this.link(this.readers, f, key)
    for (const t of node.targets) {
      this.link(this.parents, t, key)
      const leaf = this.linker.leaves.get(t)
      if (leaf) for (const f of leaf.reads) this.link(this.readers, f, t)
    }
    return node
  }

  private link(map: Map<string, Set<string>>, from: string, to: string): void {
    let set = map.get(from)
    if (!set) {
      set = new Set()
      map.set(from, set)
    }
    set.add(to)
  }

  /** Rethrows the first failure reachable from `root` among nodes not hashed yet. */
  private throwIfFailed(root: string): void {
    if (this.failed.size === 0) return
    const seen = new Set<string>()
    const stack = [root]
    while (stack.length > 0) {
      const k = stack.pop()!
      if (seen.has(k) || this.full.has(k)) continue
      seen.add(k)
      if (this.failed.has(k)) throw this.failed.get(k)
      const n = this.nodes.get(k)
      if (n) stack.push(...n.targets)
    }
  }
}
