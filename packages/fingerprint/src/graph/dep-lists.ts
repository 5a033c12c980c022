import type { GraphNode } from './linker.ts'
import type { DependencyInfo } from '../types.ts'

const compare = (x: string | number, y: string | number): number => (x < y ? -1 : x > y ? 1 : 0)

/** File, then binding; ties (two nodes of one binding) by hash, line and key, so the order never depends on the walk. */
const byFileThenBinding = (x: GraphNode, y: GraphNode): number =>
  compare(x.file!, y.file!) || compare(x.binding, y.binding) || compare(x.own, y.own) || compare(x.line, y.line) || compare(x.key, y.key)

/**
 * The `deps` lists of one generation of the graph. Every answer lists everything its target
 * reaches, so in a large app fifty answers share the same ten thousand entries: each node's entry
 * is made once and shared, and the nodes are ranked once in (file, binding) order, so a list is
 * sorted by comparing numbers, not strings. Reset when the graph changes.
 */
export class DepLists {
  /** Dense ids of the keys met in this generation, their nodes and resolved targets. */
  private ids = new Map<string, number>()
  private keys: string[] = []
  private nodes: Array<GraphNode | undefined> = []
  private edges: Array<number[] | undefined> = []
  /** Visit marks of the current walk (`epoch`), by id. */
  private marks = new Uint32Array(1024)
  /** The ids a walk has yet to visit, and the file ids it reached: kept for the next walk (fifty walks of a large graph). */
  private stack = new Uint32Array(1024)
  private reached = new Uint32Array(1024)
  private epoch = 0
  /** Rank of each file node's id in (file, binding) order; `ranked` lists the ids by rank. */
  private rankOf: Array<number | undefined> = []
  private ranked: number[] = []
  private infos: DependencyInfo[] = []

  constructor(private get: (key: string) => GraphNode | undefined) {}

  /** Forgets everything (the graph changed: nodes were dropped or rebuilt). */
  clear(): void {
    this.ids.clear()
    this.keys = []
    this.nodes = []
    this.edges = []
    this.rankOf = []
    this.ranked = []
    this.infos = []
  }

  /** Files' bindings reached from `root` and from `extras` (the root itself excluded), sorted by file then binding. */
  collect(root: string, extras: string[]): DependencyInfo[] {
    const epoch = this.nextEpoch()
    const rootId = this.idOf(root)
    this.marks[rootId] = epoch
    const start = [...this.edgesOf(rootId), ...extras.map(k => this.idOf(k))]
    if (start.length > this.stack.length) this.stack = grown(this.stack, start.length)
    this.stack.set(start)
    let top = start.length
    let count = 0
    while (top > 0) {
      const id = this.stack[--top]!
      if (this.marks[id] === epoch) continue
      this.marks[id] = epoch
      const n = this.nodeOf(id)
      if (!n) continue
      // Source bindings, namespaces, JSON and asset files; packages and built-ins have no file here.
      if (n.file !== null) {
        if (count === this.reached.length) this.reached = grown(this.reached, count + 1)
        this.reached[count++] = id
      }
      const edges = this.edgesOf(id)
      if (top + edges.length > this.stack.length) this.stack = grown(this.stack, top + edges.length)
      for (let i = 0; i < edges.length; i++) if (this.marks[edges[i]!] !== epoch) this.stack[top++] = edges[i]!
    }
    return this.sorted(this.reached.subarray(0, count), rootId, epoch)
  }

  /**
   * The entries of file nodes `ids` (marked with `epoch`, but for `rootId`), in rank order. A list
   * of most ranked nodes (fifty functions reaching most of an app) is read off the ranks in order;
   * a short one is sorted.
   */
  private sorted(ids: Uint32Array, rootId: number, epoch: number): DependencyInfo[] {
    if (ids.some(id => this.rankOf[id] === undefined)) this.rerank(ids)
    const out = Array.from<DependencyInfo>({ length: ids.length })
    if (ids.length * 8 >= this.ranked.length) {
      const marks = this.marks
      let i = 0
      for (let r = 0; r < this.ranked.length; r++) {
        const id = this.ranked[r]!
        if (marks[id] === epoch && id !== rootId) out[i++] = this.infos[r]!
      }
      return out
    }
    const order = new Uint32Array(ids.length)
    for (let i = 0; i < ids.length; i++) order[i] = this.rankOf[ids[i]!]!
    order.sort()
    for (let i = 0; i < order.length; i++) out[i] = this.infos[order[i]!]!
    return out
  }

  /** Ranks the new ids among the ranked ones: sorts the new ones, merges both lists. */
  private rerank(ids: Uint32Array): void {
    const byNode = (x: number, y: number): number => byFileThenBinding(this.nodes[x]!, this.nodes[y]!)
    const fresh = [...new Set(ids.filter(id => this.rankOf[id] === undefined))].sort(byNode)
    const old = this.ranked
    const merged: number[] = []
    let i = 0
    let j = 0
    while (i < old.length || j < fresh.length) {
      if (j >= fresh.length || (i < old.length && byNode(old[i]!, fresh[j]!) <= 0)) merged.push(old[i++]!)
      else merged.push(fresh[j++]!)
    }
    const infos = merged.map(id => {
      const r = this.rankOf[id]
      if (r !== undefined) return this.infos[r]!
      const n = this.nodes[id]!
      return { file: n.file!, binding: n.binding, hash: n.own, line: Math.max(1, n.line) }
    })
    merged.forEach((id, r) => {
      this.rankOf[id] = r
    })
    this.ranked = merged
    this.infos = infos
  }

  private nextEpoch(): number {
    if (this.epoch === 0xffffffff) {
      this.marks.fill(0)
      this.epoch = 0
    }
    return ++this.epoch
  }

  private idOf(key: string): number {
    let id = this.ids.get(key)
    if (id === undefined) {
      id = this.nodes.length
      this.ids.set(key, id)
      this.keys.push(key)
      this.nodes.push(this.get(key))
      this.edges.push(undefined)
      if (id >= this.marks.length) this.marks = grown(this.marks, id + 1)
    }
    return id
  }

  /** The node of `id`; a key met before its node was built is looked up again. */
  private nodeOf(id: number): GraphNode | undefined {
    let n = this.nodes[id]
    if (!n) n = this.nodes[id] = this.get(this.keys[id]!)
    return n
  }

  private edgesOf(id: number): number[] {
    let out = this.edges[id]
    if (!out) {
      const n = this.nodeOf(id)
      if (!n) return []
      out = this.edges[id] = n.targets.map(t => this.idOf(t))
    }
    return out
  }
}

/** A copy of `a` with room for at least `min` entries (twice its size, or more). */
function grown(a: Uint32Array, min: number): Uint32Array<ArrayBuffer> {
  const out = new Uint32Array(Math.max(a.length * 2, min))
  out.set(a)
  return out
}
