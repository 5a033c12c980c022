// JSX as compiled code sees it: the text of children, and the binding an element name refers to.

import { decodeHTMLStrict } from 'entities/decode'
import type { Root } from './sink.ts'

type Node = any

/**
 * JSX text as it reaches the program: lines are trimmed and joined with one space, blank lines
 * dropped (as JSX compilers do), and character references decoded.
 */
export function jsxText(raw: string): string {
  const lines = raw.split(/\r\n|\n|\r/)
  let out = ''
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/\t/g, ' ')
    if (i > 0) line = line.replace(/^[ ]+/, '')
    if (i < lines.length - 1) line = line.replace(/[ ]+$/, '')
    if (line === '') continue
    if (out !== '' && i > 0) out += ' '
    out += line
  }
  return decodeHTMLStrict(out)
}

/** The binding a JSX element name refers to (`Foo` in `<Foo>`, `icons` in `<icons.Star>`); none for `<div>`. */
export function jsxRoot(name: Node): Root | undefined {
  let n = name
  while (n.type === 'JSXMemberExpression') n = n.object
  if (n.type !== 'JSXIdentifier' || n.name === 'this') return undefined
  if (n === name && !/^[A-Z_$]/.test(n.name)) return undefined
  return { ident: n }
}
