import type { Graph } from './graph.ts'
import { bindingKey, effectKey, type GraphNode, type Linker, type NodeEffects } from './linker.ts'
import type { Resolver } from './resolve.ts'
import type { FileStore } from './store.ts'

/** What running a node's code may change: graph keys written, and whether global state is. */
interface Latent { writes: Set<string>, global: boolean }

const NOTHING: Latent = { writes: new Set(), global: false }

/** The part of a key after its kind: `b\0<abs>\0<name>` → abs. */
function moduleOf(key: string): string | undefined {
  const kind = key[0]
  if (kind !== 'b' && kind !== 'e' && kind !== 'n') return undefined
  const end = key.indexOf('\0', 2)
  return end === -1 ? key.slice(2) : key.slice(2, end)
}

/** A leaf's identity, whatever name was imported from it: a package installation, a built-in, an unresolved specifier. */
function leafIdentity(key: string): string | undefined {
  const parts = key.split('\0')
  switch (parts[0]) {
    case 'p': return `P\0${parts[1]}\0${parts[2]}`
    case 'B': return `B\0${parts[1]}`
    case 'u': return `U\0${parts[1]}`
    case 'j': case 'a': return key
  }
  return undefined
}

/** What a target reaches, indexed for the question "can this write change it?". */
class Reach {
  readonly keys = new Set<string>()
  private tokens = new Set<string>()

  constructor(private get: (k: string) => GraphNode | undefined) {}

  /** Adds everything reachable from `key`. */
  addFrom(key: string): void {
    const stack = [key]
    while (stack.length > 0) {
      const k = stack.pop()!
      if (this.keys.has(k)) continue
      this.keys.add(k)
      const m = moduleOf(k)
      if (m !== undefined) this.tokens.add(k[0] === 'n' ? `N\0${m}` : `m\0${m}`)
      const leaf = leafIdentity(k)
      if (leaf !== undefined) this.tokens.add(leaf)
      for (const t of this.get(k)?.targets ?? []) stack.push(t)
    }
  }

  modules(): string[] {
    const out = new Set<string>()
    for (const k of this.keys) {
      const m = moduleOf(k)
      if (m !== undefined) out.add(m)
    }
    return [...out]
  }

  /** Whether writing `key` can change something reached. */
  touches(key: string): boolean {
    if (this.keys.has(key)) return true
    const m = moduleOf(key)
    if (m !== undefined) {
      if (key[0] === 'n') return this.tokens.has(`m\0${m}`) || this.tokens.has(`N\0${m}`)
      return this.tokens.has(`N\0${m}`)
    }
    const leaf = leafIdentity(key)
    return leaf !== undefined && this.tokens.has(leaf)
  }
}

/**
 * The effect analysis: which top-level code of the modules a target loads can change what the
 * target reads. A top-level statement (or a declaration whose initializer runs code) counts when
 * what it writes, directly or through the functions it calls, transitively, is something the
 * target reaches, or when it may write global state (a global, a built-in prototype, an unknown
 * call on a global). A side-effect import of a package counts as that package. Top-level code that
 * only calls the target, logs or times it writes nothing the target reads, and stays out.
 */
export class EffectAnalysis {
  private latents = new Map<string, Latent>()

  constructor(
    private linker: Linker,
    private graph: Graph,
    private resolver: Resolver,
    private store: FileStore,
  ) {}

  /** Forgets what was computed from the graph (call when the graph changes). */
  clear(): void {
    this.latents.clear()
  }

  /** Keys of the top-level code and side-effect packages that count for `key` (defined in `abs`), sorted. */
  async included(key: string, abs: string): Promise<string[]> {
    const reach = new Reach(k => this.graph.tryGet(k))
    reach.addFrom(key)
    const included = new Set<string>()
    const visited = new Set<string>()
    const candidates: string[] = []
    let pending = [abs, ...reach.modules()]
    while (pending.length > 0) {
      const found = await this.loadClosure(pending, visited)
      for (const leaf of found.sideEffectLeaves) {
        if (!included.has(leaf)) {
          included.add(leaf)
          reach.addFrom(leaf)
        }
      }
      for (const c of found.candidates) candidates.push(c)
      const added = await this.settle(candidates, reach, included, key)
      pending = added.flatMap(k => this.reachModules(k))
    }
    return [...included].sort()
  }

  /** Adds every candidate that touches the reach, until none does; returns those added. */
  private async settle(candidates: string[], reach: Reach, included: Set<string>, target: string): Promise<string[]> {
    const added: string[] = []
    for (;;) {
      const open = candidates.filter(c => !included.has(c) && !reach.keys.has(c))
      if (open.length === 0) return added
      await this.graph.ensure(open)
      const now = open.filter(c => this.affects(this.graph.get(c), reach, target))
      if (now.length === 0) return added
      for (const c of now) {
        included.add(c)
        reach.addFrom(c)
        added.push(c)
      }
    }
  }

  private reachModules(key: string): string[] {
    const r = new Reach(k => this.graph.tryGet(k))
    r.addFrom(key)
    return r.modules()
  }

  /**
   * Whether running a node's top-level code can change what is reached. Calling the target itself
   * is not an effect on it: what the target's own code changes, it changes on every call.
   */
  private affects(node: GraphNode, reach: Reach, target: string): boolean {
    const fx = node.fx
    if (!fx) return false
    if (fx.lg) return true
    for (const w of this.expandWrites(fx.lw ?? [])) if (reach.touches(w)) return true
    for (const r of fx.lr ?? []) {
      if (r === target) continue
      const latent = this.latent(r)
      if (latent.global) return true
      for (const w of latent.writes) if (reach.touches(w)) return true
    }
    return false
  }

  /** A write through data that points at other objects (`const lib = require('./lib')`) reaches them too. */
  private expandWrites(keys: Iterable<string>): Set<string> {
    const out = new Set<string>()
    const stack = [...keys]
    while (stack.length > 0) {
      const k = stack.pop()!
      if (out.has(k)) continue
      out.add(k)
      const n = this.graph.tryGet(k)
      if (n?.alias) for (const t of n.targets) stack.push(t)
    }
    return out
  }

  /**
   * What running `key`'s code may change, transitively through everything it references: a
   * reference may be a call. A package, built-in or unresolved import may change itself.
   */
  private latent(key: string): Latent {
    const known = this.latents.get(key)
    if (known) return known
    const writes = new Set<string>()
    let global = false
    const seen = new Set<string>()
    const stack = [key]
    while (stack.length > 0) {
      const k = stack.pop()!
      if (seen.has(k)) continue
      seen.add(k)
      const cached = k === key ? undefined : this.latents.get(k)
      if (cached) {
        for (const w of cached.writes) writes.add(w)
        global ||= cached.global
        continue
      }
      if (leafIdentity(k) !== undefined && k[0] !== 'j' && k[0] !== 'a') writes.add(k)
      const n = this.graph.tryGet(k)
      if (!n) continue
      const fx: NodeEffects | undefined = n.fx
      if (fx?.g) global = true
      for (const w of this.expandWrites(fx?.w ?? [])) writes.add(w)
      for (const t of n.targets) stack.push(t)
    }
    const out = writes.size === 0 && !global ? NOTHING : { writes, global }
    this.latents.set(key, out)
    return out
  }

  /**
   * The modules loaded with `start` (static imports, re-exports, top-level requires, transitively)
   * not visited yet; their top-level code that may run effects, and the packages they import for
   * their effects alone.
   */
  private async loadClosure(start: string[], visited: Set<string>): Promise<{ candidates: string[], sideEffectLeaves: string[] }> {
    const candidates: string[] = []
    const sideEffectLeaves: string[] = []
    const stack = start.filter(m => !visited.has(m))
    while (stack.length > 0) {
      const abs = stack.pop()!
      if (visited.has(abs)) continue
      visited.add(abs)
      let a
      try {
        a = await this.store.analysis(abs)
      }
      catch {
        // A module that cannot be read or parsed cannot run: the program fails before any target does.
        continue
      }
      a.effectUnits.forEach((u, i) => {
        if (u.fx) candidates.push(effectKey(abs, i))
      })
      for (const name of Object.keys(a.names)) {
        const fx = a.names[name]!.fx
        if (fx && (fx.lw || fx.lr || fx.lg)) candidates.push(bindingKey(abs, name))
      }
      for (const [spec, line, column, kind, sideEffectOnly] of a.loads) {
        const r = this.resolver.resolve(abs, spec, kind)
        if (r.kind === 'source') stack.push(r.abs)
        else if (sideEffectOnly && r.kind !== 'json' && r.kind !== 'asset') sideEffectLeaves.push(this.linker.leaf(r, spec, '*', abs, line, column, new Set()))
      }
    }
    return { candidates, sideEffectLeaves }
  }
}
