/**
 * devalue's text format (sveltejs/devalue 6: `stringify` and `parse` without reducers or revivers),
 * in 60% of devalue's size: the codec of values JSON cannot hold in the browser build (Node
 * installs devalue itself, see `node-platform.ts`). Its output is devalue's, byte for byte, and
 * each parses what the other wrote (test/devalue-compact.test.ts checks both on generated values).
 * Like devalue it refuses functions, symbols, class instances, symbol keys and `__proto__` keys,
 * naming the path; parsing never evaluates code nor assigns a prototype, builds views only from a
 * fixed list of constructors, and never allocates for a sparse array's declared length.
 */

import { base64ToBytes, bytesToBase64 } from './base64.ts'

const UNDEFINED = -1
const HOLE = -2
const NAN = -3
const POSITIVE_INFINITY = -4
const NEGATIVE_INFINITY = -5
const NEGATIVE_ZERO = -6
const SPARSE = -7
const MAX_ARRAY_INDEX = 2 ** 32 - 2
/** The view constructors a payload may name (devalue's list). */
const VIEWS = /^(?:(?:Int8|Uint8|Uint8Clamped|Int16|Uint16|Float16|Int32|Uint32|Float32|Float64|BigInt64|BigUint64)Array|DataView)$/
const TEMPORAL = /^Temporal\.(?:Duration|Instant|PlainDate|PlainTime|PlainDateTime|PlainMonthDay|PlainYearMonth|ZonedDateTime)$/
/** Marks a Map key on the path (the key follows it). */
const MAP_KEY = Symbol()

/** What `stringify` cannot write, with the path to it (`.a[0]`), as devalue's `DevalueError` gives it. */
class StringifyError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message)
  }
}

/** devalue's `stringify(value)`. */
export function stringify(value: unknown): string {
  const out: string[] = []
  const indexes = new Map<unknown, number>()
  const keys: unknown[] = []
  const fail = (message: string): never => {
    let path = ''
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]
      if (k === MAP_KEY) {
        const key = keys[++i]
        path += `.get(${key === null || (typeof key !== 'object' && typeof key !== 'function') ? primitive(key) : '...'})`
      } else path += typeof k === 'number' ? `[${k}]` : /^[a-zA-Z_$][\w$]*$/.test(k as string) ? `.${k}` : `[${JSON.stringify(k)}]`
    }
    throw new StringifyError(message, path)
  }
  /** Each member under its path segment. */
  const member = (segment: unknown, v: unknown): number => {
    keys.push(segment)
    const index = flatten(v)
    keys.pop()
    return index
  }

  const flatten = (thing: any): number => {
    if (thing === undefined) return UNDEFINED
    if (typeof thing === 'number') {
      if (Number.isNaN(thing)) return NAN
      if (thing === Infinity) return POSITIVE_INFINITY
      if (thing === -Infinity) return NEGATIVE_INFINITY
      if (thing === 0 && 1 / thing < 0) return NEGATIVE_ZERO
    }
    const known = indexes.get(thing)
    if (known !== undefined) return known
    const index = indexes.size
    indexes.set(thing, index)
    const type = typeof thing
    if (type === 'function') fail('Cannot stringify a function')
    if (type === 'symbol') fail('Cannot stringify a Symbol primitive')
    let s: string
    if (type !== 'object' || thing === null) s = primitive(thing)
    else if (typeof thing.then === 'function') s = fail('Cannot stringify a Promise or thenable')
    else {
      const tag = Object.prototype.toString.call(thing).slice(8, -1)
      switch (tag) {
        case 'Number':
        case 'String':
        case 'Boolean':
        case 'BigInt':
          s = `["Object",${flatten(thing.valueOf())}]`
          break
        case 'Date':
          s = `["Date","${Number.isNaN(thing.getDate()) ? '' : thing.toISOString()}"]`
          break
        case 'RegExp':
          s = `["RegExp",${text(thing.source)}${thing.flags ? `,"${thing.flags}"` : ''}]`
          break
        case 'Array':
          s = array(thing)
          break
        case 'Set':
          s = '["Set"'
          for (const v of thing) s += `,${flatten(v)}`
          s += ']'
          break
        case 'Map':
          s = '["Map"'
          for (const [k, v] of thing) {
            keys.push(MAP_KEY, k)
            s += `,${flatten(k)},${flatten(v)}`
            keys.length -= 2
          }
          s += ']'
          break
        case 'ArrayBuffer':
          s = `["ArrayBuffer","${bytesToBase64(new Uint8Array(thing))}"]`
          break
        default:
          if (VIEWS.test(tag)) {
            // A Node Buffer may sit in a pool of unrelated bytes: only its own are written.
            const view = (globalThis as { Buffer?: { isBuffer(v: unknown): boolean } }).Buffer?.isBuffer(thing)
              ? new Uint8Array(thing)
              : thing
            s = `["${tag}",${flatten(view.buffer)}`
            if (view.byteLength !== view.buffer.byteLength) s += `,${view.byteOffset},${tag === 'DataView' ? view.byteLength : view.length}`
            s += ']'
          } else if (tag === 'URL' || tag === 'URLSearchParams' || TEMPORAL.test(tag)) s = `["${tag}",${text(String(thing))}]`
          else s = object(thing)
      }
    }
    out[index] = s
    return index
  }

  /** Dense, with holes (-2), or sparse (`[-7, length, index, value…]`) when that is shorter, as devalue decides. */
  const array = (a: unknown[]): string => {
    let s = '['
    let mostlyDense = false
    for (let i = 0; i < a.length; i++) {
      if (i > 0) s += ','
      if (Object.hasOwn(a, i)) s += member(i, a[i])
      else if (mostlyDense) s += HOLE
      else {
        const populated = Object.keys(a).filter(k => /^(?:0|[1-9]\d*)$/.test(k) && +k <= MAX_ARRAY_INDEX)
        const digits = String(a.length).length
        if ((a.length - populated.length) * 3 > 4 + digits + populated.length * (digits + 1)) {
          s = `[${SPARSE},${a.length}`
          for (const k of populated) s += `,${k},${member(+k, a[+k])}`
          break
        }
        mostlyDense = true
        s += HOLE
      }
    }
    return `${s}]`
  }

  const object = (o: Record<string, unknown>): string => {
    const proto = Object.getPrototypeOf(o)
    const plain =
      proto === Object.prototype ||
      proto === null ||
      Object.getPrototypeOf(proto) === null ||
      Object.getOwnPropertyNames(proto).sort().join('\0') === OBJECT_PROTO_NAMES
    if (!plain) fail('Cannot stringify arbitrary non-POJOs')
    if (Object.getOwnPropertySymbols(o).some(k => Object.getOwnPropertyDescriptor(o, k)!.enumerable))
      fail('Cannot stringify POJOs with symbolic keys')
    const nullProto = proto === null
    let s = nullProto ? '["null"' : '{'
    let first = true
    for (const k of Object.keys(o)) {
      if (k === '__proto__') fail('Cannot stringify objects with __proto__ keys')
      s += nullProto ? `,${text(k)},${member(k, o[k])}` : `${first ? '' : ','}${text(k)}:${member(k, o[k])}`
      first = false
    }
    return s + (nullProto ? ']' : '}')
  }

  const root = flatten(value)
  return root < 0 ? `${root}` : `[${out.join(',')}]`
}

const OBJECT_PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort().join('\0')

function primitive(thing: unknown): string {
  if (typeof thing === 'string') return text(thing)
  if (thing === undefined) return `${UNDEFINED}`
  if (thing === 0 && 1 / thing < 0) return `${NEGATIVE_ZERO}`
  if (typeof thing === 'bigint') return `["BigInt","${thing}"]`
  return String(thing)
}

/** devalue's string literal: JSON's, with `<`, U+2028 and U+2029 escaped too. */
function text(s: string): string {
  // oxlint-disable-next-line no-control-regex -- JSON escapes control characters: such a string takes the slow path
  if (!/["<\\\u0000-\u001f\u2028\u2029]/.test(s) && s.isWellFormed()) return `"${s}"`
  return JSON.stringify(s).replace(/[<\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)
}

function invalid(): never {
  throw new Error('Invalid input')
}

/** devalue's `parse(text)`: throws on anything `stringify` cannot have written. */
export function parse(serialized: string): unknown {
  const values: unknown = JSON.parse(serialized)
  const hydrated: unknown[] = []
  const slot = (index: unknown): unknown => {
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= (values as unknown[]).length) invalid()
    return (values as unknown[])[index as number]
  }

  const hydrate = (index: unknown, standalone = false): any => {
    if (index === UNDEFINED) return undefined
    if (index === NAN) return Number.NaN
    if (index === POSITIVE_INFINITY) return Infinity
    if (index === NEGATIVE_INFINITY) return -Infinity
    if (index === NEGATIVE_ZERO) return -0
    if (standalone) invalid()
    const value = slot(index) as any
    const i = index as number
    if (i in hydrated) return hydrated[i]
    if (!value || typeof value !== 'object') return (hydrated[i] = value)
    if (!Array.isArray(value)) {
      const o: Record<string, unknown> = (hydrated[i] = {})
      for (const k of Object.keys(value)) o[safeKey(k)] = hydrate(value[k])
      return o
    }
    const type = value[0]
    if (typeof type !== 'string') {
      if (type !== SPARSE) {
        const a: unknown[] = (hydrated[i] = [])
        a.length = value.length // holes where the payload says -2
        for (let j = 0; j < value.length; j++) if (value[j] !== HOLE) a[j] = hydrate(value[j])
        return a
      }
      const length = value[1]
      if (!Number.isInteger(length) || length < 0 || length > MAX_ARRAY_INDEX + 1) invalid()
      // Dictionary mode first: a declared length allocates nothing.
      const a: unknown[] = (hydrated[i] = [])
      a[MAX_ARRAY_INDEX] = 0
      delete a[MAX_ARRAY_INDEX]
      a.length = length
      for (let j = 2; j < value.length; j += 2) {
        const at = value[j]
        if (!Number.isInteger(at) || at < 0 || at >= length) invalid()
        a[at] = hydrate(value[j + 1])
      }
      return a
    }
    const arg = value[1]
    switch (type) {
      case 'Date':
        return (hydrated[i] = new Date(arg))
      case 'RegExp':
        return (hydrated[i] = new RegExp(arg, value[2]))
      case 'BigInt':
        return (hydrated[i] = BigInt(arg))
      case 'Set': {
        const set = (hydrated[i] = new Set())
        for (let j = 1; j < value.length; j++) set.add(hydrate(value[j]))
        return set
      }
      case 'Map': {
        const map = (hydrated[i] = new Map())
        for (let j = 1; j < value.length; j += 2) map.set(hydrate(value[j]), hydrate(value[j + 1]))
        return map
      }
      case 'null': {
        const o = (hydrated[i] = Object.create(null) as Record<string, unknown>)
        for (let j = 1; j < value.length; j += 2) {
          if (typeof value[j] !== 'string') invalid()
          o[safeKey(value[j])] = hydrate(value[j + 1])
        }
        return o
      }
      case 'Object': {
        // Only a primitive is boxed (a BigInt is one, written as ["BigInt", …]).
        if (arg > NAN || arg < NEGATIVE_ZERO) {
          const raw = slot(arg) as any
          if ((raw === undefined || typeof raw === 'object') && !(Array.isArray(raw) && raw[0] === 'BigInt')) invalid()
        }
        return (hydrated[i] = Object(hydrate(arg)))
      }
      case 'ArrayBuffer':
        if (typeof arg !== 'string') invalid()
        return (hydrated[i] = base64ToBytes(arg).buffer)
      case 'URL':
        return (hydrated[i] = new URL(arg))
      case 'URLSearchParams':
        return (hydrated[i] = new URLSearchParams(arg))
    }
    if (VIEWS.test(type)) {
      const raw = slot(arg) as any
      if (!Array.isArray(raw) || raw[0] !== 'ArrayBuffer') invalid()
      const View = (globalThis as any)[type]
      const buffer = hydrate(arg)
      return (hydrated[i] = value[2] === undefined ? new View(buffer) : new View(buffer, value[2], value[3]))
    }
    if (TEMPORAL.test(type)) return (hydrated[i] = (globalThis as any).Temporal[type.slice(9)].from(arg))
    throw new Error(`Unknown type ${type}`)
  }

  if (typeof values === 'number') return hydrate(values, true)
  if (!Array.isArray(values) || values.length === 0) invalid()
  return hydrate(0)
}

function safeKey(key: string): string {
  if (key === '__proto__') throw new Error('Cannot parse an object with a `__proto__` property')
  return key
}
