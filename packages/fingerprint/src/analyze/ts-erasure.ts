// What TypeScript erases: the expression wrappers and the statements and members that emit no
// JavaScript, so that code differing only in types has the same canonical form.

type Node = any

/** Expression wrappers that TypeScript erases. */
export const TS_TRANSPARENT = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSInstantiationExpression',
  'ParenthesizedExpression',
])
/** Statements and members that emit no JavaScript. */
const TS_ERASED = new Set([
  'TSInterfaceDeclaration',
  'TSTypeAliasDeclaration',
  'TSDeclareFunction',
  'TSIndexSignature',
  'TSAbstractMethodDefinition',
  'TSAbstractPropertyDefinition',
  'TSAbstractAccessorProperty',
  'TSNamespaceExportDeclaration',
  'EmptyStatement',
])

/** Cheap pre-check: could any item of this list be erased? (Most lists hold expressions.) */
export function maybeErased(items: Node[]): boolean {
  for (const i of items) {
    if (
      i !== null &&
      (TS_ERASED.has(i.type) ||
        i.declare === true ||
        i.type === 'MethodDefinition' ||
        i.type === 'FunctionDeclaration' ||
        i.type === 'ImportDeclaration' ||
        i.type === 'ExportNamedDeclaration' ||
        i.type === 'ExportAllDeclaration')
    )
      return true
  }
  return false
}

/** True when the node emits no run-time code. */
export function isErased(node: Node): boolean {
  if (node === null || node === undefined) return false
  if (TS_ERASED.has(node.type)) return true
  if (node.declare === true) return true
  if (node.type === 'MethodDefinition' && node.value?.type === 'TSEmptyBodyFunctionExpression') return true
  if (node.type === 'FunctionDeclaration' && node.body === null) return true
  if (node.type === 'ImportDeclaration' && node.importKind === 'type') return true
  if ((node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') && node.exportKind === 'type') return true
  return false
}

/** An expression without the TypeScript wrappers that erase (`as`, `!`, `satisfies`…). */
export function unwrap(n: Node): Node {
  while (n && TS_TRANSPARENT.has(n.type)) n = n.expression
  return n
}
