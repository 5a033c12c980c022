import type { Mark } from './marks.js'
import type { AstNode } from './walk.js'
import { isFunction } from './walk.js'

/** What to call a marked function: its id's binding part and the name the engine fingerprints. */
export interface MarkName {
  /** `fib`, `Class.method`, `obj.key`, `outer.inner` (nested), `default` */
  binding: string
  /** Name passed to `engine.fingerprint`: the binding, or its enclosing module-level binding when nested in a function. */
  engineName: string
}

function keyName(node: AstNode): string | undefined {
  if (node.computed) return undefined
  const key = node.key
  if (key.type === 'Identifier') return key.name
  if (key.type === 'PrivateIdentifier') return `#${key.name}`
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value)
  return undefined
}

/** `exports.x` / `module.exports.x` (the export `x`), `module.exports` (its object's keys are the exports), else undefined. */
function commonJsTarget(left: AstNode): { name?: string } | undefined {
  const isModuleExports = (n: AstNode) =>
    n.type === 'MemberExpression' &&
    !n.computed &&
    n.object.type === 'Identifier' &&
    n.object.name === 'module' &&
    n.property.name === 'exports'
  if (isModuleExports(left)) return {}
  if (left.type !== 'MemberExpression' || left.computed) return undefined
  if ((left.object.type === 'Identifier' && left.object.name === 'exports') || isModuleExports(left.object))
    return { name: left.property.name }
  return undefined
}

/** The node a mark's name is read up to (the chain of ancestors ends with it). */
function markTarget(mark: Mark): AstNode {
  if (mark.kind === 'call') return mark.node
  if (mark.kind === 'decorator') return mark.method.value
  return mark.fn
}

/**
 * Names a mark after the module-level binding that holds it, plus members on the way
 * (object keys, class members) and nested local names. `undefined` when nothing names it
 * (e.g. a cached callback passed inline as an argument at module level).
 */
export function nameMark(mark: Mark): MarkName | undefined {
  const chain = [...mark.ancestors.slice(1), markTarget(mark)]
  let top: string | undefined
  const segments: string[] = []
  let engineSegments = 0
  let nested = false
  let commonJs = false
  const push = (name: string | undefined): boolean => {
    if (name === undefined) return false
    if (top === undefined) {
      top = name
      return true
    }
    segments.push(name)
    if (!nested) engineSegments = segments.length
    return true
  }
  for (let i = 0; i < chain.length; i++) {
    const node = chain[i]!
    const parent = chain[i - 1]
    const last = i === chain.length - 1
    switch (node.type) {
      case 'ExportDefaultDeclaration':
        top = 'default'
        break
      case 'ExpressionStatement': {
        // CommonJS: `exports.f = smartCache(…)`, `module.exports = { f: smartCache(…) }`.
        const target = i === 0 && node.expression.type === 'AssignmentExpression' ? commonJsTarget(node.expression.left) : undefined
        if (!target) return undefined
        if (target.name !== undefined) push(target.name)
        commonJs = true
        break
      }
      case 'VariableDeclarator':
        if (node.id.type !== 'Identifier') return undefined
        push(node.id.name)
        break
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        if (parent?.type !== 'ExportDefaultDeclaration' && !push(node.id?.name)) return undefined
        break
      case 'Property':
      case 'MethodDefinition':
      case 'PropertyDefinition':
        if (!push(keyName(node))) return undefined
        break
      default:
        break
    }
    if (i === 0 && top === undefined && !commonJs && node.type !== 'ExportNamedDeclaration' && node.type !== 'VariableDeclaration')
      return undefined
    if (isFunction(node) && !last) nested = true
  }
  if (top === undefined) return undefined
  return {
    binding: [top, ...segments].join('.'),
    engineName: [top, ...segments.slice(0, engineSegments)].join('.'),
  }
}
