import type { Parsed } from './parse.js'
import type { AstNode } from './walk.js'
import { walk } from './walk.js'

/** One read of a source of impurity, by offset in its module. */
export interface Impurity {
  start: number
  what: string
}

const IO_MODULES = new Set([
  'fs',
  'fs/promises',
  'http',
  'https',
  'http2',
  'net',
  'tls',
  'dgram',
  'dns',
  'dns/promises',
  'child_process',
  'readline',
  'worker_threads',
])
const IO_GLOBALS = new Set(['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'localStorage', 'sessionStorage', 'indexedDB'])
const RANDOM_CRYPTO = new Set(['getRandomValues', 'randomUUID', 'randomBytes', 'randomInt', 'randomFillSync', 'randomFill'])
export const ALLOW_COMMENT = '@smart-cache-allow-impure'

/**
 * Cheap text check: a module whose text has none of these cannot hold a finding, so it is
 * not parsed (keep in step with the lists above and the checks below).
 */
export const IMPURITY_HINT =
  /\b(?:Date|Math|crypto|fetch|process|performance|XMLHttpRequest|WebSocket|EventSource|localStorage|sessionStorage|indexedDB|require|let|var)\b|['"](?:node:)?(?:fs|https?|http2|net|tls|dgram|dns|child_process|readline|worker_threads)\b/

export interface ModuleFacts {
  /** Local names bound to file or network I/O modules → the module they come from. */
  ioNames: Map<string, string>
  /** Module-level `let`/`var` names assigned somewhere after their declaration. */
  mutableLets: Set<string>
}

function isIoModule(spec: string): boolean {
  return IO_MODULES.has(spec.startsWith('node:') ? spec.slice(5) : spec)
}

/** Facts about a module the impurity scan needs, computed once per module. */
export function moduleFacts(parsed: Parsed): ModuleFacts {
  const ioNames = new Map<string, string>()
  for (const [spec, entries] of parsed.imports) {
    if (isIoModule(spec)) {
      for (const e of entries) ioNames.set(e.local, spec)
    }
  }
  const lets = new Set<string>()
  for (const stmt of parsed.program.body as AstNode[]) {
    const decl = stmt.type === 'ExportNamedDeclaration' ? stmt.declaration : stmt
    if (decl?.type === 'VariableDeclaration' && decl.kind !== 'const') {
      for (const d of decl.declarations as AstNode[]) {
        if (d.id.type === 'Identifier') lets.add(d.id.name)
      }
    }
  }
  const mutableLets = new Set<string>()
  if (lets.size > 0) {
    walk(parsed.program, node => {
      const target = node.type === 'AssignmentExpression' ? node.left : node.type === 'UpdateExpression' ? node.argument : undefined
      if (target?.type === 'Identifier' && lets.has(target.name)) mutableLets.add(target.name)
    })
  }
  return { ioNames, mutableLets }
}

function memberName(node: AstNode): [string | undefined, string | undefined] {
  if (node.type !== 'MemberExpression' || node.computed) return [undefined, undefined]
  let obj = node.object
  if (
    obj.type === 'MemberExpression' &&
    !obj.computed &&
    obj.object.type === 'Identifier' &&
    (obj.object.name === 'globalThis' || obj.object.name === 'window' || obj.object.name === 'self')
  )
    obj = obj.property
  return [obj.type === 'Identifier' ? obj.name : undefined, node.property.name]
}

function isReference(node: AstNode, parent: AstNode | undefined): boolean {
  if (!parent) return true
  if (parent.type === 'MemberExpression' && parent.property === node && !parent.computed) return false
  if (
    (parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') &&
    parent.key === node &&
    !parent.computed
  )
    return parent.type === 'Property' && parent.shorthand
  if (parent.type === 'VariableDeclarator' && parent.id === node) return false
  if (
    (parent.type === 'FunctionDeclaration' ||
      parent.type === 'FunctionExpression' ||
      parent.type === 'ClassDeclaration' ||
      parent.type === 'ClassExpression') &&
    parent.id === node
  )
    return false
  return !(
    parent.type.startsWith('TS') ||
    parent.type === 'LabeledStatement' ||
    parent.type === 'BreakStatement' ||
    parent.type === 'ContinueStatement'
  )
}

function checkMember(node: AstNode, facts: ModuleFacts): string | undefined {
  const [obj, prop] = memberName(node)
  if (obj === 'Date' && prop === 'now') return 'Date.now()'
  if (obj === 'Math' && prop === 'random') return 'Math.random()'
  if (obj === 'performance' && prop === 'now') return 'performance.now()'
  if (obj === 'crypto' && prop && RANDOM_CRYPTO.has(prop)) return `crypto.${prop}()`
  if (obj === 'process' && prop === 'env') return 'process.env'
  if (obj && facts.ioNames.has(obj)) return `file or network I/O (\`${obj}.${prop}\` from '${facts.ioNames.get(obj)}')`
  return undefined
}

function checkIdentifier(node: AstNode, facts: ModuleFacts): string | undefined {
  const name = node.name as string
  if (facts.ioNames.has(name)) return `file or network I/O (\`${name}\` from '${facts.ioNames.get(name)}')`
  if (IO_GLOBALS.has(name)) return name === 'fetch' ? 'fetch()' : `I/O through \`${name}\``
  if (facts.mutableLets.has(name)) return `module-level \`let ${name}\`, which is assigned elsewhere`
  return undefined
}

/** Reads of a file whose bytes the engine counts, when it is named `new URL('./x', import.meta.url)`. */
const FILE_READS = new Set(['readFileSync', 'readFile', 'fetch'])

/** `new URL('<relative path>', import.meta.url)`: a file the engine follows (its bytes or its module count). */
function isModuleFileUrl(node: AstNode | undefined): boolean {
  const [path, base] =
    node?.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'URL' ? node.arguments : []
  return (
    path?.type === 'Literal' &&
    typeof path.value === 'string' &&
    /^\.\.?\//.test(path.value) &&
    base?.type === 'MemberExpression' &&
    base.object.type === 'MetaProperty' &&
    base.property.name === 'url'
  )
}

/**
 * The callee of a read of a file the engine counts (`readFileSync(new URL('./data.json', import.meta.url))`,
 * `fetch(new URL('./d.txt', import.meta.url))`): not a read of something the fingerprint cannot see.
 */
function countedRead(node: AstNode): AstNode | undefined {
  if (node.type !== 'CallExpression' || !isModuleFileUrl(node.arguments[0])) return undefined
  const callee = node.callee
  const name =
    callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && !callee.computed ? callee.property.name : undefined
  return name !== undefined && FILE_READS.has(name) ? callee : undefined
}

/** Every read of a source of impurity inside `root` (a function or a module-level declaration). */
export function findImpurities(root: AstNode, facts: ModuleFacts): Impurity[] {
  const found: Impurity[] = []
  const counted = new Set<AstNode>()
  walk(root, (node, ancestors) => {
    const parent = ancestors[ancestors.length - 1]
    let what: string | undefined
    const read = countedRead(node)
    if (read) counted.add(read)
    if (counted.has(node)) return false
    if (node.type === 'MemberExpression') {
      what = checkMember(node, facts)
      if (what) {
        found.push({ start: node.start, what })
        return false
      }
    } else if (
      node.type === 'NewExpression' &&
      node.callee.type === 'Identifier' &&
      node.callee.name === 'Date' &&
      node.arguments.length === 0
    ) {
      found.push({ start: node.start, what: 'new Date() without arguments' })
    } else if (node.type === 'Identifier' && isReference(node, parent)) {
      what = checkIdentifier(node, facts)
      if (what) found.push({ start: node.start, what })
    } else if (
      node.type === 'CallExpression' &&
      node.callee.type === 'Identifier' &&
      node.callee.name === 'require' &&
      node.arguments[0]?.type === 'Literal' &&
      typeof node.arguments[0].value === 'string' &&
      isIoModule(node.arguments[0].value)
    ) {
      found.push({ start: node.start, what: `file or network I/O (require('${node.arguments[0].value}'))` })
    }
  })
  return found
}

/** The module-level declaration node of `name` (`default`, a local, or `Class.member`), if any. */
export function findBinding(program: AstNode, name: string): AstNode | undefined {
  const [head, member] = name.split('.')
  for (const stmt of program.body as AstNode[]) {
    if (head === 'default' && stmt.type === 'ExportDefaultDeclaration') return stmt.declaration
    const decl = stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportDefaultDeclaration' ? stmt.declaration : stmt
    if (!decl) continue
    if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id?.name === head) {
      if (member && decl.type === 'ClassDeclaration') {
        const m = (decl.body.body as AstNode[]).find(el => !el.computed && el.key?.name === member)
        return m ?? decl
      }
      return decl
    }
    if (decl.type === 'VariableDeclaration') {
      const d = (decl.declarations as AstNode[]).find(x => x.id.type === 'Identifier' && x.id.name === head)
      if (d) return d
    }
  }
  return undefined
}
