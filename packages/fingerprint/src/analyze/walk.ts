import { visitorKeys } from 'oxc-parser'
import { decodeHTMLStrict } from 'entities/decode'

/**
 * The traversal of a unit's AST into a sink (the canonical token stream plus scope events). It is
 * iterative (an explicit task stack), so nesting depth is bounded by memory, not by the JS call
 * stack.
 *
 * What it erases: TypeScript-only syntax, positions, raw literal text, parentheses
 * (absent from oxc's AST with `preserveParens: false`), comments (not in the AST).
 */

type Node = any

/** How an identifier occurs (`write`: a reference that assigns the binding itself). */
export type IdentKind = 'ref' | 'write' | 'var' | 'let' | 'param' | 'root' | 'enum'

/** Where a mutation or call starts: an identifier, and the static property read from it, if any. */
export interface Root {
  ident: Node
  property?: string
}

/** A call or `new`, as the effect analysis needs it. */
export interface CallSite {
  /** The identifier the callee starts from (`a` in `a.b.c()`), when it is one. */
  callee?: Root
  /** The method name (`c` in `a.b.c()`), when the callee is a member. */
  method?: string
  /** The method is called on the root itself (`a.c()`, not `a.b.c()`). */
  direct: boolean
  /** A JSX element: its component runs when it renders, and nothing else is known. */
  render?: true
  isNew: boolean
  /** What each argument starts from: a binding passed to a call may be changed by it. */
  args: Root[]
}

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
  /**
   * `import('x')` / `require('x')` with a static specifier; return true when emitted. `names`:
   * the exports read from it (`const { a } = await import('x')`), when that is all it is used for.
   */
  moduleRequest: (node: Node, specifier: string, kind: 'import' | 'require', names?: string[]) => boolean
  /** Whether calling this name may be `require` (itself, or one made by `createRequire`). */
  mayRequire: (name: string) => boolean
  /** A dynamic `import()` / `require()` whose specifier is not a literal. */
  untracked: (node: Node, what: string) => void
  /** The binding `root` starts from may be changed here (`a.b = 1`, `a.push(x)`, `delete a.b`). */
  mutate: (root: Root) => void
  /** A call or `new` (effects: what it may change). */
  call: (site: CallSite) => void
  /** Entering (+1) or leaving (-1) code that does not run when its unit is evaluated (a function body). */
  defer: (delta: number) => void
  /** The unit reads where its module is (`import.meta.url`, `import.meta.dirname`…). */
  location: () => void
  /** A `let` or `const` declaration of local names: its kind is decided once writes are known. */
  lexical: (kind: string, names: Node[]) => void
  /** JSX: the factory (classic) or runtime (automatic) is a dependency. */
  jsx: (fragment: boolean) => void
  /**
   * What TypeScript's `emitDecoratorMetadata` would emit for a decorated class or member: type
   * names become run-time references (`design:paramtypes`), counted only where it is enabled.
   */
  metadata: (key: string, types: MetaType[]) => void
}

/** A type as `emitDecoratorMetadata` serializes it: a built-in constructor's name, or a reference. */
export type MetaType = string | { ref: Node; path: string }

const enum Role {
  Expr,
  Var,
  Let,
  Param,
  Assign,
  Root,
  Tagged,
  JsxName,
  Enum,
  JsxObject,
}

/** Control entries on the task stack (visits carry a Role >= 0). */
const enum T {
  Close = -1,
  Exit = -2,
  Enter = -3,
  EnterFn = -4,
  Scalar = -5,
  Defer = -6,
  Undefer = -7,
  LabelPop = -8,
  PrivatePop = -9,
}

/** Built-in methods that call the function they receive before returning. */
const CALLS_AT_ONCE = new Set([
  'forEach',
  'map',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flatMap',
  'sort',
  'toSorted',
  'replace',
  'replaceAll',
  'from',
  'fromAsync',
  'then',
  'catch',
  'finally',
])

/** `import.meta.<key>` that does not depend on where the module is. */
const META_NOT_LOCATION = new Set(['env', 'hot', 'glob', 'globEager', 'webpackHot', 'webpackContext', 'vitest', 'main'])

/** Keys never hashed: positions, raw text and TypeScript-only information. */
const DENY = new Set([
  'type',
  'start',
  'end',
  'range',
  'loc',
  'raw',
  'typeAnnotation',
  'typeParameters',
  'typeArguments',
  'returnType',
  'superTypeArguments',
  'superTypeParameters',
  'implements',
  'declare',
  'definite',
  'accessibility',
  'readonly',
  'override',
  'abstract',
  'importKind',
  'exportKind',
  'shorthand',
  'extra',
])
/** `optional` is runtime syntax (`?.`) only on these types; elsewhere it is TypeScript's `?`. */
const OPTIONAL_IS_RUNTIME = new Set(['MemberExpression', 'CallExpression'])
/** Expression wrappers that TypeScript erases. */
const TS_TRANSPARENT = new Set([
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
function maybeErased(items: Node[]): boolean {
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

interface Plan {
  scalars: string[]
  children: string[]
}
const plans = new Map<string, Plan>()

function planFor(node: Node): Plan {
  let plan = plans.get(node.type)
  if (plan) return plan
  const keys: string[] | undefined = (visitorKeys as Record<string, string[]>)[node.type]
  const children = (keys ?? Object.keys(node).filter(k => typeof node[k] === 'object' && node[k] !== null)).filter(k => !DENY.has(k))
  const scalars = Object.keys(node).filter(k => {
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
  while (n) {
    if (TS_TRANSPARENT.has(n.type)) {
      n = n.expression
      continue
    }
    if (n.type === 'MemberExpression') {
      const inner = unwrap(n.object)
      if (inner.type === 'Identifier') {
        property = n.property.type === 'PrivateIdentifier' ? undefined : staticKey(n.property, n.computed)
        return { ident: inner, property }
      }
      n = inner
      continue
    }
    if (n.type === 'Identifier') return { ident: n }
    if (n.type === 'SpreadElement') {
      n = n.argument
      continue
    }
    return undefined
  }
  return undefined
}

/** An expression without the TypeScript wrappers that erase (`as`, `!`, `satisfies`…). */
export function unwrap(n: Node): Node {
  while (n && TS_TRANSPARENT.has(n.type)) n = n.expression
  return n
}

/** The method name of a member callee (`c` in `a.b.c()`). */
function methodName(callee: Node): string | undefined {
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

/** Walks one unit (a top-level declaration, declarator or statement) into a sink. */
export function walk(root: Node, rootRole: 'root' | 'stmt', sink: Sink): void {
  // Two parallel stacks (node, role) instead of task objects: less garbage on big files.
  const ns: Node[] = [root]
  const rs: number[] = [rootRole === 'root' ? Role.Root : Role.Expr]
  let mark = 0
  /** Labels in scope, innermost last: a label is its distance from the break that names it. */
  const labels: string[] = []
  /** Private names of the enclosing class bodies, innermost last: each its number of declaration. */
  const privates: Array<Map<string, string>> = []
  let privateCounter = 0
  const begin = (): void => {
    mark = ns.length
  }
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
    if (r === Role.Expr && items.length > 0 && items[0] !== null && items[0].type !== undefined && maybeErased(items))
      kept = items.filter(i => !isErased(i))
    scalar(`[${kept.length}`)
    for (const i of kept) push(i, r)
  }
  /** Visits a function value whose body runs later, not when the unit is evaluated. */
  const deferred = (n: Node, r: Role = Role.Expr): void => {
    push(null, T.Defer)
    visit(n, r)
    push(null, T.Undefer)
  }
  const privateName = (name: string): string => {
    for (let i = privates.length - 1; i >= 0; i--) {
      const token = privates[i]!.get(name)
      if (token !== undefined) return token
    }
    return `#${name}`
  }
  /** The static name of a key or property, private names numbered by declaration. */
  const keyName = (k: Node, computed: boolean): string | undefined =>
    k.type === 'PrivateIdentifier' ? privateName(k.name) : staticKey(k, computed)

  while (ns.length > 0) {
    const node = ns.pop()
    const role = rs.pop()!
    if (role < 0) {
      switch (role) {
        case T.Close:
          sink.close()
          continue
        case T.Exit:
          sink.exitScope()
          continue
        case T.Enter:
          sink.enterScope(false)
          continue
        case T.EnterFn:
          sink.enterScope(true)
          continue
        case T.Scalar:
          sink.scalar(node)
          continue
        case T.Defer:
          sink.defer(1)
          continue
        case T.Undefer:
          sink.defer(-1)
          continue
        case T.LabelPop:
          labels.pop()
          continue
        case T.PrivatePop:
          privates.pop()
          continue
      }
    }
    if (node === null || node === undefined) {
      sink.scalar('_')
      continue
    }
    if (Array.isArray(node)) {
      begin()
      listOf(node, role)
      commit()
      continue
    }
    const type: string = node.type
    if (TS_TRANSPARENT.has(type)) {
      push(node.expression, role)
      continue
    }
    begin()
    expand(node, type, role)
    commit()
  }

  function identRole(node: Node, role: Role): void {
    switch (role) {
      case Role.Var:
        sink.ident(node, 'var')
        break
      case Role.Let:
        sink.ident(node, 'let')
        break
      case Role.Param:
        sink.ident(node, 'param')
        break
      case Role.Root:
        sink.ident(node, 'root')
        break
      case Role.Enum:
        sink.ident(node, 'enum')
        break
      case Role.Assign:
        sink.ident(node, 'write')
        break
      default:
        sink.ident(node, 'ref')
    }
  }

  function key(k: Node, computed: boolean): void {
    const name = keyName(k, computed)
    if (name !== undefined) scalar(`K:${name}`)
    else visit(k)
  }

  function fn(node: Node, type: string, role: Role): void {
    sink.open(type)
    sink.scalar(`${node.async ? 'a' : ''}${node.generator ? 'g' : ''}`)
    // A function's name is its `.name`: declared names count, local bindings' names do not.
    if (node.id && (role === Role.Root || type === 'FunctionExpression')) sink.scalar(`name:${node.id.name}`)
    let scopes = 2
    // A top-level function's body runs when it is called, not when its module loads.
    if (role === Role.Root) push(null, T.Defer)
    if (type === 'FunctionExpression' && node.id) {
      push(null, T.Enter)
      visit(node.id, Role.Let)
      scopes++
    } else if (type === 'FunctionDeclaration' && role !== Role.Root && node.id) {
      visit(node.id, Role.Let)
    }
    // Parameters have a scope of their own: their initializers do not see the body's declarations.
    push(null, T.EnterFn)
    const params = node.params.filter((p: Node) => !(p.type === 'Identifier' && p.name === 'this'))
    scalar(`[${params.length}`)
    for (const p of params) {
      if (p.decorators?.length) {
        scalar('@')
        listOf(p.decorators)
      }
      visit(p, Role.Param)
    }
    push(null, T.EnterFn)
    const body = node.body
    if (body && body.type === 'BlockStatement') listOf(body.body)
    else if (body) {
      // `() => x` is `() => { return x }`.
      scalar('[1')
      visit({ type: 'ReturnStatement', argument: body })
    } else visit(body)
    for (let i = 0; i < scopes; i++) push(null, T.Exit)
    if (role === Role.Root) push(null, T.Undefer)
    push(null, T.Close)
  }

  function cls(node: Node, type: string, role: Role): void {
    sink.open(type)
    if (node.id && (role === Role.Root || type === 'ClassExpression')) sink.scalar(`name:${node.id.name}`)
    listOf(node.decorators ?? [])
    let scoped = false
    if (type === 'ClassExpression' && node.id) {
      push(null, T.Enter)
      visit(node.id, Role.Let)
      scoped = true
    } else if (type === 'ClassDeclaration' && role !== Role.Root && node.id) {
      visit(node.id, Role.Let)
    }
    visit(node.superClass)
    const declared = new Map<string, string>()
    for (const m of node.body.body) {
      if (m.key?.type === 'PrivateIdentifier' && !declared.has(m.key.name)) declared.set(m.key.name, `#${privateCounter++}`)
    }
    privates.push(declared)
    classMetadata(node)
    listOf(node.body.body)
    push(null, T.PrivatePop)
    if (scoped) push(null, T.Exit)
    push(null, T.Close)
  }

  /** A declarator's value; `{ a, b } = await import('x')` reads only `a` and `b` of `x`. */
  function visitInit(d: Node): void {
    const names = destructuredNames(d.id)
    const init = unwrap(d.init)
    const request = names && init?.type === 'AwaitExpression' ? unwrap(init.argument) : undefined
    const spec = request?.type === 'ImportExpression' ? staticSpecifier(request.source) : undefined
    if (spec === undefined || !sink.moduleRequest(request, spec, 'import', names)) visit(d.init)
  }

  /** The types `emitDecoratorMetadata` turns into values for a class's decorated parts. */
  function classMetadata(node: Node): void {
    const members: Node[] = node.body.body
    const ctor = members.find(m => m.kind === 'constructor')
    const paramsDecorated = (fn: Node): boolean => !!fn?.params?.some((p: Node) => p.decorators?.length > 0)
    if (node.decorators?.length > 0 || paramsDecorated(ctor?.value)) sink.metadata('class', (ctor?.value.params ?? []).map(paramType))
    for (const m of members) {
      const name = m.key ? (keyName(m.key, m.computed) ?? '?') : '?'
      if (m.type === 'MethodDefinition' && m.kind !== 'constructor' && (m.decorators?.length > 0 || paramsDecorated(m.value))) {
        sink.metadata(`method ${name}`, [...m.value.params.map(paramType), metaType(m.value.returnType?.typeAnnotation)])
      } else if ((m.type === 'PropertyDefinition' || m.type === 'AccessorProperty') && m.decorators?.length > 0) {
        sink.metadata(`property ${name}`, [metaType(m.typeAnnotation?.typeAnnotation)])
      }
    }
  }

  function callSite(node: Node, isNew: boolean): void {
    const callee = rootOf(node.callee)
    const args: Root[] = []
    for (const a of node.arguments) {
      const r = rootOf(a)
      if (r) args.push(r)
    }
    const c = unwrap(node.callee)
    const direct = c.type !== 'MemberExpression' || unwrap(c.object).type === 'Identifier'
    sink.call({ callee, method: methodName(node.callee), isNew, args, direct })
  }

  function expand(node: Node, type: string, role: Role): void {
    switch (type) {
      case 'Identifier':
        identRole(node, role)
        return
      case 'PrivateIdentifier':
        sink.scalar(privateName(node.name))
        return
      case 'Literal':
        sink.scalar(literalToken(node))
        return
      case 'Super':
      case 'ThisExpression':
        sink.scalar(type)
        return
      case 'MetaProperty':
        if (node.meta.name === 'import') sink.location()
        sink.scalar(`meta:${node.meta.name}.${node.property.name}`)
        return
      case 'TemplateLiteral':
        sink.open(type)
        sink.scalar(
          node.quasis
            .map((q: Node) => JSON.stringify(q.value.cooked) + (role === Role.Tagged ? JSON.stringify(q.value.raw) : ''))
            .join(','),
        )
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
        if (role === Role.Assign) {
          const r = rootOf(node)
          if (r) sink.mutate(r)
        }
        const name = keyName(node.property, node.computed)
        const object = unwrap(node.object)
        if (object.type === 'MetaProperty' && name !== undefined && META_NOT_LOCATION.has(name)) {
          sink.open(type)
          sink.scalar(node.optional ? '?.' : '.')
          sink.scalar(`meta:${object.meta.name}.${object.property.name}`)
          sink.scalar(`K:${name}`)
          sink.close()
          return
        }
        if (name !== undefined && object.type === 'Identifier' && sink.staticMember(node, object, name)) return
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
        const r = role === Role.Expr ? Role.Expr : role
        if (r === Role.Expr && isDeferredValue(node.value)) deferred(node.value)
        else visit(node.value, r)
        push(null, T.Close)
        return
      }
      case 'MethodDefinition':
      case 'PropertyDefinition':
      case 'AccessorProperty':
        sink.open(type)
        sink.scalar(`${node.kind ?? ''}${node.static ? 's' : ''}`)
        listOf(node.decorators ?? [])
        key(node.key, node.computed)
        if (type === 'MethodDefinition') deferred(node.value)
        else visit(node.value)
        push(null, T.Close)
        return
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        fn(node, type, role)
        return
      case 'ClassDeclaration':
      case 'ClassExpression':
        cls(node, type, role)
        return
      case 'VariableDeclaration': {
        const r = node.kind === 'var' ? Role.Var : Role.Let
        if (role !== Role.Root && node.kind !== 'var') {
          sink.lexical(
            node.kind,
            node.declarations.map((d: Node) => d.id),
          )
          sink.open('Var')
        } else sink.open(`Var:${node.kind}`)
        scalar(`[${node.declarations.length}`)
        for (const d of node.declarations) {
          visit(d.id, role === Role.Root ? Role.Root : r)
          visitInit(d)
        }
        push(null, T.Close)
        return
      }
      case 'VariableDeclarator':
        // Only reached as a unit root: the declarator of a top-level binding.
        sink.open(type)
        if (role === Role.Root && node.id.type === 'Identifier') {
          scalar('=')
          // `const f = () => …` names the function `f`.
          if (takesName(node.init)) scalar(`name:${node.id.name}`)
        } else visit(node.id, role === Role.Root ? Role.Root : Role.Let)
        if (role === Role.Root && isDeferredValue(node.init)) deferred(node.init)
        else visitInit(node)
        push(null, T.Close)
        return
      case 'ObjectPattern':
      case 'ArrayPattern':
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
        // `f = () => …` names the function `f`.
        if (node.left.type === 'Identifier' && node.operator !== '+=' && takesName(node.right)) sink.scalar(`name:${node.left.name}`)
        visit(node.left, Role.Assign)
        visit(node.right)
        push(null, T.Close)
        return
      case 'UpdateExpression':
        sink.open(type)
        sink.scalar(`${node.operator}${node.prefix ? 'p' : ''}`)
        visit(node.argument, Role.Assign)
        push(null, T.Close)
        return
      case 'UnaryExpression':
        sink.open(type)
        sink.scalar(node.operator)
        visit(node.argument, node.operator === 'delete' ? Role.Assign : Role.Expr)
        push(null, T.Close)
        return
      case 'ForInStatement':
      case 'ForOfStatement':
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
      case 'BlockStatement':
      case 'StaticBlock':
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
        // Labels are local names: a label is known by how many labels lie between it and its use.
        sink.open(type)
        labels.push(node.label.name)
        visit(node.body)
        push(null, T.LabelPop)
        push(null, T.Close)
        return
      case 'BreakStatement':
      case 'ContinueStatement': {
        const at = node.label ? labels.lastIndexOf(node.label.name) : -1
        sink.scalar(`${type}:${node.label ? (at === -1 ? `?${node.label.name}` : labels.length - 1 - at) : ''}`)
        return
      }
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
        sink.scalar(`${node.kind}:${moduleDeclarationName(node.id)}`)
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
      case 'TSQualifiedName':
        // `import X = A.B`: a run-time member access.
        visit({ type: 'MemberExpression', object: node.left, property: node.right, computed: false, optional: false }, role)
        return
      case 'ImportExpression': {
        const spec = staticSpecifier(node.source)
        if (spec !== undefined && sink.moduleRequest(node, spec, 'import')) return
        if (spec === undefined) sink.untracked(node, 'import()')
        break
      }
      case 'NewExpression':
        callSite(node, true)
        break
      case 'CallExpression': {
        callSite(node, false)
        if (node.callee.type === 'Identifier' && node.arguments.length === 1 && sink.mayRequire(node.callee.name)) {
          const spec = staticSpecifier(node.arguments[0])
          if (spec !== undefined && sink.moduleRequest(node, spec, 'require')) return
        }
        sink.open(type)
        sink.scalar(String(node.optional))
        visit(node.callee)
        // In a declaration's value, a function passed to a call (`const f = curry(function …)`,
        // `memoize(() => …)`) runs later, unless a built-in that calls it at once receives it.
        const later = rootRole === 'root' && !CALLS_AT_ONCE.has(methodName(node.callee) ?? '')
        scalar(`[${node.arguments.length}`)
        for (const a of node.arguments) {
          if (later && isDeferredValue(a)) deferred(a)
          else visit(a)
        }
        push(null, T.Close)
        return
      }
      case 'JSXElement':
      case 'JSXFragment': {
        sink.jsx(type === 'JSXFragment')
        sink.open(type)
        visit(type === 'JSXElement' ? node.openingElement : null)
        // Whitespace-only text and `{/* comments */}` are not children once compiled.
        listOf(
          node.children.filter(
            (c: Node) =>
              !(c.type === 'JSXText' && jsxText(c.value) === '') &&
              !(c.type === 'JSXExpressionContainer' && c.expression.type === 'JSXEmptyExpression'),
          ),
        )
        push(null, T.Close)
        return
      }
      case 'JSXOpeningElement': {
        // A component is called when the element renders: like a callback passed along.
        const component = jsxRoot(node.name)
        if (component) sink.call({ callee: component, isNew: false, args: [], direct: true, render: true })
        sink.open(type)
        sink.scalar(node.selfClosing ? '/' : '')
        visit(node.name, Role.JsxName)
        listOf(node.attributes)
        push(null, T.Close)
        return
      }
      case 'JSXClosingElement':
        sink.scalar('</>')
        return
      case 'JSXIdentifier':
        // `<div>` is a string; `<Foo>` and the object of `<icons.star>` are references.
        if (node.name === 'this' && (role === Role.JsxName || role === Role.JsxObject)) sink.scalar('ThisExpression')
        else if (role === Role.JsxObject || (role === Role.JsxName && /^[A-Z_$]/.test(node.name))) sink.ident(node, 'ref')
        else sink.scalar(`J:${node.name}`)
        return
      case 'JSXMemberExpression':
        sink.open(type)
        visit(node.object, Role.JsxObject)
        sink.scalar(`K:${node.property.name}`)
        push(null, T.Close)
        return
      case 'JSXNamespacedName':
        sink.scalar(`J:${node.namespace.name}:${node.name.name}`)
        return
      case 'JSXAttribute':
        sink.open(type)
        visit(node.name)
        if (node.value?.type === 'Literal' && typeof node.value.value === 'string')
          sink.scalar(`s${JSON.stringify(decodeHTMLStrict(node.value.value))}`)
        else visit(node.value)
        push(null, T.Close)
        return
      case 'JSXText': {
        const text = jsxText(node.value)
        if (text !== '') sink.scalar(`t${JSON.stringify(text)}`)
        return
      }
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

/** The binding a JSX element name refers to (`Foo` in `<Foo>`, `icons` in `<icons.Star>`); none for `<div>`. */
function jsxRoot(name: Node): Root | undefined {
  let n = name
  while (n.type === 'JSXMemberExpression') n = n.object
  if (n.type !== 'JSXIdentifier' || n.name === 'this') return undefined
  if (n === name && !/^[A-Z_$]/.test(n.name)) return undefined
  return { ident: n }
}

function paramType(p: Node): MetaType {
  const param = p.type === 'TSParameterProperty' ? p.parameter : p
  const target = param.type === 'AssignmentPattern' ? param.left : param
  return metaType(target.typeAnnotation?.typeAnnotation)
}

const KEYWORD_TYPES: Record<string, string> = {
  TSStringKeyword: 'String',
  TSNumberKeyword: 'Number',
  TSBooleanKeyword: 'Boolean',
  TSBigIntKeyword: 'BigInt',
  TSSymbolKeyword: 'Symbol',
  TSVoidKeyword: 'void',
  TSUndefinedKeyword: 'void',
  TSNeverKeyword: 'void',
  TSArrayType: 'Array',
  TSTupleType: 'Array',
  TSFunctionType: 'Function',
  TSConstructorType: 'Function',
}

/** A type as TypeScript's decorator metadata serializes it (its rules, simplified where it only gives `Object`). */
function metaType(t: Node): MetaType {
  if (!t) return 'Object'
  if (Object.hasOwn(KEYWORD_TYPES, t.type)) return KEYWORD_TYPES[t.type]!
  switch (t.type) {
    case 'TSParenthesizedType':
      return metaType(t.typeAnnotation)
    case 'TSLiteralType': {
      const v = t.literal?.value
      return typeof v === 'string' ? 'String' : typeof v === 'number' ? 'Number' : typeof v === 'boolean' ? 'Boolean' : 'Object'
    }
    case 'TSTypeReference': {
      let n = t.typeName
      const path: string[] = []
      while (n.type === 'TSQualifiedName') {
        path.unshift(n.right.name)
        n = n.left
      }
      return n.type === 'Identifier' ? { ref: n, path: path.join('.') } : 'Object'
    }
    case 'TSUnionType': {
      const parts = t.types.filter((x: Node) => x.type !== 'TSNullKeyword' && x.type !== 'TSUndefinedKeyword').map(metaType)
      return parts.length > 0 && parts.every((x: MetaType) => typeof x === 'string' && x === parts[0]) ? (parts[0] as string) : 'Object'
    }
  }
  return 'Object'
}

/** The keys of an object pattern, when all are static and there is no rest element. */
function destructuredNames(id: Node): string[] | undefined {
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

function reverse(a: unknown[], from: number): void {
  for (let i = from, j = a.length - 1; i < j; i++, j--) {
    const t = a[i]
    a[i] = a[j]
    a[j] = t
  }
}
