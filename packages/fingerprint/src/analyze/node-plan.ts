// The generic visit of a node type no rule of the walk covers: which of its keys are hashed as
// scalars and which are visited as children (oxc's visitor keys, less positions, raw text and
// TypeScript-only information). Planned once per node type.

import { visitorKeys } from './oxc-adapter.ts'

type Node = any

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

export interface Plan {
  scalars: string[]
  children: string[]
}
const plans = new Map<string, Plan>()

export function planFor(node: Node): Plan {
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
