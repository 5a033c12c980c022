import type { Graph } from './graph.ts'
import { settleComponents } from './scc.ts'
import { bindingKey, effectKey, type Linker, type NodeEffects } from './linker.ts'
import type { Resolver } from './resolve.ts'
import type { FileStore } from '../store/file-store.ts'

/** What running a node's code may change: graph keys written, and whether global state is. */
interface Latent {
  writes: Set<string>
  global: boolean
}

const NOTHING: Latent = { writes: new Set(), global: false }

/** The module of a binding, statement or namespace key (`b\0<abs>\0<name>` → abs). */
function moduleOf(key: string): string | undefined {
  const kind = key.charCodeAt(0)
  if (kind !== 98 && kind !== 101 && kind !== 110) return undefined // b e n
  const end = key.indexOf('\0', 2)
  return end === -1 ? key.slice(2) : key.slice(2, end)
}

/** Whether a key is code of a source module (a statement or binding), not a package, built-in or unresolved import. */
export function isModuleCode(key: string): boolean {
  return moduleOf(key) !== undefined
}

/** A leaf's identity, whatever name was imported from it: a package installation, a built-in, an unresolved specifier. */
function leafIdentity(key: string): string | undefined {
  switch (key[0]) {
    case 'p': {
      // p\0name@version\0dir\0subpath\0imported
      const end = key.indexOf('\0', key.indexOf('\0', 2) + 1)
      return `P${key.slice(1, end)}`
    }
    case 'B':
    case 'u':
      return `${key[0]}${key.slice(1, key.indexOf('\0', 2))}`
    case 'j':
    case 'a':
      return key
  }
  return undefined
}

/** The tokens a write matches: the key, or its module when a whole namespace is written, or its package. */
function matchTokens(w: string): string[] {
  const m = moduleOf(w)
  if (m !== undefined) return w[0] === 'n' ? [`m\0${m}`, `N\0${m}`] : [w, `N\0${m}`]
  const leaf = leafIdentity(w)
  return leaf !== undefined ? [leaf] : [w]
}

/** The tokens a reached key offers to `matchTokens`. */
function ownTokens(k: string): string[] {
  const m = moduleOf(k)
  if (m !== undefined) return [k, k[0] === 'n' ? `N\0${m}` : `m\0${m}`]
  const leaf = leafIdentity(k)
  return leaf !== undefined ? [k, leaf] : [k]
}

const NO_TOKENS: ReadonlySet<string> = new Set()

/** The closure of the modules that load nothing that may change anything (most). */
const EMPTY_CLOSURE: Closure = { active: new Set(), leaves: new Set() }

/** Top-level code that may change something: what it may write, and whether global state. */
interface Candidate {
  key: string
  /** Where it stands in its module (line, then statement index): top-level code runs in this order. */
  position: number
  global: boolean
  writes: Set<string>
  /** The tokens its writes match (see `matchTokens`). */
  tokens: string[]
  /** What it references when it runs: calling the target itself is no effect on it. */
  runs: string[]
}

/** What a module's loading brings: its candidates and side-effect packages, and the source modules it loads. */
interface ModuleSummary {
  active: Candidate[]
  leaves: string[]
  loads: string[]
}

/** Everything loaded with a module, transitively: the candidates and side-effect packages among it. */
interface Closure {
  active: Set<Candidate>
  leaves: Set<string>
  /** Computed on first use: the tokens its candidates match, what they run, and answers by starting tokens. */
  tokens?: Set<string>
  runs?: Set<string>
  answers?: Map<string, string[]>
}

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
  /** Every token some candidate's writes can match: what reaching is worth knowing about. */
  private universe = new Set<string>()
  /** Per node: the tokens of `universe` it reaches (valid while the universe does not grow). */
  private reached = new Map<string, ReadonlySet<string>>()

  constructor(
    private linker: Linker,
    private graph: Graph,
    private resolver: Resolver,
    private store: FileStore,
    /** The program's entry modules (absolute): what they load is loaded with every target. */
    private entries: readonly string[] = [],
  ) {}

  /** Evaluation order of modules from a list of starting modules (see `evaluationOrder`). */
  private orders = new Map<string, Map<string, number>>()
  /** Per module: its closure joined with the entries' (see `loadedWith`). */
  private withEntries = new Map<string, Closure>()
  /** The closures of the entries, joined. */
  private entriesClosure: Promise<Closure> | undefined

  /** Forgets what was computed from the graph (call when the graph changes). */
  clear(): void {
    this.closing = Promise.resolve()
    this.latents.clear()
    this.summaries.clear()
    this.closures.clear()
    this.withEntries.clear()
    this.orders.clear()
    this.entriesClosure = undefined
    this.universe.clear()
    this.reached.clear()
  }

  /**
   * Keys of the top-level code and side-effect packages that count for `key` (defined in `abs`), in
   * the order they run: modules in evaluation order (the entries', then `abs`'s imports, depth
   * first, in source order), each module's code in source order, then side-effect packages (sorted).
   * Two setup calls swapped (`set(2); set(3)`), or two setup imports, leave another value behind.
   */
  async included(key: string, abs: string): Promise<string[]> {
    // The module's closure holds every module the target can reach (static, dynamic and required
    // loads, transitively), and the entries' every module the program loads: when nothing in them
    // may change anything, nothing counts.
    const closure = await this.loadedWith(abs)
    if (closure.active.size === 0 && closure.leaves.size === 0) return []
    // Only the tokens this closure's candidates can match are worth collecting.
    const wanted = (closure.tokens ??= new Set([...closure.active].flatMap(c => c.tokens)))
    const reached = new Set<string>()
    const missing = new Set(wanted)
    const merge = (tokens: ReadonlySet<string>): void => {
      // Walk the smaller side: what is still missing, or what was reached.
      if (tokens.size < missing.size) {
        for (const t of tokens) if (missing.delete(t)) reached.add(t)
        return
      }
      for (const t of missing) {
        if (!tokens.has(t)) continue
        missing.delete(t)
        reached.add(t)
      }
    }
    merge(this.tokensReached(key))
    // Targets that start from the same tokens get the same answer (unless top-level code calls the target).
    const runs = (closure.runs ??= new Set([...closure.active].flatMap(c => c.runs)))
    // Without entries, modules of one import cycle share a closure but run in another order from each.
    const memoKey = runs.has(key) ? undefined : `${this.entries.length === 0 ? abs : ''}\n${[...reached].sort().join('\n')}`
    const known = memoKey === undefined ? undefined : closure.answers?.get(memoKey)
    if (known) return known
    const included = new Set<string>()
    const include = (k: string): void => {
      included.add(k)
      merge(this.tokensReached(k))
    }
    for (const leaf of closure.leaves) include(leaf)
    for (let changed = true; changed;) {
      changed = false
      for (const c of closure.active) {
        if (included.has(c.key) || !this.affects(c, reached, key)) continue
        include(c.key)
        changed = true
      }
    }
    const answer = await this.inRunOrder([...included], abs)
    if (memoKey !== undefined) (closure.answers ??= new Map()).set(memoKey, answer)
    return answer
  }

  /** `keys` in the order their code runs when the program loads (see `included`). */
  private async inRunOrder(keys: string[], abs: string): Promise<string[]> {
    const rank = await this.evaluationOrder([...this.entries, abs])
    const position = new Map<string, number>()
    for (const c of await this.candidatesOf(keys)) position.set(c.key, c.position)
    const order = (k: string): [number, number] => {
      const m = moduleOf(k)
      return [m === undefined ? Number.MAX_SAFE_INTEGER : (rank.get(m) ?? Number.MAX_SAFE_INTEGER - 1), position.get(k) ?? 0]
    }
    return keys
      .map(k => ({ k, o: order(k) }))
      .sort((x, y) => x.o[0] - y.o[0] || x.o[1] - y.o[1] || (x.k < y.k ? -1 : x.k > y.k ? 1 : 0))
      .map(x => x.k)
  }

  /** The candidates of the modules of `keys` (their summaries are known: they were in a closure). */
  private async candidatesOf(keys: string[]): Promise<Candidate[]> {
    const modules = new Set(keys.map(moduleOf).filter((m): m is string => m !== undefined))
    const out: Candidate[] = []
    for (const m of modules) out.push(...(await this.summary(m)).active)
    return out
  }

  /**
   * The rank of each module in the order an ES module graph evaluates from `starts`: depth first,
   * imports in source order, a module after what it imports, each once. The entries' order serves
   * every module they load (most targets): it is computed once, and extended only for a module
   * outside it.
   */
  private async evaluationOrder(starts: string[]): Promise<Map<string, number>> {
    const key = starts.join('\0')
    const known = this.orders.get(key)
    if (known) return known
    const last = starts[starts.length - 1]!
    const base = starts.length > 1 ? await this.evaluationOrder(starts.slice(0, -1)) : new Map<string, number>()
    const rank = base.has(last) ? base : await this.extendOrder(new Map(base), last)
    this.orders.set(key, rank)
    return rank
  }

  /** Ranks, after those of `rank`, the modules `start` evaluates that `rank` has not. */
  private async extendOrder(rank: Map<string, number>, start: string): Promise<Map<string, number>> {
    if (rank.has(start)) return rank
    const seen = new Set(rank.keys()).add(start)
    const work: Array<[string, string[], number]> = [[start, (await this.summary(start)).loads, 0]]
    while (work.length > 0) {
      const frame = work[work.length - 1]!
      if (frame[2] < frame[1].length) {
        const t = frame[1][frame[2]++]!
        if (seen.has(t)) continue
        seen.add(t)
        work.push([t, (await this.summary(t)).loads, 0])
        continue
      }
      work.pop()
      rank.set(frame[0], rank.size)
    }
    return rank
  }

  /**
   * What is loaded with a target of `abs`: the closure of its module and those of the program's
   * entries (setup imported by `main.ts` runs before any function is called). When the module's
   * closure adds nothing to the entries' (the module is loaded by them: the usual case), it is the
   * entries' closure itself, so that every such target shares its memoized answers.
   */
  private async loadedWith(abs: string): Promise<Closure> {
    if (this.entries.length === 0) return this.closure(abs)
    const known = this.withEntries.get(abs)
    if (known) return known
    this.entriesClosure ??= (async () => {
      let all = EMPTY_CLOSURE
      for (const entry of this.entries) all = join(all, await this.closure(entry))
      return all
    })()
    const out = join(await this.entriesClosure, await this.closure(abs))
    this.withEntries.set(abs, out)
    return out
  }

  /** The tokens of the universe that `key` reaches (memoized per strongly connected component). */
  private tokensReached(key: string): ReadonlySet<string> {
    settleComponents(
      key,
      this.targetsOf,
      k => this.reached.has(k),
      members => this.settleTokens(members),
    )
    return this.reached.get(key)!
  }

  private targetsOf = (key: string): readonly string[] => this.graph.tryGet(key)?.targets ?? []

  /** The tokens a component reaches: its members' own, and those of what it points at. */
  private settleTokens(members: string[]): void {
    const out = new Set<string>()
    const inside = new Set(members)
    for (const k of members) {
      for (const t of ownTokens(k)) if (this.universe.has(t)) out.add(t)
      for (const t of this.graph.tryGet(k)?.targets ?? []) {
        if (inside.has(t)) continue
        for (const r of this.reached.get(t) ?? NO_TOKENS) out.add(r)
      }
    }
    const result = out.size > 0 ? out : NO_TOKENS
    for (const k of members) this.reached.set(k, result)
  }

  /**
   * Whether running a candidate can change what is reached. Calling the target itself is not an
   * effect on it: what the target's own code changes, it changes on every call.
   */
  private affects(c: Candidate, reached: ReadonlySet<string>, target: string): boolean {
    if (!c.runs.includes(target)) return c.global || c.tokens.some(t => reached.has(t))
    const { global, writes } = this.loadEffects(c.key, target)
    return global || [...writes].some(w => matchTokens(w).some(t => reached.has(t)))
  }

  /** What running a candidate's top-level code may change. */
  private candidate(key: string, position: number): Candidate {
    const { global, writes } = this.loadEffects(key)
    const tokens = [...new Set([...writes].flatMap(matchTokens))]
    return { key, position, global, writes, tokens, runs: this.graph.get(key).fx?.lr ?? [] }
  }

  /** What a unit's top-level code changes, itself and through what it runs (except `skip`, the target). */
  private loadEffects(key: string, skip?: string): Latent {
    const fx = this.graph.get(key).fx ?? {}
    const writes = this.directWrites(fx.lw, fx.la)
    let global = fx.lg === true
    for (const r of fx.lr ?? []) {
      if (r === skip) continue
      const latent = this.latent(r)
      global ||= latent.global
      for (const w of latent.writes) writes.add(w)
    }
    return { writes, global }
  }

  /** What a unit writes itself: its writes, and the data (not functions or classes) it passes to calls. */
  private directWrites(writes: string[] | undefined, passed: string[] | undefined): Set<string> {
    const keys = [...(writes ?? [])]
    for (const k of passed ?? []) if (this.isData(k)) keys.push(k)
    return this.expandWrites(keys)
  }

  /**
   * A write through data that points at other objects (`const lib = require('./lib')`) reaches them
   * too; through a value a call made (`const store = useStore()`), what that function may return:
   * it counts as a write to the function, as `useStore().k = 1` does.
   */
  private expandWrites(keys: Iterable<string>): Set<string> {
    const out = new Set<string>()
    const stack = [...keys]
    while (stack.length > 0) {
      const k = stack.pop()!
      if (out.has(k)) continue
      out.add(k)
      const n = this.graph.tryGet(k)
      if (!n?.alias) continue
      for (const t of n.targets) if (this.isData(t)) stack.push(t)
      if (n.madeBy !== undefined) stack.push(n.madeBy)
    }
    return out
  }

  /**
   * Whether a key holds data a call can change: not a function or class declaration, nor a
   * function made by calling one that returns functions only (`const add = curry2(…)`).
   */
  private isData(key: string): boolean {
    const n = this.graph.tryGet(key)
    if (!n || n.leafId !== undefined || key[0] === 'n') return true
    if (!n.alias) return false
    return n.madeBy === undefined || !this.returnsFunction(n.madeBy, new Set())
  }

  private returnsFunction(key: string, seen: Set<string>): boolean {
    if (isRuntimeWrapper(key)) return true
    if (seen.has(key)) return false
    seen.add(key)
    const n = this.graph.tryGet(key)
    return !!n?.returnsFn && n.returnsFn.every(k => this.returnsFunction(k, seen))
  }

  /**
   * What running `key`'s code may change, transitively through everything it references: a
   * reference may be a call. A package, built-in or unresolved import may change itself. Memoized
   * per strongly connected component: top-level calls of an entry reach most of the program, and
   * each walked it again.
   */
  private latent(key: string): Latent {
    settleComponents(
      key,
      this.targetsOf,
      k => this.latents.has(k),
      members => this.settleLatent(members),
    )
    return this.latents.get(key)!
  }

  /** A component's latent effects: its members' own, and those of what it points at (shared when it adds nothing). */
  private settleLatent(members: string[]): void {
    const writes = new Set<string>()
    let global = false
    const inside = new Set(members)
    const below = new Set<Latent>()
    for (const k of members) {
      if (writesItself(k)) writes.add(k)
      const n = this.graph.tryGet(k)
      if (!n) continue
      const fx: NodeEffects | undefined = n.fx
      if (fx?.g) global = true
      if (fx?.w || fx?.a) for (const w of this.directWrites(fx.w, fx.a)) writes.add(w)
      for (const t of n.targets) if (!inside.has(t)) below.add(this.latents.get(t)!)
    }
    below.delete(NOTHING)
    let out: Latent
    if (writes.size === 0 && !global && below.size <= 1) out = below.size === 0 ? NOTHING : [...below][0]!
    else {
      for (const l of below) {
        global ||= l.global
        for (const w of l.writes) writes.add(w)
      }
      out = { writes, global }
    }
    for (const k of members) this.latents.set(k, out)
  }

  /** The candidates and side-effect packages of a module and of everything it loads (memoized per complete closure). */
  private closing: Promise<unknown> = Promise.resolve()

  /** Closures are computed one after another: concurrent walks would each redo what the other memoizes. */
  private closure(start: string): Promise<Closure> {
    const known = this.closures.get(start)
    if (known) return Promise.resolve(known)
    const p = this.closing.then(() => this.computeClosure(start))
    this.closing = p.catch(() => {})
    return p
  }

  private async computeClosure(start: string): Promise<Closure> {
    const known = this.closures.get(start)
    if (known) return known
    // Iterative Tarjan over the load graph: every module visited gets its closure, once per
    // strongly connected component (import cycles share one), from its components below.
    const index = new Map<string, number>()
    const low = new Map<string, number>()
    const onStack = new Set<string>()
    const stack: string[] = []
    const loads = new Map<string, string[]>()
    const work: Array<[string, number]> = [[start, 0]]
    let counter = 0
    while (work.length > 0) {
      const frame = work[work.length - 1]!
      const m = frame[0]
      if (!index.has(m)) {
        index.set(m, counter)
        low.set(m, counter++)
        stack.push(m)
        onStack.add(m)
        loads.set(m, (await this.summary(m)).loads)
      }
      const next = loads.get(m)!
      if (frame[1] < next.length) {
        const t = next[frame[1]++]!
        if (this.closures.has(t)) continue
        if (!index.has(t)) work.push([t, 0])
        else if (onStack.has(t)) low.set(m, Math.min(low.get(m)!, index.get(t)!))
        continue
      }
      work.pop()
      if (work.length > 0) {
        const parent = work[work.length - 1]![0]
        low.set(parent, Math.min(low.get(parent)!, low.get(m)!))
      }
      if (low.get(m) !== index.get(m)) continue
      const members: string[] = []
      let x: string
      do {
        x = stack.pop()!
        onStack.delete(x)
        members.push(x)
      } while (x !== m)
      await this.settleClosure(members, loads)
    }
    return this.closures.get(start)!
  }

  /** A component's closure: its members' candidates and packages, and those of what they load. */
  private async settleClosure(members: string[], loads: Map<string, string[]>): Promise<void> {
    const active = new Set<Candidate>()
    const leaves = new Set<string>()
    const inside = new Set(members)
    for (const m of members) {
      const summary = await this.summary(m)
      for (const c of summary.active) active.add(c)
      for (const l of summary.leaves) leaves.add(l)
      for (const t of loads.get(m) ?? []) {
        if (inside.has(t)) continue
        const below = this.closures.get(t)!
        for (const c of below.active) active.add(c)
        for (const l of below.leaves) leaves.add(l)
      }
    }
    const closure: Closure = active.size === 0 && leaves.size === 0 ? EMPTY_CLOSURE : { active, leaves }
    for (const m of members) this.closures.set(m, closure)
  }

  /** New candidates' writes widen the universe; what nodes were found to reach is then recomputed. */
  private widen(active: Candidate[]): void {
    const before = this.universe.size
    for (const c of active) for (const w of c.writes) for (const t of matchTokens(w)) this.universe.add(t)
    if (this.universe.size !== before) this.reached.clear()
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
    } catch {
      // A module that cannot be read or parsed cannot run: the program fails before any target does.
      return { active: [], leaves: [], loads: [] }
    }
    const keys: string[] = []
    /** Line, then statement index (declarations after the statements of their line). */
    const positions = new Map<string, number>()
    a.effectUnits.forEach((u, i) => {
      if (!u.fx) return
      keys.push(effectKey(abs, i))
      positions.set(effectKey(abs, i), u.line * 0x10000 + Math.min(i, 0xfffe))
    })
    for (const name of Object.keys(a.names)) {
      const info = a.names[name]!
      const fx = info.fx
      if (!fx || !(fx.lw || fx.lr || fx.lg)) continue
      keys.push(bindingKey(abs, name))
      positions.set(bindingKey(abs, name), info.line * 0x10000 + 0xffff)
    }
    if (keys.length > 0) {
      try {
        await this.graph.build(keys)
      } catch {
        // Its code reaches a file that cannot be read or parsed: the module cannot run either.
        keys.length = 0
      }
    }
    // Code that writes nothing, even through what it calls, changes no target.
    const active = keys.map(k => this.candidate(k, positions.get(k)!)).filter(c => c.global || c.writes.size > 0)
    this.widen(active)
    const leaves: string[] = []
    const loads: string[] = []
    for (const [spec, line, column, kind, sideEffectOnly] of a.loads) {
      const r = this.resolver.resolve(abs, spec, kind)
      if (r.kind === 'source') loads.push(r.abs)
      else if (sideEffectOnly && r.kind !== 'json' && r.kind !== 'asset')
        leaves.push(this.linker.leaf(r, spec, '*', abs, line, column, new Set()))
    }
    return { active, leaves, loads }
  }
}

/** Two closures' candidates and packages together; `a` itself when `b` adds none (its memoized answers are kept). */
function join(a: Closure, b: Closure): Closure {
  if (b === a || b === EMPTY_CLOSURE) return a
  if (a === EMPTY_CLOSURE) return b
  const adds = [...b.active].some(c => !a.active.has(c)) || [...b.leaves].some(l => !a.leaves.has(l))
  return adds ? { active: new Set([...a.active, ...b.active]), leaves: new Set([...a.leaves, ...b.leaves]) } : a
}

/** A package, built-in or unresolved import may change itself when called. */
function writesItself(key: string): boolean {
  const kind = key[0]
  return (kind === 'p' && !key.startsWith(RUNTIME_PACKAGE)) || kind === 'B' || kind === 'u'
}

/**
 * The smart-cache runtime (installed as a package): what its calls change at load (a cached
 * function's wrapper, its stats, where results are stored) is never what another function
 * computes. Counted as a package that may change itself, each `export const f = smartCache(…)`
 * was module setup for every other cached function of its module and of the modules importing
 * it: editing one cached function recomputed them all.
 */
const RUNTIME_PACKAGE = 'p\0smart-cache@'

/**
 * The runtime's `smartCache(fn)`, which returns a function: a cached function passed to a call at
 * load (`timed(countPrimes)` in an entry) is no data that call may change, as `fn` itself is not.
 */
function isRuntimeWrapper(key: string): boolean {
  return key.startsWith(RUNTIME_PACKAGE) && key.endsWith('\0smartCache')
}
