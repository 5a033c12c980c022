// TypeScript's `emitDecoratorMetadata`: the types it turns into run-time values for decorated
// classes and members (`design:paramtypes`, `design:type`, `design:returntype`).

import type { MetaType, Sink } from './sink.ts'

type Node = any

/** The static name of a class member's key, as the walk names it. */
export type KeyName = (key: Node, computed: boolean) => string | undefined

/**
 * The types `emitDecoratorMetadata` turns into values for a class's decorated parts, told to the
 * sink; `keyName` is the walk's (private names numbered by declaration).
 */
export function classMetadata(node: Node, keyName: KeyName, sink: Pick<Sink, 'metadata'>): void {
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
