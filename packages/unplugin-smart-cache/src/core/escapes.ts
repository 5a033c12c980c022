import type MagicString from 'magic-string'
import type { Parsed } from './parse.js'
import type { AstNode } from './walk.js'
import { isNotReference, isTypeOnly } from './captures.js'
import { RUNTIME } from './ids.js'
import { cacheCallTest, isRuntimeRequire, runtimeBindings, type RuntimeBindings } from './marks.js'
import { metaSource } from './rewrite.js'
import { resolveName } from './scopes.js'
import { walk } from './walk.js'

/**
 * A way `smartCache` leaves the module without being called here: re-exported, aliased, passed
 * on, or loaded with `import()`/`require()`. The plugin rewrites the calls it sees in the module
 * that makes them; calls made through an escape reach the runtime with no fingerprint, and caching
 * them on the function's source text alone would serve old results after an edit of what the
 * function calls. Each escape is rewritten to pass `fingerprint: null` (the functions cached through
 * it run uncached, every call computes) and the build warns with the place and the fix.
 */
export interface Escape {
  /** Offset the warning points at. */
  at: number
  /** What escapes, for the warning. */
  what: string
  /** Rewrites the escape with the names `names` declares. */
  rewrite: (s: MagicString, names: EscapeNames) => void
}

/** Names the rewrite of escapes declares in the module. */
export interface EscapeNames {
  /** A module-level function that calls `callee` with the arguments and a `fingerprint: null` meta for the escape at `at`. */
  forwarder: (callee: string, at: number) => string
  /** A module-level function wrapping a runtime namespace object so that its `smartCache` passes `fingerprint: null`. */
  namespaceWrapper: (at: number) => string
  /** A local name of the runtime's `smartCache` (imported once when needed). */
  runtimeImport: () => string
  /** A name not used in the module. */
  fresh: (hint: string) => string
}

const FIX =
  "Fix: import { smartCache } from 'smart-cache' in the module that caches the function and call it there (share options through a module-level const or configure())."

/** The escapes of `smartCache` in one module, in source order. */
export function findEscapes(parsed: Parsed, code: string): Escape[] {
  const b = runtimeBindings(parsed)
  const isCacheCall = cacheCallTest(parsed)
  const escapes: Escape[] = []
  walk(parsed.program, (node, ancestors) => {
    if (isTypeOnly(node)) return false
    const parent = ancestors[ancestors.length - 1]
    switch (node.type) {
      case 'ExportNamedDeclaration':
        if (!node.source) return
        if (node.source.value === RUNTIME) reExports(node, code, escapes)
        return false
      case 'ExportAllDeclaration':
        if (node.source.value === RUNTIME) escapes.push(exportAll(node))
        return false
      case 'ImportExpression':
        if (node.source.type === 'Literal' && node.source.value === RUNTIME) escapes.push(loaded(node, 'import()'))
        return
      case 'CallExpression':
        if (isRuntimeRequire(node) && !b.requires.has(node)) escapes.push(loaded(node, 'require()'))
        return
      case 'MemberExpression':
        if (isNamespaceMember(node, b) && !isCalleeOrDecorator(node, parent!)) escapes.push(aliased(node, `${node.object.name}.smartCache`))
        return
      case 'Identifier': {
        // `export { SC }`: the specifier's local and exported names are one place; its local is the read.
        if (parent?.type === 'ExportSpecifier' && parent.local !== node) return
        if (!parent || isNotReference(node, parent) || isDeclaration(node, parent, ancestors)) return
        if (!b.names.has(node.name) && !b.namespaces.has(node.name)) return
        if (resolveName(node.name, [...ancestors, node], isCacheCall) !== -1) return
        if (b.names.has(node.name)) {
          if (!isCalleeOrDecorator(node, parent)) escapes.push(aliasedName(node, parent))
        } else if (!isMemberOf(node, parent)) escapes.push(namespacePassed(node, parent))
        return
      }
    }
  })
  return escapes
}

/** Declares the names escapes need and rewrites every escape; the forwarders are appended to the module. */
export function rewriteEscapes(s: MagicString, escapes: Escape[], id: (at: number) => string, fresh: (hint: string) => string): void {
  const declarations: string[] = []
  let runtime: string | undefined
  const names: EscapeNames = {
    forwarder: (callee, at) => {
      const name = fresh('unseen')
      declarations.push(`function ${name}(...args) { return ${callee}(...args, ${metaSource(id(at), null)}) }`)
      return name
    },
    namespaceWrapper: at => {
      const name = fresh('unseenNamespace')
      declarations.push(
        `function ${name}(ns) { return Object.freeze({ ...ns, smartCache: (...args) => ns.smartCache(...args, ${metaSource(id(at), null)}) }) }`,
      )
      return name
    },
    runtimeImport: () => {
      if (!runtime) {
        runtime = fresh('runtime')
        s.prepend(`import { smartCache as ${runtime} } from ${JSON.stringify(RUNTIME)};`)
      }
      return runtime
    },
    fresh,
  }
  for (const e of escapes) e.rewrite(s, names)
  if (declarations.length > 0) s.append(`\n${declarations.join('\n')}\n`)
}

/** The build warning of an escape. */
export function escapeMessage(e: Escape): string {
  return `${e.what}, so the functions cached through it get no fingerprint from unplugin-smart-cache (it rewrites only calls of smartCache imported from 'smart-cache' in the module that makes them); they run uncached (every call computes) rather than risk an old result. ${FIX}`
}

function reExports(node: AstNode, code: string, escapes: Escape[]): void {
  const specifiers = node.specifiers as AstNode[]
  const escaping = specifiers.filter(sp => specifierName(sp.local) === 'smartCache')
  if (escaping.length === 0) return
  const kept = specifiers.filter(sp => !escaping.includes(sp)).map(sp => code.slice(sp.start, sp.end))
  escapes.push({
    at: escaping[0]!.start,
    what: `smartCache is re-exported here as ${escaping.map(sp => `'${specifierName(sp.exported)}'`).join(', ')}`,
    rewrite: (s, names) => {
      const exported = escaping.map(
        sp => `${names.forwarder(names.runtimeImport(), sp.start)} as ${code.slice(sp.exported.start, sp.exported.end)}`,
      )
      s.overwrite(node.start, node.end, `export { ${kept.join(', ')} } from ${JSON.stringify(RUNTIME)}; export { ${exported.join(', ')} };`)
    },
  })
}

function exportAll(node: AstNode): Escape {
  const as = node.exported ? specifierName(node.exported) : undefined
  return {
    at: node.start,
    what: as ? `the 'smart-cache' namespace is re-exported here as '${as}'` : `export * from 'smart-cache' re-exports smartCache here`,
    rewrite: (s, names) => {
      if (as === undefined) {
        s.appendLeft(node.end, ` export { ${names.forwarder(names.runtimeImport(), node.start)} as smartCache };`)
        return
      }
      const ns = names.fresh('namespace')
      const wrapped = names.fresh('unseenNamespace')
      s.overwrite(
        node.start,
        node.end,
        `import * as ${ns} from ${JSON.stringify(RUNTIME)}; var ${wrapped} = ${names.namespaceWrapper(node.start)}(${ns}); export { ${wrapped} as ${JSON.stringify(as)} };`,
      )
    },
  }
}

function loaded(node: AstNode, how: string): Escape {
  return {
    at: node.start,
    what: `'smart-cache' is loaded here with ${how}`,
    rewrite: (s, names) => {
      const wrap = names.namespaceWrapper(node.start)
      if (node.type === 'ImportExpression') s.appendLeft(node.end, `.then(${wrap})`)
      else {
        s.appendLeft(node.start, `${wrap}(`)
        s.appendLeft(node.end, ')')
      }
    },
  }
}

/** A call of `smartCache` the rewrite cannot append a meta to (`smartCache(...args)`): its callee passes `fingerprint: null`. */
export function unseenCall(call: AstNode, code: string): Escape {
  const callee = call.callee as AstNode
  return aliased(callee, code.slice(callee.start, callee.end))
}

function aliased(node: AstNode, text: string): Escape {
  return {
    at: node.start,
    what: `${text} is used here as a value, not called`,
    rewrite: (s, names) => s.overwrite(node.start, node.end, names.forwarder(text, node.start)),
  }
}

function aliasedName(node: AstNode, parent: AstNode): Escape {
  if (parent.type === 'ExportSpecifier') {
    return {
      at: node.start,
      what: `smartCache is exported here as '${specifierName(parent.exported)}'`,
      rewrite: (s, names) =>
        s.overwrite(parent.start, parent.end, `${names.forwarder(node.name, node.start)} as ${specifierText(parent.exported)}`),
    }
  }
  const escape = aliased(node, node.name)
  if (parent.type === 'Property' && parent.shorthand) {
    return { ...escape, rewrite: (s, names) => s.appendLeft(node.end, `: ${names.forwarder(node.name, node.start)}`) }
  }
  return escape
}

function namespacePassed(node: AstNode, parent: AstNode): Escape {
  const what = `the 'smart-cache' namespace ${node.name} is passed on here`
  if (parent.type === 'ExportSpecifier') {
    return {
      at: node.start,
      what,
      rewrite: (s, names) => {
        const wrapped = names.fresh('unseenNamespace')
        s.prepend(`var ${wrapped} = ${names.namespaceWrapper(node.start)}(${node.name});`)
        s.overwrite(parent.start, parent.end, `${wrapped} as ${specifierText(parent.exported)}`)
      },
    }
  }
  return {
    at: node.start,
    what,
    rewrite: (s, names) => {
      const call = `${names.namespaceWrapper(node.start)}(${node.name})`
      if (parent.type === 'Property' && parent.shorthand) s.appendLeft(node.end, `: ${call}`)
      else s.overwrite(node.start, node.end, call)
    },
  }
}

function specifierName(node: AstNode): string {
  return node.type === 'Identifier' ? node.name : String(node.value)
}

function specifierText(node: AstNode): string {
  return node.type === 'Identifier' ? node.name : JSON.stringify(node.value)
}

/** `NS.smartCache` (or `NS['smartCache']`) of a runtime namespace. */
function isNamespaceMember(node: AstNode, b: RuntimeBindings): boolean {
  if (node.object.type !== 'Identifier' || !b.namespaces.has(node.object.name)) return false
  return node.computed ? node.property.type === 'Literal' && node.property.value === 'smartCache' : node.property.name === 'smartCache'
}

/** Whether `node` is called (a mark; `smartCache?.(fn)` too) or applied as a decorator (`@smartCache`, `@smartCache(o)`). */
function isCalleeOrDecorator(node: AstNode, parent: AstNode): boolean {
  return parent.type === 'Decorator' || (parent.type === 'CallExpression' && parent.callee === node)
}

/** A namespace read for one named member (`NS.configure`, `NS['x']`): only `smartCache` escapes that way (see isNamespaceMember). */
function isMemberOf(node: AstNode, parent: AstNode): boolean {
  return parent.type === 'MemberExpression' && parent.object === node && (!parent.computed || parent.property.type === 'Literal')
}

/** Names that declare rather than read: import specifiers, the names a variable declaration binds (`const { smartCache } = require(…)`). */
function isDeclaration(node: AstNode, parent: AstNode, ancestors: readonly AstNode[]): boolean {
  if (parent.type === 'ImportSpecifier' || parent.type === 'ImportDefaultSpecifier' || parent.type === 'ImportNamespaceSpecifier')
    return true
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!
    if (a.type === 'VariableDeclarator') return a.id.start <= node.start && node.end <= a.id.end
    if (
      a.type !== 'Property' &&
      a.type !== 'ObjectPattern' &&
      a.type !== 'ArrayPattern' &&
      a.type !== 'AssignmentPattern' &&
      a.type !== 'RestElement'
    )
      return false
  }
  return false
}
