import type { AstNode } from './walk.js'
import { declarationsOf, resolveName, thisOwner } from './scopes.js'
import { isFunction, walk } from './walk.js'

/**
 * The variables of enclosing function scopes a cached function reads. The fingerprint
 * covers code; these are data that differ between closures made by the same code, so the runtime
 * hashes their values into every key. Module-level bindings are code (the engine fingerprints them).
 */
export interface Capture {
  /** The variable's name; `this` and `arguments` of an enclosing function are captures too. */
  name: string
  /** Offset of its first read. */
  at: number
}

/** A capture the plugin cannot make part of the key. */
export interface CaptureProblem {
  at: number
  message: string
}

interface Found extends Capture {
  /** The node that declares it (the function, for `this` and `arguments`). */
  scope: AstNode
}

/** TypeScript nodes that hold run-time expressions; every other `TS*` node is types only. */
const TS_VALUES = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
  'TSParameterProperty',
])
/** Scope-making nodes besides the Program: a mark with none of these above it captures nothing. */
const NESTING = new Set([
  'BlockStatement',
  'StaticBlock',
  'SwitchStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'CatchClause',
  'PropertyDefinition',
  'AccessorProperty',
])

/** Whether an Identifier is a name that is not a variable read (property keys, labels). */
export function isNotReference(node: AstNode, parent: AstNode | undefined): boolean {
  if (!parent) return false
  switch (parent.type) {
    case 'MemberExpression':
      return parent.property === node && !parent.computed
    case 'Property':
    case 'MethodDefinition':
    case 'PropertyDefinition':
    case 'AccessorProperty':
      return parent.key === node && !parent.computed
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return parent.label === node
    case 'MetaProperty':
      return true
    default:
      return false
  }
}

/** A JSX tag name that refers to a variable (`<Chart />`, `<ui.Button />`), not an intrinsic element. */
function isJsxReference(node: AstNode, parent: AstNode | undefined): boolean {
  if (parent?.type === 'JSXMemberExpression') return parent.object === node
  return (
    (parent?.type === 'JSXOpeningElement' || parent?.type === 'JSXClosingElement') && parent.name === node && /^[A-Z_$]/.test(node.name)
  )
}

/** A TypeScript node that holds types only (skipped: no run-time reads under it). */
export function isTypeOnly(node: AstNode): boolean {
  return node.type.startsWith('TS') && !TS_VALUES.has(node.type)
}

type Visit = (name: string, node: AstNode, chain: AstNode[]) => void

/** Calls `visit` for every variable read and every `this`/`super` (as `this`) under `root`, types skipped. */
function visitReads(root: AstNode, rootChain: readonly AstNode[], visit: Visit): void {
  walk(root, (node, ancestors) => {
    if (isTypeOnly(node)) return false
    const parent = ancestors[ancestors.length - 1] ?? rootChain[rootChain.length - 1]
    let name: string | undefined
    if (node.type === 'ThisExpression' || node.type === 'Super') name = 'this'
    else if (node.type === 'Identifier' && !isNotReference(node, parent)) name = node.name
    else if (node.type === 'JSXIdentifier' && isJsxReference(node, parent)) name = node.name
    if (name !== undefined) visit(name, node, [...rootChain, ...ancestors, node])
  })
}

/** The class a static field or static block belongs to (its `this`, which is code), else `null`. */
function staticClass(chain: readonly AstNode[], owner: number): AstNode | null {
  const node = chain[owner]!
  const isStatic = node.type === 'StaticBlock' || ((node.type === 'PropertyDefinition' || node.type === 'AccessorProperty') && node.static)
  return isStatic && chain[owner - 1]?.type === 'ClassBody' ? (chain[owner - 2] ?? null) : null
}

/** Finds the captures of cached functions in one module. */
export class CaptureFinder {
  private parents: WeakMap<AstNode, AstNode> | undefined

  constructor(
    private program: AstNode,
    private isCacheCall: (node: AstNode) => boolean,
  ) {}

  /**
   * Captures of `target` (a cached function, or the expression passed to `smartCache`) whose
   * ancestors are `ancestors` (Program first), in order of first read. Functions, classes and
   * cached functions declared in an enclosing function are code: what they capture is captured.
   */
  find(target: AstNode, ancestors: readonly AstNode[]): { captures: Capture[]; problems: CaptureProblem[] } {
    if (!ancestors.some((a, i) => i > 0 && (isFunction(a) || NESTING.has(a.type)))) return { captures: [], problems: [] }
    const found: Found[] = []
    this.collect(target, ancestors, new Set(), found)
    return { captures: found.map(({ name, at }) => ({ name, at })), problems: this.shadowed(found, ancestors) }
  }

  private collect(root: AstNode, rootChain: readonly AstNode[], visited: Set<AstNode>, found: Found[]): void {
    visited.add(root)
    const inside = rootChain.length
    visitReads(root, rootChain, (name, node, chain) => {
      const i = name === 'this' ? thisOwner(chain) : resolveName(name, chain, this.isCacheCall)
      if (i < 0 || i >= inside) return
      const scope = chain[i]!
      const code = name === 'this' ? staticClass(chain, i) : declarationsOf(scope, this.isCacheCall)!.get(name)
      if (code) {
        if (!visited.has(code)) this.collect(code, this.chainOf(code), visited, found)
        return
      }
      if (!found.some(f => f.name === name && f.scope === scope)) found.push({ name, at: node.start, scope })
    })
  }

  /** Captures whose name means another variable where the meta is written (beside the cached function). */
  private shadowed(found: Found[], ancestors: readonly AstNode[]): CaptureProblem[] {
    const problems: CaptureProblem[] = []
    for (const f of found) {
      const i = f.name === 'this' ? thisOwner(ancestors) : resolveName(f.name, ancestors, this.isCacheCall)
      if (ancestors[i] !== f.scope) {
        problems.push({
          at: f.at,
          message: `the cached function reads \`${f.name}\` of an enclosing function through a helper, but another \`${f.name}\` is visible where it is cached, so its value cannot be made part of the key. Fix: rename one of the two variables.`,
        })
      }
    }
    return problems
  }

  /** Ancestors of a node (Program first), from a parent map made on first use. */
  private chainOf(node: AstNode): AstNode[] {
    if (!this.parents) {
      const parents = new WeakMap<AstNode, AstNode>()
      walk(this.program, (n, anc) => {
        if (anc.length > 0) parents.set(n, anc[anc.length - 1]!)
      })
      this.parents = parents
    }
    const chain: AstNode[] = []
    for (let p = this.parents.get(node); p; p = this.parents.get(p)) chain.unshift(p)
    return chain
  }
}

/** The `captures` member of the meta object, as source text: names, where each is read, and a getter of their values. */
export function capturesSource(captures: Capture[], at: (offset: number) => string): string {
  const names = JSON.stringify(captures.map(c => c.name))
  const places = JSON.stringify(captures.map(c => at(c.at)))
  return `{ names: ${names}, at: ${places}, values: () => [${captures.map(c => c.name).join(', ')}] }`
}
