// What a node says statically, without running anything: literal values, static keys and
// specifiers, the binding a member chain starts from, the names a pattern declares.

import type { Root } from './sink.ts'
import { TS_TRANSPARENT, unwrap } from './ts-erasure.ts'

type Node = any

/** Canonical text of a literal value: the value, never its spelling. */
export function literalToken(node: Node): string {
  if (node.regex) return `r/${node.regex.pattern}/${node.regex.flags}`
  if (node.bigint != null) return `i${BigInt(node.bigint).toString()}`
  const v = node.value
  if (typeof v === 'string') return `s${JSON.stringify(v)}`
  if (typeof v === 'number') return `n${Object.is(v, -0) ? '-0' : String(v)}`
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  return 'null'
}

/** The static name of a non-computed key or of a computed string/number literal key. */
export function staticKey(key: Node, computed: boolean): string | undefined {
  if (!computed && (key.type === 'Identifier' || key.type === 'JSXIdentifier')) return key.name
  if (!computed && key.type === 'PrivateIdentifier') return `#${key.name}`
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number') && !key.bigint && !key.regex)
    return String(key.value)
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0].value.cooked
  return undefined
}

/** The specifier of `import('x')`, `` import(`x`) `` or `require('x')`, when static. */
export function staticSpecifier(node: Node): string | undefined {
  if (!node) return undefined
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked
  return undefined
}

/** The identifier a member chain starts from, and the first property read from it (`a` and `b` in `a.b.c`). */
export function rootOf(node: Node): Root | undefined {
  let n = node
  let property: string | undefined
  let called: true | undefined
  while (n) {
    if (TS_TRANSPARENT.has(n.type)) {
      n = n.expression
      continue
    }
    if (n.type === 'MemberExpression') {
      const inner = unwrap(n.object)
      if (inner.type === 'Identifier') {
        property = n.property.type === 'PrivateIdentifier' ? undefined : staticKey(n.property, n.computed)
        return called ? { ident: inner, called } : { ident: inner, property }
      }
      n = inner
      continue
    }
    // `getState().k = 1`, `useStore().items.push(x)`: what the call returns may be module state.
    if (n.type === 'CallExpression') {
      called = true
      n = unwrap(n.callee)
      continue
    }
    if (n.type === 'Identifier') return called ? { ident: n, called } : { ident: n }
    if (n.type === 'SpreadElement') {
      n = n.argument
      continue
    }
    return undefined
  }
  return undefined
}

/** The method name of a member callee (`c` in `a.b.c()`). */
export function methodName(callee: Node): string | undefined {
  const c = unwrap(callee)
  if (c.type !== 'MemberExpression') return undefined
  return c.property.type === 'PrivateIdentifier' ? undefined : staticKey(c.property, c.computed)
}

/** Whether a function or class is anonymous, so that a binding gives it its name (`const f = () => …`). */
export function takesName(init: Node): boolean {
  const n = unwrap(init)
  if (!n) return false
  return (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression' || n.type === 'ClassExpression') && !n.id
}

/** Whether a declarator's value is code that runs later (a function), not when the module loads. */
export function isDeferredValue(init: Node): boolean {
  const n = unwrap(init)
  return !!n && (n.type === 'ArrowFunctionExpression' || n.type === 'FunctionExpression')
}

/** The keys of an object pattern, when all are static and there is no rest element. */
export function destructuredNames(id: Node): string[] | undefined {
  if (id?.type !== 'ObjectPattern') return undefined
  const names: string[] = []
  for (const p of id.properties) {
    if (p.type !== 'Property') return undefined
    const k = staticKey(p.key, p.computed)
    if (k === undefined) return undefined
    names.push(k)
  }
  return names
}

/** Names a binding pattern declares, in source order (iterative). */
export function patternNames(pattern: Node): string[] {
  const names: string[] = []
  const stack: Node[] = [pattern]
  while (stack.length > 0) {
    const n = stack.pop()
    if (!n) continue
    switch (n.type) {
      case 'Identifier':
        names.push(n.name)
        break
      case 'ObjectPattern':
        for (let i = n.properties.length - 1; i >= 0; i--)
          stack.push(n.properties[i].type === 'RestElement' ? n.properties[i] : n.properties[i].value)
        break
      case 'ArrayPattern':
        for (let i = n.elements.length - 1; i >= 0; i--) stack.push(n.elements[i])
        break
      case 'RestElement':
        stack.push(n.argument)
        break
      case 'AssignmentPattern':
        stack.push(n.left)
        break
    }
  }
  return names
}

/** `A` for `namespace A {}`, `A.B` for `namespace A.B {}`, the string of `declare module 'x'`. */
export function moduleDeclarationName(id: Node): string {
  if (id.type === 'Identifier') return id.name
  if (id.type === 'TSQualifiedName') return `${moduleDeclarationName(id.left)}.${id.right.name}`
  return staticKey(id, false) ?? ''
}
