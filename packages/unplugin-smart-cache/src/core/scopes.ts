import type { AstNode } from './walk.js'
import { isFunction, walk } from './walk.js'

/**
 * Just enough scope analysis to tell, for a name read at some place, which node declares it:
 * functions (parameters, hoisted `var`s, their own name, `arguments`), blocks, `for` heads,
 * `catch` clauses, switch bodies, static blocks and class names. Module-level declarations are
 * not listed: a name no inner scope declares is module-level or global.
 */

/** What a scope declares: name → the declaring node's value as code (a function, class or cached call), or `null` for data. */
export type Declarations = Map<string, AstNode | null>

const cache = new WeakMap<AstNode, Declarations | undefined>()

/** Node types that hold declarations of their own. */
const SCOPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'BlockStatement',
  'StaticBlock',
  'SwitchStatement',
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'CatchClause',
  'ClassDeclaration',
  'ClassExpression',
])

/** The names declared by a binding pattern (parameters, declarators, catch parameters). */
export function patternNames(pattern: AstNode | null | undefined, out: string[] = []): string[] {
  if (!pattern) return out
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name)
      break
    case 'ObjectPattern':
      for (const p of pattern.properties as AstNode[]) patternNames(p.type === 'RestElement' ? p.argument : p.value, out)
      break
    case 'ArrayPattern':
      for (const e of pattern.elements as (AstNode | null)[]) patternNames(e, out)
      break
    case 'AssignmentPattern':
      patternNames(pattern.left, out)
      break
    case 'RestElement':
      patternNames(pattern.argument, out)
      break
    case 'TSParameterProperty':
      patternNames(pattern.parameter, out)
      break
  }
  return out
}

/** Whether `node` is code whose value is the same for the same source: a function, a class, or a call that caches one. */
function asCode(node: AstNode | null | undefined, isCacheCall: (node: AstNode) => boolean): AstNode | null {
  if (!node) return null
  if (isFunction(node) || node.type === 'ClassExpression' || node.type === 'ClassDeclaration') return node
  return node.type === 'CallExpression' && isCacheCall(node) ? node : null
}

function addVariable(out: Declarations, decl: AstNode, isCacheCall: (node: AstNode) => boolean): void {
  for (const d of decl.declarations as AstNode[]) {
    const code = decl.kind === 'const' && d.id.type === 'Identifier' ? asCode(d.init, isCacheCall) : null
    for (const name of patternNames(d.id)) out.set(name, code)
  }
}

/** `let`, `const`, class, function and enum declarations made directly by a list of statements. */
function addLexical(out: Declarations, statements: AstNode[], isCacheCall: (node: AstNode) => boolean): void {
  for (let stmt of statements) {
    if (stmt.type === 'ExportNamedDeclaration' && stmt.declaration) stmt = stmt.declaration
    if (stmt.type === 'VariableDeclaration' && stmt.kind !== 'var') addVariable(out, stmt, isCacheCall)
    else if ((stmt.type === 'FunctionDeclaration' || stmt.type === 'ClassDeclaration') && stmt.id) out.set(stmt.id.name, stmt)
    else if (stmt.type === 'TSEnumDeclaration') out.set(stmt.id.name, null)
  }
}

/** `var` declarations anywhere under `root`, nested functions and static blocks excluded (they hoist to `root`'s function). */
function addHoisted(out: Declarations, root: AstNode | null | undefined, isCacheCall: (node: AstNode) => boolean): void {
  if (!root) return
  walk(root, node => {
    if (node !== root && (isFunction(node) || node.type === 'StaticBlock')) return false
    if (node.type === 'VariableDeclaration' && node.kind === 'var') addVariable(out, node, isCacheCall)
  })
}

function computeDeclarations(node: AstNode, isCacheCall: (node: AstNode) => boolean): Declarations {
  const out: Declarations = new Map()
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      if (node.type !== 'ArrowFunctionExpression') out.set('arguments', null)
      if (node.type === 'FunctionExpression' && node.id) out.set(node.id.name, node)
      for (const p of node.params as AstNode[]) {
        for (const name of patternNames(p)) out.set(name, null)
      }
      if (node.body?.type === 'BlockStatement') addHoisted(out, node.body, isCacheCall)
      break
    case 'StaticBlock':
      addHoisted(out, node, isCacheCall)
      addLexical(out, node.body, isCacheCall)
      break
    case 'BlockStatement':
      addLexical(out, node.body, isCacheCall)
      break
    case 'SwitchStatement':
      for (const c of node.cases as AstNode[]) addLexical(out, c.consequent, isCacheCall)
      break
    case 'ForStatement':
      if (node.init?.type === 'VariableDeclaration' && node.init.kind !== 'var') addVariable(out, node.init, isCacheCall)
      break
    case 'ForInStatement':
    case 'ForOfStatement':
      if (node.left.type === 'VariableDeclaration' && node.left.kind !== 'var') addVariable(out, node.left, isCacheCall)
      break
    case 'CatchClause':
      for (const name of patternNames(node.param)) out.set(name, null)
      break
    case 'ClassDeclaration':
    case 'ClassExpression':
      if (node.id) out.set(node.id.name, node)
      break
  }
  return out
}

/** The declarations of a scope node (computed once per node), or `undefined` if `node` is no scope. */
export function declarationsOf(node: AstNode, isCacheCall: (node: AstNode) => boolean): Declarations | undefined {
  if (!SCOPES.has(node.type)) return undefined
  if (!cache.has(node)) cache.set(node, computeDeclarations(node, isCacheCall))
  return cache.get(node)
}

/** Where a name read under `chain` (Program first, nearest last) is declared: the index in `chain` of the declaring scope, or -1 (module level or global). */
export function resolveName(name: string, chain: readonly AstNode[], isCacheCall: (node: AstNode) => boolean): number {
  for (let i = chain.length - 1; i > 0; i--) {
    if (declarationsOf(chain[i]!, isCacheCall)?.has(name)) return i
  }
  return -1
}

/**
 * Which node gives `this` (and `super`) its value for code under `chain`: the index of the nearest
 * non-arrow function, class field or static block, or -1 at module level (where `this` is `undefined`).
 */
export function thisOwner(chain: readonly AstNode[]): number {
  for (let i = chain.length - 1; i > 0; i--) {
    const node = chain[i]!
    if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'StaticBlock') return i
    // A class field's initializer runs with `this` = the instance (or the class, for a static field).
    if ((node.type === 'PropertyDefinition' || node.type === 'AccessorProperty') && chain[i + 1] === node.value) return i
  }
  return -1
}
