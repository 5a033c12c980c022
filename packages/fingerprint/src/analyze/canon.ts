import { blake3 } from '../hash.ts'
import type { LineIndex } from './lines.ts'
import type { AnalysisWarning, ImportInfo, Ref } from './types.ts'
import { type IdentKind, type Sink, walk } from './walk.ts'

type Node = any

/** What an identifier stands for once scopes are known. */
type Resolution = string | { ref: Ref, ns?: ImportInfo }

interface Scope { parent: Scope | null, fn: boolean, names: Map<string, string> }

/** How the module scope answers a name that no local scope declares. */
export interface ModuleScope {
  imports: Record<string, ImportInfo>
  declared: Set<string>
}

/** The canonical form of one unit: its hash, and the module-level things it points at, in slot order. */
export interface Canon {
  hash: string
  slots: Ref[]
  /** For a destructuring declarator: the names it binds, in pattern order. */
  patternNames: string[]
}

/** A token whose text is only known once every declaration has been seen (hoisting). */
type Deferred =
  | { at: number, kind: 'ref', name: string, scope: Scope }
  | { at: number, kind: 'member', name: string, scope: Scope, property: string, optional: boolean }
  | { at: number, kind: 'require', name: string, scope: Scope, specifier: string, ref: Ref }
  | { at: number, kind: 'slot', ref: Ref }

/**
 * One pass over a unit: it emits the token stream and tracks scopes. Declarations get de
 * Bruijn-style tokens `L<n>` numbered in traversal order, so consistently renamed locals give the
 * same tokens. References are left as holes and filled after the walk, when every declaration
 * (hoisted ones included) is known: a local token, a module slot `S<n>` (numbered in order of
 * first appearance) or a global by name.
 */
class CanonPass implements Sink {
  readonly out: string[] = []
  readonly slots: Ref[] = []
  readonly patternNames: string[] = []
  private scope: Scope = { parent: null, fn: true, names: new Map() }
  private counter = 0
  /** Local names by token number: they count when `eval` or `with` can see them. */
  private declared: string[] = []
  private namesVisible = false
  private deferred: Deferred[] = []
  private slotIndex = new Map<string, number>()

  constructor(
    private module: ModuleScope,
    private lines: LineIndex,
    private warnings: AnalysisWarning[],
  ) {}

  open(type: string): void {
    if (type === 'WithStatement') this.namesVisible = true
    this.out.push(type)
  }
  scalar(value: string): void { this.out.push(value) }
  close(): void { this.out.push(')') }

  enterScope(fn: boolean): void {
    this.scope = { parent: this.scope, fn, names: new Map() }
  }

  exitScope(): void {
    this.scope = this.scope.parent ?? this.scope
  }

  ident(node: Node, kind: IdentKind): void {
    switch (kind) {
      case 'ref':
        this.deferred.push({ at: this.out.length, kind: 'ref', name: node.name, scope: this.scope })
        this.out.push('')
        return
      case 'let': this.out.push(this.declare(this.scope, node.name)); return
      case 'var': case 'param': this.out.push(this.declare(this.functionScope(), node.name)); return
      case 'enum': this.scope.names.set(node.name, `E:${node.name}`); return
      case 'root':
        this.out.push(`P${this.patternNames.length}`)
        this.patternNames.push(node.name)
    }
  }

  staticMember(member: Node, object: Node, property: string): boolean {
    this.deferred.push({ at: this.out.length, kind: 'member', name: object.name, scope: this.scope, property, optional: member.optional === true })
    this.out.push('')
    return true
  }

  moduleRequest(node: Node, specifier: string, kind: 'import' | 'require'): boolean {
    const { line, column } = this.lines.position(node.start)
    const ref: Ref = ['x', specifier, '*', line, column]
    if (kind === 'import') {
      this.out.push('import')
      this.deferred.push({ at: this.out.length, kind: 'slot', ref })
      this.out.push('')
    }
    else {
      this.deferred.push({ at: this.out.length, kind: 'require', name: node.callee.name, scope: this.scope, specifier, ref })
      this.out.push('')
    }
    return true
  }

  untracked(node: Node, what: string): void {
    const { line, column } = this.lines.position(node.start)
    this.warnings.push({
      line,
      column,
      message: `${what} with a computed specifier is not followed: what it loads is not part of the fingerprint. Use a string literal specifier.`,
    })
  }

  /** Fills every hole, in stream order, so slot numbers follow first appearance. */
  finish(): void {
    for (const d of this.deferred) this.out[d.at] = this.fill(d)
    // Direct eval and `with` look locals up by name: renaming one is then a change.
    if (this.namesVisible) this.out.push('names', JSON.stringify(this.declared))
  }

  private fill(d: Deferred): string {
    if (d.kind === 'slot') return this.slot(d.ref)
    const r = this.lookup(d.name, d.scope)
    if (r === 'G:eval') this.namesVisible = true
    if (d.kind === 'ref') return typeof r === 'string' ? r : this.slot(r.ref)
    if (d.kind === 'require') {
      if (r === 'G:require') return `require\n${this.slot(d.ref)}`
      return `CallExpression\n_\n${typeof r === 'string' ? r : this.slot(r.ref)}\n[1\ns${JSON.stringify(d.specifier)}\n)`
    }
    if (typeof r !== 'string' && r.ns) {
      const [spec, , line, column] = r.ns
      return this.slot(['x', spec, d.property, line, column])
    }
    let object: string
    if (typeof r === 'string') object = r
    else if (r.ref[0] === 'x') object = this.slot([r.ref[0], r.ref[1], r.ref[2], r.ref[3], r.ref[4], d.property])
    else object = this.slot(r.ref)
    return `MemberExpression\n${d.optional ? '?.' : '.'}\n${object}\nK:${d.property}\n)`
  }

  /** Local scopes first, then the module's imports and declarations, then globals by name. */
  private lookup(name: string, scope: Scope): Resolution {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const token = s.names.get(name)
      if (token !== undefined) return token
    }
    const imp = this.module.imports[name]
    if (imp) return imp[1] === '*' ? { ref: ['x', ...imp], ns: imp } : { ref: ['x', ...imp] }
    if (this.module.declared.has(name)) return { ref: ['n', name] }
    return `G:${name}`
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

  private slot(ref: Ref): string {
    const key = ref[0] === 'n' ? `n\0${ref[1]}` : `x\0${ref[1]}\0${ref[2]}\0${ref[5] ?? ''}`
    let i = this.slotIndex.get(key)
    if (i === undefined) {
      i = this.slots.length
      this.slots.push(ref)
      this.slotIndex.set(key, i)
    }
    return `S${i}`
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
  return { hash: blake3(pass.out.join('\n')), slots: pass.slots, patternNames: pass.patternNames }
}
