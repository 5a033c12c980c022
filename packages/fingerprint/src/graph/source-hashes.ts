import { blake3 } from '../hash.ts'
import type { GraphNode } from './linker.ts'
import { type HashNode, hashReachable } from './scc.ts'

/**
 * `sourceHash`es of one generation of the graph: a Merkle hash over what a target reaches, where a
 * file's binding counts by its path, name and the exact bytes of its file (comments and formatting
 * included, unlike the fingerprint) and a package or built-in by its identity. Each node is hashed
 * once and shared by every target that reaches it (fifty functions of a large app reach the same
 * ten thousand bindings). Reset when the graph changes.
 */
export class SourceHashes {
  private full = new Map<string, string>()
  private nodes = new Map<string, HashNode>()
  private files = new Map<string, string>()

  constructor(
    private get: (key: string) => GraphNode,
    private contentHash: (rel: string) => string,
  ) {}

  clear(): void {
    this.full.clear()
    this.nodes.clear()
    this.files.clear()
  }

  /** The source hash of target `key` of file `rel`, with the top-level code whose effects count for it. */
  of(rel: string, key: string, extras: string[]): string {
    const source = { get: (k: string) => this.node(k) }
    for (const k of [key, ...extras]) hashReachable(k, source, this.full)
    const effects = extras
      .map(k => this.full.get(k)!)
      .sort()
      .join('\n')
    return blake3(`source\n${rel}\0${this.file(rel)}\n${this.full.get(key)}\n${effects}`)
  }

  private node(key: string): HashNode {
    let node = this.nodes.get(key)
    if (!node) {
      const n = this.get(key)
      const own = n.file === null ? `leaf\0${n.leafId ?? n.own}` : `file\0${n.file}\0${n.binding}\0${this.file(n.file)}`
      node = { own, targets: n.targets }
      this.nodes.set(key, node)
    }
    return node
  }

  private file(rel: string): string {
    let hash = this.files.get(rel)
    if (hash === undefined) {
      hash = this.contentHash(rel)
      this.files.set(rel, hash)
    }
    return hash
  }
}
