import { visitorKeys } from 'oxc-parser'

/** A node of the ESTree-shaped AST oxc-parser returns (positions are UTF-16 offsets). */
export interface AstNode {
  type: string
  start: number
  end: number
  [key: string]: any
}

/** Called for every node; return `false` to skip the node's children. */
export type Enter = (node: AstNode, ancestors: readonly AstNode[]) => void | false

/** Depth-first walk over an oxc ESTree AST, with the chain of ancestors (nearest last). */
export function walk(root: AstNode, enter: Enter): void {
  const ancestors: AstNode[] = []
  const visit = (node: AstNode): void => {
    if (enter(node, ancestors) === false) return
    const keys = visitorKeys[node.type] ?? []
    ancestors.push(node)
    for (const key of keys) {
      const child = node[key]
      if (Array.isArray(child)) {
        for (const c of child) {
          if (c && typeof c.type === 'string') visit(c)
        }
      } else if (child && typeof child.type === 'string') {
        visit(child)
      }
    }
    ancestors.pop()
  }
  visit(root)
}

/** Whether `node` is any kind of function. */
export function isFunction(node: AstNode | undefined): boolean {
  return !!node && (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression')
}
