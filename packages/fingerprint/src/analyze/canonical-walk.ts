// The traversal of a unit's AST into a sink (the canonical token stream plus scope events). It is
// iterative (an explicit task stack), so nesting depth is bounded by memory, not by the JS call
// stack. What it erases: TypeScript-only syntax, positions, raw literal text, parentheses (absent
// from oxc's AST with `preserveParens: false`), comments (not in the AST). What a node says
// statically, what TypeScript erases, JSX text and decorator metadata have modules of their own.

import { decodeHTMLStrict } from 'entities/decode'
import type { Root, Sink } from './sink.ts'
import { classMetadata } from './decorator-metadata.ts'
import { DATA_FILE, fileGlob, globRuns, patternLoader, runsCodeAtOnce } from './file-globs.ts'
import { jsxRoot, jsxText } from './jsx.ts'
import { planFor } from './node-plan.ts'
import {
  isDeferredValue,
  literalToken,
  methodName,
  moduleDeclarationName,
  rootOf,
  staticKey,
  staticSpecifier,
  takesName,
  destructuredNames,
} from './static-syntax.ts'
import { isErased, maybeErased, TS_TRANSPARENT, unwrap } from './ts-erasure.ts'

type Node = any

/** What a visited node is to its parent: how its identifiers count (`Var`, `Param`, `Assign`…). */
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

/**
 * Whether a computed specifier can only name data files (`./locales/${lang}.json`,
 * `'./l/' + lang + '.json'`): its static end is a data file's extension, so loading runs no code.
 */
function loadsDataOnly(specifier: Node): boolean {
  let end = specifier ? unwrap(specifier) : undefined
  while (end?.type === 'BinaryExpression' && end.operator === '+') end = unwrap(end.right)
  const tail =
    end?.type === 'TemplateLiteral' ? end.quasis[end.quasis.length - 1].value.cooked : end?.type === 'Literal' ? end.value : undefined
  return typeof tail === 'string' && DATA_FILE.test(tail)
}

/** The static parts of a specifier built from strings and values (`./l/${x}.json`, `'./l/' + x + '.js'`), in order. */
function specifierParts(specifier: Node): string[] | undefined {
  const operands: Node[] = []
  let n = specifier ? unwrap(specifier) : undefined
  while (n?.type === 'BinaryExpression' && n.operator === '+') {
    operands.unshift(unwrap(n.right))
    n = unwrap(n.left)
  }
  if (!n) return undefined
  operands.unshift(n)
  // `+` concatenates only from a string on: the first operand must be one.
  if (!(n.type === 'TemplateLiteral' || (n.type === 'Literal' && typeof n.value === 'string'))) return undefined
  const parts: string[] = []
  let current = ''
  for (const o of operands) {
    if (o.type === 'Literal' && typeof o.value === 'string') current += o.value
    else if (o.type === 'TemplateLiteral') {
      current += o.quasis[0].value.cooked
      for (let i = 1; i < o.quasis.length; i++) {
        parts.push(current)
        current = o.quasis[i].value.cooked
      }
    } else {
      parts.push(current)
      current = ''
    }
  }
  parts.push(current)
  return parts.length > 1 && parts.every(p => typeof p === 'string') ? parts : undefined
}

/**
 * A computed specifier that bundlers turn into the files of a folder (Vite's dynamic-import-vars,
 * webpack's context modules, esbuild's glob imports): a relative folder first (`./locales/`), a file
 * extension last (`.json`), no query, no `..` after the start. Its static parts, or `undefined`.
 */
function specifierPattern(specifier: Node): string[] | undefined {
  const parts = specifierParts(specifier)
  if (!parts) return undefined
  const first = parts[0]!
  if (!/^(?:\.\.?\/)+/.test(first)) return undefined
  const rest = parts.join('/').replace(/^(?:\.\.?\/)+/, '')
  if (/(?:^|\/)\.\.?(?:\/|$)|[?#\\]/.test(rest)) return undefined
  if (!/\.[A-Za-z\d]+$/.test(parts[parts.length - 1]!)) return undefined
  return parts
}

/** A URL with a scheme (`https:`, `data:`): not a file of the project. */
const URL_WITH_SCHEME = /^[a-z][a-z\d+.-]*:/i

/**
 * `new URL(path, import.meta.url)`, which bundlers (Vite, webpack 5, Rolldown, esbuild) read as a
 * reference to the file at `path`: that path made relative (`./…`); `null` when it is not a
 * relative literal (computed, or from the root `/…`), so the file cannot be known; `undefined`
 * when the expression is not this form or names no file of the project.
 */
function metaUrlReference(node: Node): string | null | undefined {
  const callee = unwrap(node.callee)
  if (callee.type !== 'Identifier' || callee.name !== 'URL' || node.arguments.length < 2) return undefined
  const base = unwrap(node.arguments[1])
  if (base.type !== 'MemberExpression' || staticKey(base.property, base.computed) !== 'url') return undefined
  const meta = unwrap(base.object)
  if (meta.type !== 'MetaProperty' || meta.meta.name !== 'import') return undefined
  const path = staticSpecifier(unwrap(node.arguments[0]))
  if (path === undefined) return null
  if (URL_WITH_SCHEME.test(path)) return undefined
  const file = path.replace(/#.*$/, '')
  if (file.startsWith('/')) return null
  // The folder itself (`new URL('.', import.meta.url)`): where the module is, already counted.
  if (file === '' || file === '.' || file === '..' || file.endsWith('/')) return undefined
  return file.startsWith('./') || file.startsWith('../') ? file : `./${file}`
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
  /** Set from `import.meta.<key>` (a key other than `env`) until its `import.meta`, expanded next, is seen. */
  let metaIsObject = false
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
  /** Decorators: each is called when its class is defined (at load, for a class at the top level). */
  const decorators = (list: Node[] | undefined): void => {
    for (const d of list ?? []) {
      const callee = rootOf(d.expression)
      if (callee) sink.call({ callee, isNew: false, args: [], direct: true, runsOnly: true })
    }
    listOf(list ?? [])
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
        decorators(p.decorators)
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
    sink.classBody()
    sink.open(type)
    if (node.id && (role === Role.Root || type === 'ClassExpression')) sink.scalar(`name:${node.id.name}`)
    decorators(node.decorators)
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
    classMetadata(node, keyName, sink)
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

  /** `import()` / `require()` with a computed specifier: followed as a pattern of files when it is one. */
  function computedLoad(node: Node, specifier: Node, kind: 'i' | 'r'): void {
    const parts = specifierPattern(specifier)
    const runsCode = !loadsDataOnly(specifier)
    if (parts) sink.patternRequest(node, parts, kind, runsCode && 'now')
    else sink.untracked(node, kind === 'i' ? 'import()' : 'require()', runsCode)
  }

  /** A glob or folder load (`import.meta.glob`, `require.context`): followed to the files it matches when static. */
  function patternLoad(node: Node, what: string): void {
    const glob = fileGlob(node, what)
    if (glob) sink.patternRequest(node, glob, what === 'require.context()' ? 'r' : 'i', globRuns(node, what, glob))
    else sink.patternLoad(node, what, runsCodeAtOnce(node, what))
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
        if (node.meta.name === 'import') {
          sink.location()
          // `import.meta` itself, not `import.meta.<key>`: its `env` may be read through it.
          if (!metaIsObject) sink.metaEnv()
          metaIsObject = false
        }
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
          if (name === 'env') sink.metaEnv()
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
        // `import.meta.url` and the like: a key other than `env` (counted above) is read from it.
        metaIsObject = object.type === 'MetaProperty' && name !== undefined
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
        decorators(node.decorators)
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
        decorators(node.decorators)
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
        if (spec === undefined) computedLoad(node, node.source, 'i')
        break
      }
      case 'NewExpression': {
        callSite(node, true)
        const url = metaUrlReference(node)
        if (url === null) sink.untracked(node, 'new URL(…, import.meta.url)', false)
        else if (url !== undefined) sink.fileReference(node, url)
        break
      }
      case 'CallExpression': {
        callSite(node, false)
        const patterned = patternLoader(node.callee)
        if (patterned) patternLoad(node, patterned)
        if (node.callee.type === 'Identifier' && node.arguments.length === 1 && sink.mayRequire(node.callee.name)) {
          const spec = staticSpecifier(node.arguments[0])
          if (spec !== undefined && sink.moduleRequest(node, spec, 'require')) return
          if (spec === undefined) computedLoad(node, node.arguments[0], 'r')
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
        if (component) sink.call({ callee: component, isNew: false, args: [], direct: true, runsOnly: true })
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

function reverse(a: unknown[], from: number): void {
  for (let i = from, j = a.length - 1; i < j; i++, j--) {
    const t = a[i]
    a[i] = a[j]
    a[j] = t
  }
}
