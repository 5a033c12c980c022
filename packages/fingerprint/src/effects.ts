import type { Graph } from './graph.ts'
import { bindingKey, effectKey, type GraphNode, type Linker, type NodeEffects } from './linker.ts'
import type { Resolver } from './resolve.ts'
import type { FileStore } from './store.ts'

/** What running a node's code may change: graph keys written, and whether global state is. */
interface Latent { writes: Set<string>, global: boolean }

const NOTHING: Latent = { writes: new Set(), global: false }

/** The module of a binding, statement or namespace key (`b\0<abs>\0<name>` → abs). */
function moduleOf(key: string): string | undefined {
  const kind = key.charCodeAt(0)
  if (kind !== 98 && kind !== 101 && kind !== 110) return undefined // b e n
  const end = key.indexOf('\0', 2)
  return end === -1 ? key.slice(2) : key.slice(2, end)
}

/** A leaf's identity, whatever name was imported from it: a package installation, a built-in, an unresolved specifier. */
function leafIdentity(key: string): string | undefined {
  switch (key[0]) {
    case 'p': {
      // p\0name@version\0dir\0subpath\0imported
      const end = key.indexOf('\0', key.indexOf('\0', 2) + 1)
      return `P${key.slice(1, end)}`
    }
    case 'B': case 'u': return `${key[0]}${key.slice(1, key.indexOf('\0', 2))}`
    case 'j': case 'a': return key
  }
  return undefined
}

/** What a target reaches, indexed for the question "can this write change it?". */
class Reach {
  readonly keys = new Set<string>()
  private tokens = new Set<string>()
  private mods = new Set<string>()

  constructor(private get: (k: string) => GraphNode | undefined) {}

  /** Adds everything reachable from `key`. */
  addFrom(key: string): void {
    const stack = [key]
    while (stack.length > 0) {
      const k = stack.pop()!
      if (this.keys.has(k)) continue
      this.keys.add(k)
      const m = moduleOf(k)
      if (m !== undefined) {
        this.mods.add(m)
        this.tokens.add(k[0] === 'n' ? `N\0${m}` : `m\0${m}`)
      }
      else {
        const leaf = leafIdentity(k)
        if (leaf !== undefined) this.tokens.add(leaf)
      }
      const n = this.get(k)
      if (n) for (const t of n.targets) if (!this.keys.has(t)) stack.push(t)
    }
  }

  modules(): string[] {
    return [...this.mods]
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

/** Top-level code that may change something: what it may write, and whether global state. */
interface Candidate {
  key: string
  global: boolean
  writes: Set<string>
  /** What it references when it runs: calling the target itself is no effect on it. */
  runs: string[]
}

/** What a module's loading brings: its candidates and side-effect packages, and the source modules it loads. */
interface ModuleSummary { active: Candidate[], leaves: string[], loads: string[] }

/** Everything loaded with a module, transitively: the candidates and side-effect packages among it. */
interface Closure { active: Set<Candidate>, leaves: Set<string> }

/**
 * The effect analysis: which top-level code of the modules a target loads can change what the
 * target reads. A top-level statement (or a declaration whose initializer runs code) counts when
 * what it writes, directly or through the functions it calls, transitively, is something the
 * target reaches, or when it may write global state (a global, a built-in prototype, an unknown
 * call on a global). A side-effect import of a package counts as that package. Top-level code that
 * only calls the target, logs or times it writes nothing the target reads, and stays out.
 *
 * Per module, the code that may change anything is found once (most modules have none); per
 * target, only that code is matched against what the target reaches.
 */
export class EffectAnalysis {
  private latents = new Map<string, Latent>()
  private summaries = new Map<string, Promise<ModuleSummary>>()
  private closures = new Map<string, Closure>()

  constructor(
    private linker: Linker,
    private graph: Graph,
    private resolver: Resolver,
    private store: FileStore,
  ) {}

  /** Forgets what was computed from the graph (call when the graph changes). */
  clear(): void {
    this.latents.clear()
    this.summaries.clear()
    this.closures.clear()
  }

  /** Keys of the top-level code and side-effect packages that count for `key` (defined in `abs`), sorted. */
  async included(key: string, abs: string): Promise<string[]> {
    // The module's closure holds every module the target can reach (static, dynamic and required
    // loads): when nothing in it may change anything, nothing counts.
    const first = await this.closure(abs)
    if (first.active.size === 0 && first.leaves.size === 0) return []
    const reach = new Reach(k => this.graph.tryGet(k))
    reach.addFrom(key)
    const included = new Set<string>()
    const seenModules = new Set<string>()
    const active = new Set<Candidate>()
    let pending = [abs, ...reach.modules()]
    while (pending.length > 0) {
      for (const m of pending) {
        if (seenModules.has(m)) continue
        seenModules.add(m)
        const closure = await this.closure(m)
        for (const c of closure.active) active.add(c)
        for (const leaf of closure.leaves) {
          if (included.has(leaf)) continue
          included.add(leaf)
          reach.addFrom(leaf)
        }
      }
      const added = this.settle(active, reach, included, key)
      pending = added.flatMap(k => this.reachModules(k))
    }
    return [...included].sort()
  }

  /** Adds every candidate that touches the reach, until none does; returns those added. */
  private settle(active: Set<Candidate>, reach: Reach, included: Set<string>, target: string): string[] {
    const added: string[] = []
    for (let changed = true; changed;) {
      changed = false
      for (const c of active) {
        if (included.has(c.key) || reach.keys.has(c.key) || !this.affects(c, reach, target)) continue
        included.add(c.key)
        reach.addFrom(c.key)
        added.push(c.key)
        changed = true
      }
    }
    return added
  }

  private reachModules(key: string): string[] {
    const r = new Reach(k => this.graph.tryGet(k))
    r.addFrom(key)
    return r.modules()
  }

  /**
   * Whether running a candidate can change what is reached. Calling the target itself is not an
   * effect on it: what the target's own code changes, it changes on every call.
   */
  private affects(c: Candidate, reach: Reach, target: string): boolean {
    if (!c.runs.includes(target)) {
      if (c.global) return true
      for (const w of c.writes) if (reach.touches(w)) return true
      return false
    }
    const fx = this.graph.get(c.key).fx!
    if (fx.lg) return true
    for (const w of this.directWrites(fx.lw, fx.la)) if (reach.touches(w)) return true
    for (const r of fx.lr ?? []) {
      if (r === target) continue
      const latent = this.latent(r)
      if (latent.global) return true
      for (const w of latent.writes) if (reach.touches(w)) return true
    }
    return false
  }

  /** What running a candidate's top-level code may change. */
  private candidate(key: string): Candidate {
    const fx = this.graph.get(key).fx ?? {}
    const writes = this.directWrites(fx.lw, fx.la)
    let global = fx.lg === true
    for (const r of fx.lr ?? []) {
      const latent = this.latent(r)
      global ||= latent.global
      for (const w of latent.writes) writes.add(w)
    }
    return { key, global, writes, runs: fx.lr ?? [] }
  }

  /** What a unit writes itself: its writes, and the data (not functions or classes) it passes to calls. */
  private directWrites(writes: string[] | undefined, passed: string[] | undefined): Set<string> {
    const keys = [...(writes ?? [])]
    for (const k of passed ?? []) if (this.isData(k)) keys.push(k)
    return this.expandWrites(keys)
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
      if (n?.alias) for (const t of n.targets) if (this.isData(t)) stack.push(t)
    }
    return out
  }

  /** Whether a key holds data a call can change: not a function or class declaration. */
  private isData(key: string): boolean {
    const n = this.graph.tryGet(key)
    return !n || n.alias === true || n.leafId !== undefined || key[0] === 'n'
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
      if (writesItself(k)) writes.add(k)
      const n = this.graph.tryGet(k)
      if (!n) continue
      const fx: NodeEffects | undefined = n.fx
      if (fx?.g) global = true
      if (fx?.w || fx?.a) for (const w of this.directWrites(fx.w, fx.a)) writes.add(w)
      for (const t of n.targets) stack.push(t)
    }
    const out = writes.size === 0 && !global ? NOTHING : { writes, global }
    this.latents.set(key, out)
    return out
  }

  /** The candidates and side-effect packages of a module and of everything it loads (memoized per complete closure). */
  private async closure(start: string): Promise<Closure> {
    const known = this.closures.get(start)
    if (known) return known
    const out: Closure = { active: new Set(), leaves: new Set() }
    const seen = new Set<string>()
    const stack = [start]
    while (stack.length > 0) {
      const m = stack.pop()!
      if (seen.has(m)) continue
      seen.add(m)
      const done = m === start ? undefined : this.closures.get(m)
      if (done) {
        for (const c of done.active) out.active.add(c)
        for (const l of done.leaves) out.leaves.add(l)
        continue
      }
      const summary = await this.summary(m)
      for (const c of summary.active) out.active.add(c)
      for (const l of summary.leaves) out.leaves.add(l)
      for (const next of summary.loads) stack.push(next)
    }
    this.closures.set(start, out)
    return out
  }

  private summary(abs: string): Promise<ModuleSummary> {
    let s = this.summaries.get(abs)
    if (!s) {
      s = this.summarize(abs)
      this.summaries.set(abs, s)
    }
    return s
  }

  /** A module's top-level code that may change something, and what it loads. */
  private async summarize(abs: string): Promise<ModuleSummary> {
    let a
    try {
      a = await this.store.analysis(abs)
    }
    catch {
      // A module that cannot be read or parsed cannot run: the program fails before any target does.
      return { active: [], leaves: [], loads: [] }
    }
    const keys: string[] = []
    a.effectUnits.forEach((u, i) => {
      if (u.fx) keys.push(effectKey(abs, i))
    })
    for (const name of Object.keys(a.names)) {
      const fx = a.names[name]!.fx
      if (fx && (fx.lw || fx.lr || fx.lg)) keys.push(bindingKey(abs, name))
    }
    if (keys.length > 0) await this.graph.ensure(keys)
    // Code that writes nothing, even through what it calls, changes no target.
    const active = keys.map(k => this.candidate(k)).filter(c => c.global || c.writes.size > 0)
    const leaves: string[] = []
    const loads: string[] = []
    for (const [spec, line, column, kind, sideEffectOnly] of a.loads) {
      const r = this.resolver.resolve(abs, spec, kind)
      if (r.kind === 'source') loads.push(r.abs)
      else if (sideEffectOnly && r.kind !== 'json' && r.kind !== 'asset') leaves.push(this.linker.leaf(r, spec, '*', abs, line, column, new Set()))
    }
    return { active, leaves, loads }
  }
}

/** A package, built-in or unresolved import may change itself when called. */
function writesItself(key: string): boolean {
  const kind = key[0]
  return kind === 'p' || kind === 'B' || kind === 'u'
}
