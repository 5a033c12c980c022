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

const noop = (): void => {}

/**
 * Pass 1: scopes. Declarations get de Bruijn-style tokens `L<n>` numbered in traversal order, so
 * consistently renamed locals give the same tokens. References are resolved after the walk, so
 * hoisting (a use before its declaration) is handled.
 */
class ScopePass implements Sink {
  readonly map = new Map<object, Resolution>()
  readonly patternNames: string[] = []
  private scope: Scope = { parent: null, fn: true, names: new Map() }
  private counter = 0
  private refs: Array<[Node, Scope]> = []

  open = noop
  scalar = noop
  list = noop
  close = noop
  untracked = noop
  staticMember = (): boolean => false
  moduleRequest = (): boolean => false

  enterScope(fn: boolean): void {
    this.scope = { parent: this.scope, fn, names: new Map() }
  }

  exitScope(): void {
    this.scope = this.scope.parent ?? this.scope
  }

  ident(node: Node, kind: IdentKind): void {
    switch (kind) {
      case 'ref': this.refs.push([node, this.scope]); return
      case 'let': this.declare(this.scope, node); return
      case 'var': case 'param': this.declare(this.functionScope(), node); return
      case 'enum': this.scope.names.set(node.name, `E:${node.name}`); return
      case 'root':
        this.map.set(node, `P${this.patternNames.length}`)
        this.patternNames.push(node.name)
    }
  }

  /** Resolves every reference: local scopes first, then the module, then globals by name. */
  finish(module: ModuleScope): void {
    for (const [node, scope] of this.refs) {
      const name: string = node.name
      let s: Scope | null = scope
      let token: string | undefined
      while (s && token === undefined) {
        token = s.names.get(name)
        s = s.parent
      }
      if (token !== undefined) { this.map.set(node, token); continue }
      const imp = module.imports[name]
      if (imp) {
        this.map.set(node, imp[1] === '*' ? { ref: ['x', ...imp], ns: imp } : { ref: ['x', ...imp] })
        continue
      }
      if (module.declared.has(name)) { this.map.set(node, { ref: ['n', name] }); continue }
      this.map.set(node, `G:${name}`)
    }
  }

  private functionScope(): Scope {
    let s = this.scope
    while (!s.fn && s.parent) s = s.parent
    return s
  }

  private declare(scope: Scope, node: Node): void {
    let token = scope.names.get(node.name)
    if (token === undefined) {
      token = `L${this.counter++}`
      scope.names.set(node.name, token)
    }
    this.map.set(node, token)
  }
}

/** Pass 2: the token stream. References to module-level bindings become slots `S<n>`. */
class EmitPass implements Sink {
  readonly out: string[] = []
  readonly slots: Ref[] = []
  private slotIndex = new Map<string, number>()

  constructor(
    private map: Map<object, Resolution>,
    private lines: LineIndex,
    private warnings: AnalysisWarning[],
  ) {}

  enterScope = noop
  exitScope = noop
  open(type: string): void { this.out.push(type) }
  scalar(value: string): void { this.out.push(value) }
  list(length: number): void { this.out.push(`[${length}`) }
  close(): void { this.out.push(')') }

  ident(node: Node, kind: IdentKind): void {
    if (kind === 'enum') return
    const r = this.map.get(node)
    if (r === undefined) this.out.push(`K:${node.name}`)
    else if (typeof r === 'string') this.out.push(r)
    else this.out.push(this.slot(r.ref))
  }

  staticMember(_member: Node, object: Node, property: string): boolean {
    const r = this.map.get(object)
    if (typeof r !== 'object' || !r.ns) return false
    const [spec, , line, column] = r.ns
    this.out.push(this.slot(['x', spec, property, line, column]))
    return true
  }

  moduleRequest(node: Node, specifier: string, kind: 'import' | 'require'): boolean {
    if (kind === 'require' && this.map.get(node.callee) !== 'G:require') return false
    const { line, column } = this.lines.position(node.start)
    this.out.push(kind, this.slot(['x', specifier, '*', line, column]))
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

  private slot(ref: Ref): string {
    const key = ref[0] === 'n' ? `n\0${ref[1]}` : `x\0${ref[1]}\0${ref[2]}`
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
  const scopes = new ScopePass()
  walk(root, rootRole, scopes)
  scopes.finish(module)
  const emit = new EmitPass(scopes.map, lines, warnings)
  emit.out.push(prefix)
  walk(root, rootRole, emit)
  return { hash: blake3(emit.out.join('\n')), slots: emit.slots, patternNames: scopes.patternNames }
}
