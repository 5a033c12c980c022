import { blake3 } from '../hash.ts'
import { isBuiltinGlobal } from './known-globals.ts'
import { globalCall, isReadOnlyMethod, isWriteOnlyGlobal, LOCATION_GLOBALS, MODULE_WRAPPER_GLOBALS } from './globals.ts'
import type { LineIndex } from './lines.ts'
import {
  PATTERN_REFERENCE,
  URL_REFERENCE,
  type AnalysisWarning,
  type Effects,
  type FileGlob,
  type ImportInfo,
  type LoadRequest,
  type Ref,
} from './analysis-types.ts'
import type { CallSite, IdentKind, MetaType, Root, Sink } from './sink.ts'
import { patternNames } from './static-syntax.ts'
import { walk } from './canonical-walk.ts'

type Node = any

/** A module's file name (what `new URL('./w.ts', import.meta.url)` references as code). */
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)(?:\?.*)?$/

/** `./d.txt` with `?url` added to its query (it then resolves as an asset, counted by its bytes). */
function withQuery(specifier: string, key: string): string {
  return specifier.includes('?') ? `${specifier}&${key}` : `${specifier}?${key}`
}

/** What an identifier stands for once scopes are known. */
type Resolution = string | { ref: Ref; ns?: ImportInfo }

interface Scope {
  parent: Scope | null
  fn: boolean
  names: Map<string, string>
}

/** How the module scope answers a name that no local scope declares. */
export interface ModuleScope {
  /** Imports by local name (a null-prototype object: names come from source code). */
  imports: Record<string, ImportInfo>
  declared: Set<string>
  /** Module-level names bound to a `require` made by `createRequire(…)`. */
  requires: Set<string>
  /** CommonJS: `exports.x` names the module-level binding `exports.x`. */
  commonjs: boolean
}

/** The canonical form of one unit: its hash, and the module-level things it points at, in slot order. */
export interface Canon {
  hash: string
  slots: Ref[]
  /** For a destructuring declarator: the names it binds, in pattern order. */
  patternNames: string[]
  /** What the unit may change, and what it runs when evaluated. */
  effects: Effects
  /** It reads where its module is. */
  location: boolean
  /** It has JSX: 1 elements, 2 fragments too. */
  jsx: number
  /** It defines a class. */
  cls: boolean
  /** Global names it reads and `import.meta.env`, sorted (a bundler's `define` replaces them). */
  free: string[]
  /** Of those, the names no JavaScript platform defines (built-ins, browsers, workers, Node): `[name, line, column]` of the first read of each. */
  undeclared?: Array<[string, number, number]>
  /** It loads modules chosen by a pattern (not followed): `[what, line, column]` of the first. */
  pattern?: [string, number, number]
  /** `require('x')` / `import('x')` run when the unit is evaluated. */
  requests: LoadRequest[]
  /** Decorator metadata: its text and the references it names, apart from the code's slots. */
  metadata?: { hash: string; slots: Ref[] }
}

/** A token whose text is only known once every declaration has been seen (hoisting). */
type Deferred =
  | { at: number; kind: 'ref'; name: string; scope: Scope; load: boolean; write: boolean; start: number }
  | { at: number; kind: 'member'; name: string; scope: Scope; property: string; optional: boolean; start: number }
  | { at: number; kind: 'require'; name: string; scope: Scope; specifier: string; ref: Ref }
  | { at: number; kind: 'slot'; ref: Ref }
  | { at: -1; kind: 'mutate'; root: Root; scope: Scope; load: boolean }
  | { at: -1; kind: 'call'; site: CallSite; scope: Scope; load: boolean }
  | { at: number; kind: 'lexical'; declared: string; names: string[]; scope: Scope }

/** What a mutation or call resolved to. */
interface Target {
  slot?: number
  local?: string
  global?: string
}

/**
 * One pass over a unit: it emits the token stream and tracks scopes. Declarations get de
 * Bruijn-style tokens `L<n>` numbered in traversal order, so consistently renamed locals give the
 * same tokens. References are left as holes and filled after the walk, when every declaration
 * (hoisted ones included) is known: a local token, a module slot `S<n>` (numbered in order of
 * first appearance) or a global by name. Writes, calls and module requests are recorded for the
 * effect analysis, each marked as run when the unit is evaluated or later (inside a function).
 */
class CanonPass implements Sink {
  readonly out: string[] = []
  readonly slots: Ref[] = []
  readonly patternNames: string[] = []
  readonly requests: LoadRequest[] = []
  private scope: Scope = { parent: null, fn: true, names: new Map() }
  private counter = 0
  /** Local names by token number: they count when `eval` or `with` can see them. */
  private declared: string[] = []
  private namesVisible = false
  private evalSeen = false
  private deferred: Deferred[] = []
  private slotIndex = new Map<string, number>()
  private deferDepth = 0
  private writes = new Set<number>()
  private loadWrites = new Set<number>()
  private global = false
  private loadGlobal = false
  private writtenLocals = new Set<string>()
  readsLocation = false
  /** Global names the unit reads, and `import.meta.env`: a bundler's `define` may replace them. */
  readonly free = new Set<string>()
  /** Of those, the names no JavaScript platform defines, with where each is first read. */
  readonly undeclared = new Map<string, [number, number]>()
  jsxUse = 0
  definesClass = false
  /** The first load of modules chosen by a pattern: `[what, line, column]`. */
  firstPatternLoad?: [string, number, number]

  constructor(
    private module: ModuleScope,
    private lines: LineIndex,
    private warnings: AnalysisWarning[],
  ) {}

  private get load(): boolean {
    return this.deferDepth === 0
  }

  open(type: string): void {
    if (type === 'WithStatement') this.namesVisible = true
    this.out.push(type)
  }
  scalar(value: string): void {
    this.out.push(value)
  }
  close(): void {
    this.out.push(')')
  }

  enterScope(fn: boolean): void {
    this.scope = { parent: this.scope, fn, names: new Map() }
  }

  exitScope(): void {
    this.scope = this.scope.parent ?? this.scope
  }

  defer(delta: number): void {
    this.deferDepth += delta
  }

  readonly meta: string[] = []
  readonly metaSlots: Ref[] = []

  metadata(key: string, types: MetaType[]): void {
    const tokens = types.map(t => {
      if (typeof t === 'string') return t
      const r = this.lookup(t.ref.name, this.scope)
      if (typeof r === 'string') return `${r}${t.path ? `.${t.path}` : ''}`
      const ref: Ref = r.ref[0] === 'x' && t.path ? ['x', r.ref[1], r.ref[2], r.ref[3], r.ref[4], t.path.split('.')[0]!, r.ref[6]] : r.ref
      this.metaSlots.push(ref)
      return `M${this.metaSlots.length - 1}`
    })
    this.meta.push(`${key}(${tokens.join(',')})`)
  }
  location(): void {
    this.readsLocation = true
  }
  metaEnv(): void {
    this.free.add('import.meta.env')
  }
  classBody(): void {
    this.definesClass = true
  }
  jsx(fragment: boolean): void {
    this.jsxUse |= fragment ? 3 : 1
  }

  ident(node: Node, kind: IdentKind): void {
    switch (kind) {
      case 'ref':
      case 'write':
        this.deferred.push({
          at: this.out.length,
          kind: 'ref',
          name: node.name,
          scope: this.scope,
          load: this.load,
          write: kind === 'write',
          start: node.start,
        })
        this.out.push('')
        return
      case 'let':
        this.out.push(this.declare(this.scope, node.name))
        return
      case 'var':
      case 'param':
        this.out.push(this.declare(this.functionScope(), node.name))
        return
      case 'enum':
        this.scope.names.set(node.name, `E:${node.name}`)
        return
      case 'root':
        this.out.push(`P${this.patternNames.length}`)
        this.patternNames.push(node.name)
    }
  }

  lexical(kind: string, ids: Node[]): void {
    const names: string[] = []
    for (const id of ids) names.push(...patternNames(id))
    this.deferred.push({ at: this.out.length, kind: 'lexical', declared: kind, names, scope: this.scope })
    this.out.push('')
  }

  staticMember(member: Node, object: Node, property: string): boolean {
    this.deferred.push({
      at: this.out.length,
      kind: 'member',
      name: object.name,
      scope: this.scope,
      property,
      optional: member.optional === true,
      start: object.start,
    })
    this.out.push('')
    return true
  }

  mutate(root: Root): void {
    this.deferred.push({ at: -1, kind: 'mutate', root, scope: this.scope, load: this.load })
  }

  call(site: CallSite): void {
    this.deferred.push({ at: -1, kind: 'call', site, scope: this.scope, load: this.load })
  }

  moduleRequest(node: Node, specifier: string, kind: 'import' | 'require', names?: string[]): boolean {
    const { line, column } = this.lines.position(node.start)
    if (kind === 'import') {
      this.requests.push([specifier, line, column, 'i', 0])
      this.out.push(names ? `import ${JSON.stringify(names)}` : 'import')
      for (const imported of names ?? ['*']) {
        const ref: Ref = ['x', specifier, imported, line, column, null, 'i']
        this.deferred.push({ at: this.out.length, kind: 'slot', ref })
        this.out.push('')
      }
    } else {
      const ref: Ref = ['x', specifier, '*', line, column, null, 'r']
      this.deferred.push({ at: this.out.length, kind: 'require', name: node.callee.name, scope: this.scope, specifier, ref })
      this.out.push('')
    }
    return true
  }

  mayRequire(name: string): boolean {
    return name === 'require' || this.module.requires.has(name)
  }

  patternLoad(node: Node, what: string, eager: boolean): void {
    // Modules run at load that are not followed may change anything: like a write to a global.
    if (eager) {
      this.global = true
      if (this.load) this.loadGlobal = true
    }
    if (this.firstPatternLoad) return
    const { line, column } = this.lines.position(node.start)
    this.firstPatternLoad = [what, line, column]
  }

  untracked(node: Node, what: string, runsCode: boolean): void {
    const { line, column } = this.lines.position(node.start)
    // What it loads is not followed: what reaches this has no fingerprint. A module it loads runs
    // when it is called, and may change anything (like an eager glob of code); a data file does not.
    this.patternLoad(node, `${what} with a computed ${what.startsWith('new URL') ? 'path' : 'specifier'}`, runsCode)
    this.warnings.push({
      line,
      column,
      message:
        what === 'new URL(…, import.meta.url)'
          ? `${what} with a path that is not a relative string literal: the file it names is not followed, so a cached function that reaches it runs uncached. Name the file with a literal ('./file.ts'), or pass its contents as an argument.`
          : `${what} with a computed specifier is not followed (bundlers include every file it may match): a cached function that reaches it runs uncached. Import each file with a string literal specifier, or pass the loaded data as an argument.`,
    })
  }

  patternRequest(node: Node, parts: string[] | FileGlob, kind: 'i' | 'r', runs: 'now' | 'later' | false): void {
    // The modules it loads run when they load; what they change is not followed: anything.
    if (runs) {
      this.global = true
      if (this.load && runs === 'now') this.loadGlobal = true
    }
    const { line, column } = this.lines.position(node.start)
    const ref: Ref = ['x', JSON.stringify(parts), PATTERN_REFERENCE, line, column, null, kind]
    this.out.push(`pattern-${kind}`)
    this.deferred.push({ at: this.out.length, kind: 'slot', ref })
    this.out.push('')
  }

  fileReference(node: Node, specifier: string): void {
    const { line, column } = this.lines.position(node.start)
    // A module is followed with what it loads (a worker runs it all); another file counts by its bytes.
    const ref: Ref = ['x', SOURCE_FILE.test(specifier) ? specifier : withQuery(specifier, 'url'), URL_REFERENCE, line, column, null, 'i']
    this.out.push('url-ref')
    this.deferred.push({ at: this.out.length, kind: 'slot', ref })
    this.out.push('')
  }

  /** Fills every hole, in stream order, so slot numbers follow first appearance. */
  finish(): void {
    for (const d of this.deferred) {
      if (d.kind === 'mutate') this.fillMutate(d.root, d.scope, d.load)
      else if (d.kind === 'call') this.fillCall(d.site, d.scope, d.load)
      else if (d.kind !== 'lexical') this.out[d.at] = this.fill(d)
    }
    // `let` and `const` differ only when the binding is assigned (a `const` then throws).
    for (const d of this.deferred) {
      if (d.kind !== 'lexical') continue
      const written = d.names.some(n => {
        const token = this.lookupLocal(n, d.scope)
        return token !== undefined && this.writtenLocals.has(token)
      })
      this.out[d.at] = written ? `Var:${d.declared}` : 'Var:lexical'
    }
    // Direct eval and `with` look locals up by name: renaming one is then a change.
    if (this.namesVisible) this.out.push('names', JSON.stringify(this.declared))
    // Direct eval can read every module-level binding and import.
    if (this.evalSeen) this.readWholeModule()
  }

  effects(): Effects {
    const fx: Effects = {}
    if (this.writes.size > 0) fx.w = [...this.writes]
    if (this.global) fx.g = 1
    if (this.passed.size > 0) fx.a = [...this.passed]
    if (this.loadWrites.size > 0) fx.lw = [...this.loadWrites]
    if (this.loadPassed.size > 0) fx.la = [...this.loadPassed]
    if (this.loadRuns.size > 0) fx.lr = [...this.loadRuns]
    if (this.runs.size > 0) fx.r = [...this.runs]
    if (this.loadGlobal) fx.lg = 1
    return fx
  }

  private readWholeModule(): void {
    for (const name of [...this.module.declared].sort()) this.slot(['n', name])
    for (const name of Object.keys(this.module.imports).sort()) this.slot(['x', ...this.module.imports[name]!])
  }

  /** A global name read: a platform's own, or one that something else must define (a bundler may inject it). */
  private freeName(name: string, d: Deferred): void {
    this.free.add(name)
    if (isBuiltinGlobal(name) || this.undeclared.has(name) || !('start' in d)) return
    const { line, column } = this.lines.position(d.start)
    this.undeclared.set(name, [line, column])
  }

  private fill(d: Exclude<Deferred, { kind: 'mutate' | 'call' | 'lexical' }>): string {
    if (d.kind === 'slot') return this.slotToken(d.ref)
    const r = this.lookup(d.name, d.scope)
    if (r === 'G:eval') {
      this.namesVisible = true
      this.evalSeen = true
    }
    if (typeof r === 'string' && LOCATION_GLOBALS.has(r)) this.readsLocation = true
    if (typeof r === 'string' && r.startsWith('G:')) this.freeName(r.slice(2), d)
    if (d.kind === 'ref') {
      if (d.write) this.noteWrite(this.targetOf(r), d.load, true)
      return typeof r === 'string' ? r : this.slotToken(r.ref)
    }
    if (d.kind === 'require') {
      if (this.isRequire(r)) {
        this.requests.push([d.specifier, d.ref[3] as number, d.ref[4] as number, 'r', 0])
        return `require\n${this.slotToken(d.ref)}`
      }
      return `CallExpression\n_\n${typeof r === 'string' ? r : this.slotToken(r.ref)}\n[1\ns${JSON.stringify(d.specifier)}\n)`
    }
    if (typeof r !== 'string' && r.ns) {
      const [spec, , line, column, kind] = r.ns
      return this.slotToken(['x', spec, d.property, line, column, null, kind ?? 'i'])
    }
    let object: string
    if (r === 'G:exports' && this.module.commonjs && this.module.declared.has(`exports.${d.property}`)) {
      return this.slotToken(['n', `exports.${d.property}`])
    }
    if (typeof r === 'string') object = r
    else if (r.ref[0] === 'x') object = this.slotToken(['x', r.ref[1], r.ref[2], r.ref[3], r.ref[4], d.property, r.ref[6]])
    else object = this.slotToken(r.ref)
    return `MemberExpression\n${d.optional ? '?.' : '.'}\n${object}\nK:${d.property}\n)`
  }

  private isRequire(r: Resolution): boolean {
    if (r === 'G:require') return true
    return typeof r !== 'string' && r.ref[0] === 'n' && this.module.requires.has(r.ref[1])
  }

  /** What a root (`a`, or `a.b` where `a` is a namespace import) resolves to. */
  private resolveRoot(root: Root, scope: Scope): Target {
    const r = this.lookup(root.ident.name, scope)
    if (typeof r === 'string') return this.targetOf(r)
    if (root.property !== undefined && r.ns) {
      const [spec, , line, column, kind] = r.ns
      return { slot: this.slot(['x', spec, root.property, line, column, null, kind ?? 'i']) }
    }
    // The same slot as the read `a.b` makes: an import narrowed to its member.
    if (root.property !== undefined && r.ref[0] === 'x')
      return { slot: this.slot(['x', r.ref[1], r.ref[2], r.ref[3], r.ref[4], root.property, r.ref[6]]) }
    return { slot: this.slot(r.ref) }
  }

  private targetOf(r: Resolution): Target {
    if (typeof r !== 'string') return { slot: this.slot(r.ref) }
    return r.startsWith('G:') ? { global: r } : { local: r }
  }

  /**
   * A binding passed to a call: the callee may change the object it holds. Recorded apart, since
   * it counts only for data (a function passed as a callback is not changed by being called).
   */
  private noteArgument(t: Target, load: boolean): void {
    if (t.slot === undefined) return
    this.passed.add(t.slot)
    if (load) this.loadPassed.add(t.slot)
  }

  private passed = new Set<number>()
  /** Slots whose code a call may run: callees, receivers and arguments (a callback may be called). */
  private runs = new Set<number>()
  private loadRuns = new Set<number>()

  private noteRun(t: Target, load: boolean): void {
    if (t.slot === undefined) return
    this.runs.add(t.slot)
    if (load) this.loadRuns.add(t.slot)
  }
  private loadPassed = new Set<number>()

  /** Records a write; `reassign`: the binding itself is assigned, not an object it holds. */
  private noteWrite(t: Target, load: boolean, reassign: boolean): void {
    if (t.local !== undefined) {
      if (reassign) this.writtenLocals.add(t.local)
    } else if (t.slot !== undefined) {
      this.writes.add(t.slot)
      if (load) this.loadWrites.add(t.slot)
    } else if (t.global !== undefined && !MODULE_WRAPPER_GLOBALS.has(t.global)) {
      this.global = true
      if (load) this.loadGlobal = true
    }
  }

  private fillMutate(root: Root, scope: Scope, load: boolean): void {
    const t = this.resolveRoot(root, scope)
    // What a global's call returns (`document.querySelector(…)`) is no module state.
    if (t.global !== undefined && root.called) return
    if (t.global !== undefined && isWriteOnlyGlobal(t.global, root.property)) return
    this.noteWrite(t, load, false)
  }

  /**
   * A call may change its receiver (unless the method is a known read-only one) and any binding
   * passed to it; a call on a global may change global state, unless it is known not to.
   */
  private fillCall(site: CallSite, scope: Scope, load: boolean): void {
    const callee = site.callee ? this.resolveRoot(site.callee, scope) : {}
    if (callee.global !== undefined && site.callee?.called) return this.noteRun(callee, load)
    this.noteRun(callee, load)
    if (site.runsOnly) return
    for (const a of site.args) this.noteRun(this.resolveRoot(a, scope), load)
    let args = true
    if (callee.global !== undefined) {
      if (MODULE_WRAPPER_GLOBALS.has(callee.global)) return
      // `Math.max(…)` is looked up as a method of the global; `process.argv.slice(…)` as a method of what it holds.
      const kind = site.direct
        ? globalCall(callee.global.slice(2), site.callee!.property, site.isNew)
        : isReadOnlyMethod(site.method)
          ? 'pure'
          : 'global'
      if (kind === 'pure') args = false
      else if (kind === 'global') this.noteWrite(callee, load, false)
      if (kind === 'arguments') {
        // `Object.assign(target, …)`, `Object.defineProperty(String.prototype, …)`: the first argument is changed.
        const first = site.args[0] && this.resolveRoot(site.args[0], scope)
        if (first && !(first.global !== undefined && site.args[0]!.called)) this.noteWrite(first, load, false)
        return
      }
    } else if (site.method !== undefined) {
      // `xs.map(f)`, `s.replace(re, …)`: a read-only built-in method changes neither its receiver nor its arguments.
      if (isReadOnlyMethod(site.method)) return
      this.noteWrite(callee, load, false)
    }
    if (!args) return
    // A binding passed to a call may be changed by it; a global passed along is not counted (`f(process.argv)`).
    for (const a of site.args) {
      const t = this.resolveRoot(a, scope)
      // A call's result passed along (`Object.assign(getState(), …)`) may be the callee's state: a write to it.
      if (t.global !== undefined) continue
      if (a.called) this.noteWrite(t, load, false)
      else this.noteArgument(t, load)
    }
  }

  /** Local scopes first, then the module's imports and declarations, then globals by name. */
  private lookup(name: string, scope: Scope): Resolution {
    const local = this.lookupLocal(name, scope)
    if (local !== undefined) return local
    const imp = Object.hasOwn(this.module.imports, name) ? this.module.imports[name] : undefined
    if (imp) return imp[1] === '*' ? { ref: ['x', ...imp], ns: imp } : { ref: ['x', ...imp] }
    if (this.module.declared.has(name)) return { ref: ['n', name] }
    return `G:${name}`
  }

  private lookupLocal(name: string, scope: Scope): string | undefined {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const token = s.names.get(name)
      if (token !== undefined) return token
    }
    return undefined
  }

  private functionScope(): Scope {
    let s = this.scope
    while (!s.fn && s.parent) s = s.parent
    return s
  }

  private declare(scope: Scope, name: string): string {
    let token = scope.names.get(name)
    if (token === undefined) {
      token = `L${this.counter++}`
      this.declared.push(name)
      scope.names.set(name, token)
    }
    return token
  }

  private slotToken(ref: Ref): string {
    return `S${this.slot(ref)}`
  }

  private slot(ref: Ref): number {
    const key = ref[0] === 'n' ? `n\0${ref[1]}` : `x\0${ref[1]}\0${ref[2]}\0${ref[5] ?? ''}\0${ref[6] ?? ''}`
    let i = this.slotIndex.get(key)
    if (i === undefined) {
      i = this.slots.length
      this.slots.push(ref)
      this.slotIndex.set(key, i)
    }
    return i
  }
}

/**
 * The canonical form of one top-level unit. `prefix` distinguishes unit kinds that share a node
 * type (for example the `const`/`let` of a declarator).
 */
export function canonicalize(
  root: Node,
  rootRole: 'root' | 'stmt',
  prefix: string,
  module: ModuleScope,
  lines: LineIndex,
  warnings: AnalysisWarning[],
): Canon {
  const pass = new CanonPass(module, lines, warnings)
  pass.out.push(prefix)
  walk(root, rootRole, pass)
  pass.finish()
  return {
    hash: blake3(pass.out.join('\n')),
    slots: pass.slots,
    patternNames: pass.patternNames,
    effects: pass.effects(),
    location: pass.readsLocation,
    jsx: pass.jsxUse,
    cls: pass.definesClass,
    free: [...pass.free].sort(),
    ...(pass.undeclared.size > 0 ? { undeclared: [...pass.undeclared].map(([name, [line, column]]) => [name, line, column]) } : {}),
    requests: pass.requests,
    ...(pass.firstPatternLoad ? { pattern: pass.firstPatternLoad } : {}),
    ...(pass.meta.length > 0 ? { metadata: { hash: blake3(`metadata\n${pass.meta.join('\n')}`), slots: pass.metaSlots } } : {}),
  }
}
