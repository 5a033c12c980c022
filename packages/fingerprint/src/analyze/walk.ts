import { visitorKeys } from 'oxc-parser'

/**
 * The traversal of a unit's AST into a sink (the canonical token stream plus scope events). It is
 * iterative (an explicit task stack), so nesting depth is bounded by memory, not by the JS call
 * stack.
 *
 * What it erases: TypeScript-only syntax, positions, raw literal text, parentheses
 * (absent from oxc's AST with `preserveParens: false`), comments (not in the AST).
 */

type Node = any

/** How an identifier occurs. */
export type IdentKind = 'ref' | 'var' | 'let' | 'param' | 'root' | 'enum'

/** Receives the canonical token stream and scope events. */
export interface Sink {
  open: (type: string) => void
  scalar: (value: string) => void
  close: () => void
  ident: (node: Node, kind: IdentKind) => void
  enterScope: (fn: boolean) => void
  exitScope: () => void
  /** `ns.member` with a static property; return true when the sink emitted it itself. */
  staticMember: (member: Node, object: Node, property: string) => boolean
  /** `import('x')` / `require('x')` with a static specifier; return true when emitted. */
  moduleRequest: (node: Node, specifier: string, kind: 'import' | 'require') => boolean
  /** A dynamic `import()` / `require()` whose specifier is not a literal. */
  untracked: (node: Node, what: string) => void
}

const enum Role { Expr, Var, Let, Param, Assign, Root, Tagged, JsxName, Enum }

/** Control entries on the task stack (visits carry a Role >= 0). */
const enum T { Close = -1, Exit = -2, Enter = -3, EnterFn = -4, Scalar = -5 }

/** Keys never hashed: positions, raw text and TypeScript-only information. */
const DENY = new Set([
  'type', 'start', 'end', 'range', 'loc', 'raw', 'typeAnnotation', 'typeParameters', 'typeArguments',
  'returnType', 'superTypeArguments', 'superTypeParameters', 'implements', 'declare', 'definite',
  'accessibility', 'readonly', 'override', 'abstract', 'importKind', 'exportKind', 'shorthand', 'extra',
])
/** `optional` is runtime syntax (`?.`) only on these types; elsewhere it is TypeScript's `?`. */
const OPTIONAL_IS_RUNTIME = new Set(['MemberExpression', 'CallExpression'])
/** Expression wrappers that TypeScript erases. */
const TS_TRANSPARENT = new Set([
  'TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion',
  'TSInstantiationExpression', 'ParenthesizedExpression',
])
/** Statements and members that emit no JavaScript. */
const TS_ERASED = new Set([
  'TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSDeclareFunction', 'TSIndexSignature',
  'TSAbstractMethodDefinition', 'TSAbstractPropertyDefinition', 'TSAbstractAccessorProperty',
  'TSNamespaceExportDeclaration', 'EmptyStatement',
])

/** Cheap pre-check: could any item of this list be erased? (Most lists hold expressions.) */
function maybeErased(items: Node[]): boolean {
  for (const i of items) {
    if (i !== null && (TS_ERASED.has(i.type) || i.declare === true || i.type === 'MethodDefinition' || i.type === 'FunctionDeclaration' || i.type === 'ImportDeclaration' || i.type === 'ExportNamedDeclaration' || i.type === 'ExportAllDeclaration')) return true
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

interface Plan { scalars: string[], children: string[] }
const plans = new Map<string, Plan>()

function planFor(node: Node): Plan {
  let plan = plans.get(node.type)
  if (plan) return plan
  const keys: string[] | undefined = (visitorKeys as Record<string, string[]>)[node.type]
  const children = (keys ?? Object.keys(node).filter(k => typeof node[k] === 'object' && node[k] !== null))
    .filter(k => !DENY.has(k))
  const scalars = Object.keys(node).filter((k) => {
    if (DENY.has(k) || children.includes(k)) return false
    if (k === 'optional' && !OPTIONAL_IS_RUNTIME.has(node.type)) return false
    const v = node[k]
    return v === null || typeof v !== 'object'
  })
  plan = { scalars, children }
  plans.set(node.type, plan)
  return plan
}

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
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number') && !key.bigint && !key.regex) return String(key.value)
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

/** Walks one unit (a top-level declaration, declarator or statement) into a sink. */
export function walk(root: Node, rootRole: 'root' | 'stmt', sink: Sink): void {
  // Two parallel stacks (node, role) instead of task objects: less garbage on big files.
  const ns: Node[] = [root]
  const rs: number[] = [rootRole === 'root' ? Role.Root : Role.Expr]
  let mark = 0
  const begin = (): void => { mark = ns.length }
  const commit = (): void => {
    reverse(ns, mark)
    reverse(rs, mark)
  }
  const push = (n: Node, r: number): void => {
    ns.push(n)
    rs.push(r)
  }
  const visit = (n: Node, r: Role = Role.Expr): void => push(n, r)
  const scalar = (s: string): void => push(s, T.Scalar)
  const listOf = (items: Node[], r: Role = Role.Expr): void => {
    let kept = items
    if (r === Role.Expr && items.length > 0 && items[0] !== null && items[0].type !== undefined && maybeErased(items)) kept = items.filter(i => !isErased(i))
    scalar(`[${kept.length}`)
    for (const i of kept) push(i, r)
  }

  while (ns.length > 0) {
    const node = ns.pop()
    const role = rs.pop()!
    if (role < 0) {
      switch (role) {
        case T.Close: sink.close(); continue
        case T.Exit: sink.exitScope(); continue
        case T.Enter: sink.enterScope(false); continue
        case T.EnterFn: sink.enterScope(true); continue
        case T.Scalar: sink.scalar(node); continue
      }
    }
    if (node === null || node === undefined) { sink.scalar('_'); continue }
    if (Array.isArray(node)) { begin(); listOf(node, role); commit(); continue }
    const type: string = node.type
    if (TS_TRANSPARENT.has(type)) { push(node.expression, role); continue }
    begin()
    expand(node, type, role)
    commit()
  }

  function identRole(node: Node, role: Role): void {
    switch (role) {
      case Role.Var: sink.ident(node, 'var'); break
      case Role.Let: sink.ident(node, 'let'); break
      case Role.Param: sink.ident(node, 'param'); break
      case Role.Root: sink.ident(node, 'root'); break
      case Role.Enum: sink.ident(node, 'enum'); break
      default: sink.ident(node, 'ref')
    }
  }

  function key(k: Node, computed: boolean): void {
    const name = staticKey(k, computed)
    if (name !== undefined) scalar(`K:${name}`)
    else visit(k)
  }

  function fn(node: Node, type: string, role: Role): void {
    sink.open(type)
    sink.scalar(`${node.async ? 'a' : ''}${node.generator ? 'g' : ''}${node.expression && type === 'ArrowFunctionExpression' ? 'e' : ''}`)
    let scopes = 1
    if (type === 'FunctionExpression' && node.id) {
      push(null, T.Enter)
      visit(node.id, Role.Let)
      scopes++
    }
    else if (type === 'FunctionDeclaration' && role !== Role.Root && node.id) {
      visit(node.id, Role.Let)
    }
    push(null, T.EnterFn)
    listOf(node.params.filter((p: Node) => !(p.type === 'Identifier' && p.name === 'this')), Role.Param)
    const body = node.body
    if (body && body.type === 'BlockStatement') listOf(body.body)
    else visit(body)
    for (let i = 0; i < scopes; i++) push(null, T.Exit)
    push(null, T.Close)
  }

  function cls(node: Node, type: string, role: Role): void {
    sink.open(type)
    listOf(node.decorators ?? [])
    let scoped = false
    if (type === 'ClassExpression' && node.id) {
      push(null, T.Enter)
      visit(node.id, Role.Let)
      scoped = true
    }
    else if (type === 'ClassDeclaration' && role !== Role.Root && node.id) {
      visit(node.id, Role.Let)
    }
    visit(node.superClass)
    listOf(node.body.body)
    if (scoped) push(null, T.Exit)
    push(null, T.Close)
  }

  function expand(node: Node, type: string, role: Role): void {
    switch (type) {
      case 'Identifier':
        identRole(node, role)
        return
      case 'PrivateIdentifier':
        sink.scalar(`#${node.name}`)
        return
      case 'Literal':
        sink.scalar(literalToken(node))
        return
      case 'Super': case 'ThisExpression':
        sink.scalar(type)
        return
      case 'MetaProperty':
        sink.scalar(`meta:${node.meta.name}.${node.property.name}`)
        return
      case 'TemplateLiteral':
        sink.open(type)
        sink.scalar(node.quasis.map((q: Node) => JSON.stringify(q.value.cooked) + (role === Role.Tagged ? JSON.stringify(q.value.raw) : '')).join(','))
        listOf(node.expressions)
        push(null, T.Close)
        return
      case 'TaggedTemplateExpression':
        sink.open(type)
        visit(node.tag)
        visit(node.quasi, Role.Tagged)
        push(null, T.Close)
        return
      case 'MemberExpression': {
        const name = staticKey(node.property, node.computed)
        if (name !== undefined && node.object.type === 'Identifier' && sink.staticMember(node, node.object, name)) return
        sink.open(type)
        sink.scalar(node.optional ? '?.' : '.')
        visit(node.object)
        key(node.property, node.computed)
        push(null, T.Close)
        return
      }
      case 'Property': {
        sink.open(type)
        sink.scalar(`${node.kind}${node.method ? 'm' : ''}`)
        key(node.key, node.computed)
        visit(node.value, role === Role.Expr ? Role.Expr : role)
        push(null, T.Close)
        return
      }
      case 'MethodDefinition': case 'PropertyDefinition': case 'AccessorProperty':
        sink.open(type)
        sink.scalar(`${node.kind ?? ''}${node.static ? 's' : ''}`)
        listOf(node.decorators ?? [])
        key(node.key, node.computed)
        visit(node.value)
        push(null, T.Close)
        return
      case 'FunctionDeclaration': case 'FunctionExpression': case 'ArrowFunctionExpression':
        fn(node, type, role)
        return
      case 'ClassDeclaration': case 'ClassExpression':
        cls(node, type, role)
        return
      case 'VariableDeclaration': {
        sink.open(`Var:${node.kind}`)
        const r = node.kind === 'var' ? Role.Var : Role.Let
        scalar(`[${node.declarations.length}`)
        for (const d of node.declarations) {
          visit(d.id, role === Role.Root ? Role.Root : r)
          visit(d.init)
        }
        push(null, T.Close)
        return
      }
      case 'VariableDeclarator':
        // Only reached as a unit root: the declarator of a top-level binding.
        sink.open(type)
        if (role === Role.Root && node.id.type === 'Identifier') scalar('=')
        else visit(node.id, role === Role.Root ? Role.Root : Role.Let)
        visit(node.init)
        push(null, T.Close)
        return
      case 'ObjectPattern': case 'ArrayPattern':
        sink.open(type)
        listOf(type === 'ObjectPattern' ? node.properties : node.elements, role)
        push(null, T.Close)
        return
      case 'RestElement':
        sink.open(type)
        visit(node.argument, role)
        push(null, T.Close)
        return
      case 'AssignmentPattern':
        sink.open(type)
        visit(node.left, role)
        visit(node.right)
        push(null, T.Close)
        return
      case 'TSParameterProperty':
        sink.open(type)
        listOf(node.decorators ?? [])
        visit(node.parameter, role)
        push(null, T.Close)
        return
      case 'AssignmentExpression':
        sink.open(type)
        sink.scalar(node.operator)
        visit(node.left, Role.Assign)
        visit(node.right)
        push(null, T.Close)
        return
      case 'ForInStatement': case 'ForOfStatement':
        sink.open(type)
        sink.scalar(node.await ? 'await' : '')
        push(null, T.Enter)
        visit(node.left, Role.Assign)
        visit(node.right)
        visit(node.body)
        push(null, T.Exit)
        push(null, T.Close)
        return
      case 'ForStatement':
        sink.open(type)
        push(null, T.Enter)
        visit(node.init)
        visit(node.test)
        visit(node.update)
        visit(node.body)
        push(null, T.Exit)
        push(null, T.Close)
        return
      case 'BlockStatement': case 'StaticBlock':
        sink.open(type)
        push(null, type === 'StaticBlock' ? T.EnterFn : T.Enter)
        listOf(node.body)
        push(null, T.Exit)
        push(null, T.Close)
        return
      case 'CatchClause':
        sink.open(type)
        push(null, T.Enter)
        visit(node.param, Role.Let)
        visit(node.body)
        push(null, T.Exit)
        push(null, T.Close)
        return
      case 'SwitchStatement':
        sink.open(type)
        visit(node.discriminant)
        push(null, T.Enter)
        listOf(node.cases)
        push(null, T.Exit)
        push(null, T.Close)
        return
      case 'LabeledStatement':
        sink.open(type)
        sink.scalar(`label:${node.label.name}`)
        visit(node.body)
        push(null, T.Close)
        return
      case 'BreakStatement': case 'ContinueStatement':
        sink.scalar(`${type}:${node.label ? node.label.name : ''}`)
        return
      case 'TSEnumDeclaration':
        sink.open(type)
        sink.scalar(node.const ? 'const' : '')
        if (role !== Role.Root) visit(node.id, Role.Let)
        push(null, T.Enter)
        scalar(`[${node.body.members.length}`)
        for (const m of node.body.members) {
          const name = staticKey(m.id, m.computed) ?? '?'
          visit({ type: 'Identifier', name }, Role.Enum)
          scalar(`K:${name}`)
          visit(m.initializer)
        }
        push(null, T.Exit)
        push(null, T.Close)
        return
      case 'TSModuleDeclaration':
        sink.open(type)
        sink.scalar(`${node.kind}:${node.id.type === 'Identifier' ? node.id.name : staticKey(node.id, false) ?? ''}`)
        push(null, T.Enter)
        visit(node.body)
        push(null, T.Exit)
        push(null, T.Close)
        return
      case 'TSModuleBlock':
        sink.open(type)
        listOf(node.body)
        push(null, T.Close)
        return
      case 'ImportExpression': {
        const spec = staticSpecifier(node.source)
        if (spec !== undefined && sink.moduleRequest(node, spec, 'import')) return
        if (spec === undefined) sink.untracked(node, 'import()')
        break
      }
      case 'CallExpression': {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) {
          const spec = staticSpecifier(node.arguments[0])
          if (spec !== undefined && sink.moduleRequest(node, spec, 'require')) return
        }
        break
      }
      case 'JSXOpeningElement':
        sink.open(type)
        sink.scalar(node.selfClosing ? '/' : '')
        visit(node.name, Role.JsxName)
        listOf(node.attributes)
        push(null, T.Close)
        return
      case 'JSXClosingElement':
        sink.scalar('</>')
        return
      case 'JSXIdentifier':
        if (role === Role.JsxName && node.name !== 'this' && /^[A-Z_$]/.test(node.name)) sink.ident(node, 'ref')
        else sink.scalar(`J:${node.name}`)
        return
      case 'JSXMemberExpression':
        sink.open(type)
        visit(node.object, Role.JsxName)
        sink.scalar(`K:${node.property.name}`)
        push(null, T.Close)
        return
      case 'JSXNamespacedName':
        sink.scalar(`J:${node.namespace.name}:${node.name.name}`)
        return
      case 'JSXAttribute':
        sink.open(type)
        visit(node.name)
        visit(node.value)
        push(null, T.Close)
        return
      case 'JSXText':
        sink.scalar(`t${JSON.stringify(node.value)}`)
        return
    }
    generic(node, type)
  }

  function generic(node: Node, type: string): void {
    const plan = planFor(node)
    sink.open(type)
    for (const k of plan.scalars) {
      const v = node[k]
      sink.scalar(v === null || v === undefined ? '_' : String(v))
    }
    for (const k of plan.children) visit(node[k])
    push(null, T.Close)
  }
}

function reverse(a: unknown[], from: number): void {
  for (let i = from, j = a.length - 1; i < j; i++, j--) {
    const t = a[i]
    a[i] = a[j]
    a[j] = t
  }
}
