import type { CaptureFinder, CaptureProblem } from './captures.js'
import type { Mark } from './marks.js'
import type { AstNode } from './walk.js'
import { capturesSource } from './captures.js'
import { isFunction } from './walk.js'
import { metaSource, type Fingerprint } from './rewrite.js'

/** The function a mark caches (the expression passed to `smartCache` for a call) and its ancestors, Program first. */
export function markTarget(mark: Mark): { target: AstNode; ancestors: readonly AstNode[] } {
  if (mark.kind === 'directive') return { target: mark.fn, ancestors: mark.ancestors }
  if (mark.kind === 'decorator') return { target: mark.method.value, ancestors: mark.ancestors }
  return { target: mark.node.arguments[0] ?? mark.node, ancestors: [...mark.ancestors, mark.node] }
}

/** What the plugin makes of one mark besides the rewrite. */
export interface MarkMeta {
  /** The meta object as source text. */
  source: string
  /** Captured variables that cannot be keyed (build errors). */
  problems: CaptureProblem[]
  /** The function's name (or `function`) when it is synchronous: an error in browser builds. */
  sync: string | undefined
}

/**
 * The meta object of one cached function, as source text (Contract 2): its id and fingerprint,
 * the variables of enclosing functions it reads (whose values the runtime keys), whether the
 * source declares it `async`, and the name the rewrite would take from it.
 */
export function markMeta(
  mark: Mark,
  id: string,
  fingerprint: Fingerprint,
  finder: CaptureFinder,
  at: (offset: number) => string,
): MarkMeta {
  const { target, ancestors } = markTarget(mark)
  const { captures, problems } = finder.find(target, ancestors)
  const extra: Record<string, string> = {}
  if (captures.length > 0) extra.captures = capturesSource(captures, at)
  const fn = isFunction(target) ? target : undefined
  if (fn && declaredAsync(fn)) extra.async = 'true'
  const name = mark.kind === 'directive' ? lostName(mark) : undefined
  if (name !== undefined) extra.name = JSON.stringify(name)
  const sync = fn && !declaredAsync(fn) && !fn.generator ? (name ?? fn.id?.name ?? nameOfMarked(mark) ?? 'this function') : undefined
  return { source: metaSource(id, fingerprint, extra), problems, sync }
}

/** `async`, or typed as returning a Promise (`(): Promise<T>`). */
function declaredAsync(fn: AstNode): boolean {
  const returnType = fn.returnType?.typeAnnotation
  return (
    !!fn.async ||
    (returnType?.type === 'TSTypeReference' &&
      returnType.typeName?.type === 'Identifier' &&
      /^(?:Promise|PromiseLike)$/.test(returnType.typeName.name))
  )
}

/**
 * The name an anonymous function gets from where it stands (\`const f = () => {}\`, \`{ k() {} }\`),
 * which wrapping it in a call would take away; `undefined` when it keeps its own.
 */
function lostName(mark: Extract<Mark, { kind: 'directive' }>): string | undefined {
  const fn = mark.fn
  const parent = mark.ancestors[mark.ancestors.length - 1]
  if (parent?.type === 'Property' && parent.method) return keyText(parent)
  if (fn.type === 'FunctionDeclaration' || fn.id || parent?.type === 'MethodDefinition') return undefined
  if (parent?.type === 'VariableDeclarator' && parent.init === fn && parent.id.type === 'Identifier') return parent.id.name
  if (
    (parent?.type === 'AssignmentExpression' || parent?.type === 'AssignmentPattern') &&
    parent.right === fn &&
    parent.left.type === 'Identifier'
  )
    return parent.left.name
  if ((parent?.type === 'Property' || parent?.type === 'PropertyDefinition') && parent.value === fn) return keyText(parent)
  if (parent?.type === 'ExportDefaultDeclaration') return 'default'
  return undefined
}

function keyText(node: AstNode): string | undefined {
  if (node.computed) return undefined
  if (node.key.type === 'Identifier') return node.key.name
  if (node.key.type === 'PrivateIdentifier') return `#${node.key.name}`
  return typeof node.key.value === 'string' || typeof node.key.value === 'number' ? String(node.key.value) : undefined
}

/** A readable name for the message about a synchronous mark. */
function nameOfMarked(mark: Mark): string | undefined {
  if (mark.kind === 'decorator') return keyText(mark.method)
  const parent = mark.ancestors[mark.ancestors.length - 1]
  if (parent?.type === 'MethodDefinition' || parent?.type === 'Property') return keyText(parent)
  return parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier' ? parent.id.name : undefined
}

/** The build error for a synchronous function marked in a browser build. */
export function syncMessage(name: string): string {
  return (
    `${name} is a synchronous function, but in a browser build its cached results live in IndexedDB, which can only be read asynchronously, so caching it would make it return a Promise. ` +
    `Fix: make it async (\`async function ${name === 'this function' ? 'f' : name}(…)\`, or \`async (…) => …\`) and await its calls.`
  )
}
