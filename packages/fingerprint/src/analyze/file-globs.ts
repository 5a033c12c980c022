// Loads of the modules a glob or a folder pattern matches: Vite's `import.meta.glob` (and
// `globEager`), webpack's `require.context` and `import.meta.webpackContext`. When their arguments
// are static and relative, the engine lists the files they match (graph/file-globs.ts) and follows
// each like an `import()` of it; anything else stays unfollowed, and what reaches it is uncacheable.

import type { FileGlob } from './analysis-types.ts'
import { staticKey, staticSpecifier } from './static-syntax.ts'
import { unwrap } from './ts-erasure.ts'

type Node = any

/** `import.meta.<key>(…)` that loads the modules a pattern matches. */
const META_PATTERN_LOADERS = new Set(['glob', 'globEager', 'webpackContext'])

/**
 * The name of a callee that loads the modules a pattern matches: Vite's `import.meta.glob`
 * (`globEager`), webpack's `require.context` and `import.meta.webpackContext`.
 */
export function patternLoader(callee: Node): string | undefined {
  const c = unwrap(callee)
  if (c.type !== 'MemberExpression') return undefined
  const name = staticKey(c.property, c.computed)
  const object = unwrap(c.object)
  if (object.type === 'MetaProperty' && object.meta.name === 'import' && name !== undefined && META_PATTERN_LOADERS.has(name))
    return `import.meta.${name}()`
  if (object.type === 'Identifier' && object.name === 'require' && name === 'context') return 'require.context()'
  return undefined
}

/** Files a glob can load that run no code when loaded (data, text, styles, images). */
export const DATA_FILE = /\.(?:json|txt|md|csv|ya?ml|toml|html|svg|png|jpe?g|gif|webp|avif|ico|css|scss|sass|less)$/

/** A Vite glob's options: key → value node, or `undefined` when the object is not static. */
function optionNodes(call: Node): Map<string, Node> | undefined {
  const options = call.arguments[1] ? unwrap(call.arguments[1]) : undefined
  const props = new Map<string, Node>()
  if (!options) return props
  if (options.type !== 'ObjectExpression') return undefined
  for (const p of options.properties) {
    const key = p.type === 'Property' && !p.method && p.kind === 'init' ? staticKey(p.key, p.computed) : undefined
    if (key === undefined) return undefined
    props.set(key, unwrap(p.value))
  }
  return props
}

/** The glob strings of `import.meta.glob`'s first argument (a string or a list of them), when static. */
function globStrings(call: Node): string[] | undefined {
  const first = call.arguments[0] ? unwrap(call.arguments[0]) : undefined
  const nodes = first?.type === 'ArrayExpression' ? first.elements.map((e: Node) => (e ? unwrap(e) : e)) : [first]
  const globs = nodes.map(staticSpecifier)
  return globs.length > 0 && globs.every((g: string | undefined) => g !== undefined) ? globs : undefined
}

/** Whether a Vite glob loads its files as text or URLs (`query: '?raw'`, `as: 'url'`): no code runs. */
function loadsBytes(props: Map<string, Node>): boolean {
  const query = props.get('query') ?? props.get('as')
  return query?.type === 'Literal' && typeof query.value === 'string' && /^\??(?:raw|url)$/.test(query.value)
}

/**
 * Whether a pattern load runs the modules it matches at once (`import.meta.globEager`, or
 * `import.meta.glob` with `eager: true`), and they may be code: unless every pattern is a data
 * file or the `query` option loads them as text or URLs. Anything not static counts as yes.
 */
export function runsCodeAtOnce(call: Node, what: string): boolean {
  if (what !== 'import.meta.glob()' && what !== 'import.meta.globEager()') return false
  const props = optionNodes(call)
  if (!props) return true
  const eager = props.get('eager')
  if (what === 'import.meta.glob()' && (eager === undefined || (eager.type === 'Literal' && eager.value === false))) return false
  return !globLoadsDataOnly(call, props)
}

/** Whether every file a Vite glob loads is data (its patterns name data files, or it loads them as text or URLs). */
function globLoadsDataOnly(call: Node, props: Map<string, Node>): boolean {
  if (loadsBytes(props)) return true
  const globs = globStrings(call)
  return globs !== undefined && globs.every(g => g.startsWith('!') || DATA_FILE.test(g))
}

/** A glob or folder relative to the module (`./`, `../`): the only ones the engine can list without the bundler's root or aliases. */
const RELATIVE = /^(?:\.\.?\/)/

/** Vite's glob options the engine reads; any other makes the glob unfollowed. */
const VITE_OPTIONS = new Set(['eager', 'import', 'query', 'as', 'base', 'exhaustive', 'caseSensitive'])

/** A static scalar option value (string, number, boolean), or `undefined`. */
function scalar(node: Node | undefined): string | number | boolean | undefined {
  if (node?.type !== 'Literal' || node.regex || node.bigint != null) return undefined
  return typeof node.value === 'string' || typeof node.value === 'number' || typeof node.value === 'boolean' ? node.value : undefined
}

/** Vite's `query` option as the query it appends (`'?raw'`, `{ foo: 'bar' }` → `'?foo=bar'`), `''` for none, `undefined` when not static. */
function viteQuery(node: Node | undefined): string | undefined {
  if (node === undefined) return ''
  const text = scalar(node)
  if (typeof text === 'string') return text === '' || text.startsWith('?') ? text : `?${text}`
  if (node.type !== 'ObjectExpression') return undefined
  const pairs: string[] = []
  for (const p of node.properties) {
    const key = p.type === 'Property' && !p.method ? staticKey(p.key, p.computed) : undefined
    const value = p.type === 'Property' ? scalar(unwrap(p.value)) : undefined
    if (key === undefined || value === undefined) return undefined
    pairs.push(`${key}=${value}`)
  }
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`
}

/** A static, relative `import.meta.glob(globs, options)` as the engine lists it, or `undefined`. */
function viteGlob(call: Node, props: Map<string, Node>): FileGlob | undefined {
  const globs = globStrings(call)
  if (!globs || !globs.every(g => RELATIVE.test(g.startsWith('!') ? g.slice(1) : g))) return undefined
  if (!globs.some(g => !g.startsWith('!'))) return undefined
  if ([...props.keys()].some(k => !VITE_OPTIONS.has(k))) return undefined
  if ([...props.entries()].some(([k, v]) => k !== 'query' && scalar(v) === undefined)) return undefined
  const base = scalar(props.get('base'))
  if (base !== undefined && (typeof base !== 'string' || !RELATIVE.test(base))) return undefined
  const query = props.has('query') ? viteQuery(props.get('query')) : viteQuery(props.get('as'))
  if (query === undefined) return undefined
  return {
    glob: globs,
    ...(base !== undefined ? { base: base as string } : {}),
    query,
    exhaustive: scalar(props.get('exhaustive')) === true,
    caseSensitive: scalar(props.get('caseSensitive')) !== false,
  }
}

/** webpack's default `regExp` of a context: every file. */
const EVERY_REQUEST: [string, string] = ['^\\.\\/.*$', '']

/** A regular expression literal as `[pattern, flags]`, or `undefined`. */
function regExpLiteral(node: Node | undefined): [string, string] | undefined {
  return node?.type === 'Literal' && node.regex ? [node.regex.pattern, node.regex.flags] : undefined
}

/** A static `require.context(dir, recursive?, regExp?, mode?)`, or `undefined`. */
function requireContext(call: Node): FileGlob | undefined {
  const [dirNode, recursiveNode, regExpNode, modeNode] = call.arguments.map((a: Node) => unwrap(a))
  const dir = staticSpecifier(dirNode)
  if (dir === undefined || !RELATIVE.test(dir) || call.arguments.length > 4) return undefined
  const recursive = recursiveNode === undefined ? true : scalar(recursiveNode)
  const regExp = regExpNode === undefined ? EVERY_REQUEST : regExpLiteral(regExpNode)
  if (typeof recursive !== 'boolean' || !regExp || (modeNode !== undefined && typeof scalar(modeNode) !== 'string')) return undefined
  return { context: dir, recursive, regExp }
}

/** A static `import.meta.webpackContext(dir, { recursive, regExp, mode })`, or `undefined`. */
function webpackContext(call: Node): FileGlob | undefined {
  const dir = staticSpecifier(call.arguments[0] ? unwrap(call.arguments[0]) : undefined)
  const props = optionNodes(call)
  if (dir === undefined || !RELATIVE.test(dir) || !props || call.arguments.length > 2) return undefined
  if ([...props.keys()].some(k => k !== 'recursive' && k !== 'regExp' && k !== 'mode')) return undefined
  const recursive = props.has('recursive') ? scalar(props.get('recursive')) : true
  const regExp = props.has('regExp') ? regExpLiteral(props.get('regExp')) : EVERY_REQUEST
  if (typeof recursive !== 'boolean' || !regExp) return undefined
  if (props.has('mode') && typeof scalar(props.get('mode')) !== 'string') return undefined
  return { context: dir, recursive, regExp }
}

/**
 * The files a pattern load (`what`, from `patternLoader`) matches, described so the engine can list
 * them: static arguments, relative to the module. `undefined` when the engine cannot know them
 * (a computed or root-absolute glob, an alias, an option that is not a literal).
 */
export function fileGlob(call: Node, what: string): FileGlob | undefined {
  if (what === 'require.context()') return requireContext(call)
  if (what === 'import.meta.webpackContext()') return webpackContext(call)
  const props = optionNodes(call)
  return props && call.arguments.length <= 2 ? viteGlob(call, props) : undefined
}

/**
 * When the files of a followed pattern load may run code: `'now'` when it loads them at once (an
 * eager glob of code), `'later'` when it gives functions that load them (a lazy glob, a webpack
 * context), `false` when they are data.
 */
export function globRuns(call: Node, what: string, glob: FileGlob): 'now' | 'later' | false {
  if ('context' in glob) return 'later'
  if (globLoadsDataOnly(call, optionNodes(call)!)) return false
  return runsCodeAtOnce(call, what) ? 'now' : 'later'
}
