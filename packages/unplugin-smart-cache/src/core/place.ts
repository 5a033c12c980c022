import type { Mark } from './marks.js'
import type { OriginalPosition } from './foreign.js'
import type { AstNode } from './walk.js'

/** A place in a file: 1-based line, 0-based column. */
export interface Place {
  line: number
  column: number
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s*')

/** Where the mark's text starts in the code, and a pattern of that text as it is written in any source. */
function anchorOf(code: string, mark: Mark): { at: number; pattern: string } {
  if (mark.kind === 'directive') return { at: mark.directive.start, pattern: `['"]use smart-cache['"]` }
  if (mark.kind === 'decorator') {
    const expr: AstNode = mark.node.expression.type === 'CallExpression' ? mark.node.expression.callee : mark.node.expression
    return { at: mark.node.start, pattern: `@\\s*${escape(code.slice(expr.start, expr.end))}\\b` }
  }
  const callee: AstNode = mark.node.callee
  return { at: callee.start, pattern: `${escape(code.slice(callee.start, callee.end))}\\s*(?:<[^>()]*>\\s*)?\\(` }
}

/** The binding a call mark initializes (`const total = smartCache(…)`), if that is where it stands. */
function bindingOf(mark: Mark): string | undefined {
  const parent = mark.ancestors[mark.ancestors.length - 1]
  if (mark.kind !== 'call' || parent?.type !== 'VariableDeclarator' || parent.init !== mark.node) return undefined
  return parent.id.type === 'Identifier' ? parent.id.name : undefined
}

function placeAt(text: string, offset: number): Place {
  const before = text.slice(0, offset)
  const nl = before.lastIndexOf('\n')
  return { line: before.split('\n').length, column: offset - nl - 1 }
}

function starts(text: string, pattern: string): number[] {
  return [...text.matchAll(new RegExp(pattern, 'g'))].map(m => m.index)
}

/**
 * Where a mark found in the code a framework compiled from `original` (the file's text) stands in
 * that file: the only place its binding is initialized the same way, else the source map's place if
 * the mark's text is there, else the same occurrence of its text when the file has as many as the
 * code. `undefined` when none of these tells.
 */
export function placeInFile(
  original: string,
  code: string,
  mark: Mark,
  mapped: OriginalPosition | undefined,
  here: Place,
): Place | undefined {
  const { at, pattern } = anchorOf(code, mark)
  const binding = bindingOf(mark)
  if (binding) {
    const found = [...original.matchAll(new RegExp(`\\b${binding}\\s*(?::[^=;]*)?=\\s*(${pattern})`, 'dg'))]
    if (found.length === 1) return placeAt(original, found[0]!.indices![1]![0])
  }
  const m = mapped?.(here.line, here.column)
  if (m) {
    const line = original.split('\n')[m.line - 1] ?? ''
    if (new RegExp(pattern).test(line)) return m
  }
  const inCode = starts(code, pattern)
  const inFile = starts(original, pattern)
  const k = inCode.indexOf(at)
  return k !== -1 && inCode.length === inFile.length ? placeAt(original, inFile[k]!) : undefined
}
