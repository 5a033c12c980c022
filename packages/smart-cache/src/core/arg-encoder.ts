import { acquireHasher, releaseHasher } from './blake3.ts'
import type { Blake3Hasher } from './blake3-js.ts'
import { describeError, formatPath, KeyError, PathError } from './key-error.ts'
import { sortedKeys } from './sorted-keys.ts'

/**
 * Canonical argument encoding, streamed into BLAKE3.
 *
 * Every value is written as a one-byte type tag followed by a fixed-size or length-prefixed body,
 * so equal values give equal bytes and different values different bytes:
 * - numbers as IEEE-754 float64 (all NaNs as one NaN, `-0` distinct from `0`);
 * - strings as UTF-8 (UTF-16 code units when not well-formed, under another tag);
 * - plain objects by own enumerable string keys **sorted by UTF-16 code unit order**
 *   (`{a,b}` and `{b,a}` hash the same); a missing key differs from a key holding `undefined`;
 *   null-prototype objects get their own tag;
 * - arrays by index, holes tagged apart from `undefined`;
 * - Map and Set in insertion order (a function can observe it, so it is part of the value);
 * - typed arrays, ArrayBuffer and DataView as their raw bytes with the view kind (a Node `Buffer`
 *   is its own kind: it behaves unlike a Uint8Array, e.g. `String(buf)`);
 * - an array's own enumerable named properties (a RegExp match's `index`, `Object.assign([], …)`)
 *   after its elements, sorted like an object's, under another tag (a plain array keys as before);
 * - a second visit of the same object (shared reference or cycle) as a back-reference to the
 *   index of its first visit, so structure and identity are both captured.
 * Class instances are keyed through their `[cacheKey]()` method; otherwise, like functions and
 * symbols, they are an error naming the argument path. So are subclasses of Array, Map, Set, Date,
 * RegExp and the binary types: a subclass adds behaviour the base's data cannot stand for.
 * Nesting deeper than {@link MAX_ARG_DEPTH} is an error naming the path (never a stack overflow).
 * Re-entrant: a `[cacheKey]()` may itself hash (its own hasher when the shared one is in use).
 */
export const cacheKey: unique symbol = Symbol.for('smart-cache.key') as never

const enum Tag {
  Undefined = 1,
  Null,
  False,
  True,
  Number,
  BigInt,
  String,
  StringUtf16,
  Array,
  Hole,
  Object,
  NullProtoObject,
  Date,
  RegExp,
  Map,
  Set,
  ArrayBuffer,
  TypedArray,
  DataView,
  Ref,
  Custom,
  Args,
  This,
  Captures,
  ArrayWithProps,
}

const VIEW_KINDS = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'Float16Array',
  'Buffer',
]
const BUFFER_PROTO: object | undefined = (globalThis as { Buffer?: { prototype: object } }).Buffer?.prototype
/**
 * Deepest nesting of an argument that is hashed (an array in an array… counts one level each);
 * deeper is a {@link KeyError} naming the path. Hashing recurses: this keeps it far from the
 * engine's stack limit (about 2,000 levels in Node) wherever it is called from.
 */
export const MAX_ARG_DEPTH = 1000
/** Binary bodies larger than this go straight to the hasher instead of the buffer. */
const STREAM_THRESHOLD = 64 * 1024
/** The shared encoder's buffer is replaced by a small one after an argument made it larger than this. */
const KEEP_BUFFER_MAX = STREAM_THRESHOLD
const INITIAL_BUFFER = 4096

/** Values of the variables a cached function reads from enclosing functions, with their names and places. */
export interface CapturedValues {
  names: readonly string[]
  at: readonly string[]
  values: readonly unknown[]
}

/** The canonical encoder: bytes in a growing buffer, streamed into a BLAKE3 hasher past {@link STREAM_THRESHOLD}. */
export class Encoder {
  buf = new Uint8Array(INITIAL_BUFFER)
  view = new DataView(this.buf.buffer)
  pos = 0
  /** The hasher bytes are streamed to once the encoding outgrows the buffer. */
  hasher: Blake3Hasher | undefined
  seen = new Map<object, number>()
  busy = false
  depth = 0
  /**
   * Track the path of each value (a try/catch per value), to name a failure. The first pass does
   * not (it is the hot loop); when it throws, the arguments are encoded again with it.
   */
  paths = false

  get streamed(): boolean {
    return this.hasher !== undefined
  }

  reset(): void {
    this.pos = 0
    this.depth = 0
    // A new Map: clear() keeps a large table that later inserts rehash (measured 3x slower for 1,000 objects).
    if (this.seen.size > 0) this.seen = new Map()
  }

  /** After an encoding: drops state, a streaming hasher, and a buffer a huge argument grew. */
  done(): void {
    this.busy = false
    if (this.seen.size > 0) this.seen = new Map()
    releaseHasher(this.hasher)
    this.hasher = undefined
    if (this.buf.length > KEEP_BUFFER_MAX) {
      this.buf = new Uint8Array(INITIAL_BUFFER)
      this.view = new DataView(this.buf.buffer)
    }
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return
    if (this.pos + n > STREAM_THRESHOLD && this.buf.length >= STREAM_THRESHOLD) this.flush()
    if (this.pos + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.pos + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.pos))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  flush(): Blake3Hasher {
    this.hasher ??= acquireHasher()
    this.hasher.update(this.buf.subarray(0, this.pos))
    this.pos = 0
    return this.hasher
  }

  tag(t: Tag): void {
    this.ensure(1)
    this.buf[this.pos++] = t
  }

  u32(n: number): void {
    this.ensure(4)
    this.view.setUint32(this.pos, n, true)
    this.pos += 4
  }

  f64(n: number): void {
    this.ensure(8)
    this.view.setFloat64(this.pos, Number.isNaN(n) ? Number.NaN : n, true)
    this.pos += 8
  }

  bytes(data: Uint8Array): void {
    this.f64(data.byteLength)
    if (data.byteLength >= STREAM_THRESHOLD) {
      this.flush().update(data)
      return
    }
    this.ensure(data.byteLength)
    this.buf.set(data, this.pos)
    this.pos += data.byteLength
  }

  string(s: string): void {
    const len = s.length
    this.ensure(5 + len)
    const start = this.pos
    this.buf[this.pos] = Tag.String
    this.pos += 5
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i)
      if (c > 127) {
        this.pos = start
        return this.wideString(s)
      }
      this.buf[this.pos++] = c
    }
    this.view.setUint32(start + 1, len, true)
  }

  wideString(s: string): void {
    if (!s.isWellFormed()) {
      this.tag(Tag.StringUtf16)
      const units = new Uint16Array(s.length)
      for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i)
      return this.bytes(new Uint8Array(units.buffer))
    }
    this.tag(Tag.String)
    this.ensure(4 + s.length * 3)
    const lenAt = this.pos
    this.pos += 4
    const { written } = textEncoder.encodeInto(s, this.buf.subarray(this.pos))
    this.view.setUint32(lenAt, written, true)
    this.pos += written
  }

  value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        this.tag(Tag.Number)
        this.f64(v)
        return
      case 'string':
        return this.string(v)
      case 'boolean':
        return this.tag(v ? Tag.True : Tag.False)
      case 'undefined':
        return this.tag(Tag.Undefined)
      case 'bigint':
        this.tag(Tag.BigInt)
        this.string(v.toString(16))
        return
      case 'object':
        return v === null ? this.tag(Tag.Null) : this.object(v)
      case 'function':
        throw new PathError([], `a function (${v.name || 'anonymous'}) is not data`)
      default:
        throw new PathError([], `a ${typeof v} cannot be keyed`)
    }
  }

  object(o: object): void {
    const ref = this.seen.get(o)
    if (ref !== undefined) {
      this.tag(Tag.Ref)
      this.u32(ref)
      return
    }
    this.seen.set(o, this.seen.size)
    const proto = Object.getPrototypeOf(o)
    if (proto === Object.prototype || proto === null) return this.plain(o as Record<string, unknown>, proto === null)
    // Base classes sit two steps above null (typed arrays three); another realm's count as theirs.
    if (Array.isArray(o)) return isBase(proto, Array.prototype, 2) ? this.array(o, true) : this.custom(o, 'Array')
    if (ArrayBuffer.isView(o)) return this.view_(o, proto)
    if (o instanceof Date) return proto === Date.prototype ? this.date(o) : this.custom(o, 'Date')
    if (o instanceof RegExp)
      return proto === RegExp.prototype ? (this.tag(Tag.RegExp), this.string(o.source), this.string(o.flags)) : this.custom(o, 'RegExp')
    if (o instanceof Map) return proto === Map.prototype ? this.map(o) : this.custom(o, 'Map')
    if (o instanceof Set) return proto === Set.prototype ? this.set(o) : this.custom(o, 'Set')
    if (o instanceof ArrayBuffer)
      return proto === ArrayBuffer.prototype ? (this.tag(Tag.ArrayBuffer), this.bytes(new Uint8Array(o))) : this.custom(o, 'ArrayBuffer')
    return this.custom(o)
  }

  date(d: Date): void {
    let time: number
    try {
      time = d.getTime()
    } catch {
      throw new PathError([], 'an object inheriting from Date.prototype is not a Date (made with Object.create(Date.prototype)?)')
    }
    this.tag(Tag.Date)
    this.f64(time)
  }

  /** Elements, then own enumerable named properties (`checkProps`: not for the argument list itself). */
  array(a: readonly unknown[], checkProps = false): void {
    const props = checkProps ? namedProps(a) : undefined
    this.tag(props ? Tag.ArrayWithProps : Tag.Array)
    this.u32(a.length)
    for (let i = 0; i < a.length; i++) {
      if (!(i in a)) this.tag(Tag.Hole)
      else this.child(i, a[i], true)
    }
    if (props) this.entries(a as unknown as Record<string, unknown>, props)
  }

  plain(o: Record<string, unknown>, nullProto: boolean): void {
    if (Object.getOwnPropertySymbols(o).length > 0) throw new PathError([], 'an object with symbol keys cannot be keyed')
    this.tag(nullProto ? Tag.NullProtoObject : Tag.Object)
    this.entries(o, Object.keys(o))
  }

  entries(o: Record<string, unknown>, unsorted: string[]): void {
    const keys = sortedKeys(unsorted)
    this.u32(keys.length)
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!
      this.string(k)
      if (!this.paths) {
        this.child(k, o[k], false)
        continue
      }
      let v: unknown
      try {
        v = o[k]
      } catch (error) {
        throw new PathError([`.${k}`], `reading it threw ${describeError(error)}`)
      }
      this.child(k, v, false)
    }
  }

  map(m: Map<unknown, unknown>): void {
    this.tag(Tag.Map)
    this.u32(m.size)
    let i = 0
    for (const [k, v] of m) {
      this.child(`<Map key ${i}>`, k, true)
      this.child(`<Map value ${i++}>`, v, true)
    }
  }

  set(s: Set<unknown>): void {
    this.tag(Tag.Set)
    this.u32(s.size)
    let i = 0
    for (const v of s) this.child(`<Set item ${i++}>`, v, true)
  }

  view_(v: ArrayBufferView, proto: object): void {
    const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
    // The engine's own name for the view (a subclass keeps its base's): never the constructor's.
    const base = Object.prototype.toString.call(v).slice(8, -1)
    if (base === 'DataView')
      return isBase(proto, DataView.prototype, 2) ? (this.tag(Tag.DataView), this.bytes(bytes)) : this.custom(v, base)
    const kind = proto === BUFFER_PROTO ? VIEW_KINDS.length - 1 : VIEW_KINDS.indexOf(base)
    if (kind < 0) throw new PathError([], `unsupported view ${base}`)
    if (proto !== BUFFER_PROTO && !isBase(proto, undefined, 3)) return this.custom(v, base)
    this.tag(Tag.TypedArray)
    this.tag(kind as Tag)
    this.bytes(bytes)
  }

  /** A class instance, keyed by its `[cacheKey]()`; `base` when it is a subclass of a keyable built-in. */
  custom(o: object, base?: string): void {
    const name = (o.constructor as { name?: string } | undefined)?.name || 'anonymous class'
    const method = (o as { [cacheKey]?: unknown })[cacheKey]
    if (typeof method !== 'function') {
      throw new PathError(
        [],
        base
          ? `a subclass of ${base} (${name}) is keyed only through a [Symbol.for("smart-cache.key")]() method, which it lacks (a subclass adds behaviour its ${base} data cannot stand for)`
          : `a class instance (${name}) has no [Symbol.for("smart-cache.key")]() method`,
      )
    }
    let data: unknown
    try {
      data = method.call(o)
    } catch (error) {
      throw new PathError(['.[cacheKey]()'], `it threw ${describeError(error)}`)
    }
    this.tag(Tag.Custom)
    this.string(name)
    this.child(`[cacheKey]()`, data, false)
  }

  /** Encodes a nested value; any failure becomes a PathError that gains this segment. */
  child(segment: string | number, v: unknown, bracket: boolean): void {
    if (!this.paths && this.depth < MAX_ARG_DEPTH) {
      this.depth++
      this.value(v) // a throw leaves depth as it is: the encoding is abandoned and run again with paths
      this.depth--
      return
    }
    if (this.depth >= MAX_ARG_DEPTH) {
      throw new PathError(
        [bracket ? `[${segment}]` : `.${segment}`],
        `it is nested more than ${MAX_ARG_DEPTH} levels deep, too deep to hash`,
      )
    }
    this.depth++
    try {
      this.value(v)
    } catch (error) {
      const failure = error instanceof PathError ? error : new PathError([], `reading it threw ${describeError(error)}`, error)
      failure.segments.unshift(bracket ? `[${segment}]` : `.${segment}`)
      throw failure
    } finally {
      this.depth--
    }
  }
}

/**
 * Whether `proto` is a built-in base prototype (`exact`, or one from another realm: `steps` links
 * from `proto` to null) rather than a subclass's.
 */
function isBase(proto: object | null, exact: object | undefined, steps: number): boolean {
  if (proto === exact) return true
  let n = 0
  for (let p = proto; p !== null; p = Object.getPrototypeOf(p)) n++
  return n === steps
}

/** An array's own enumerable non-index keys, or undefined; refuses symbol keys like objects do. */
function namedProps(a: readonly unknown[]): string[] | undefined {
  if (Object.getOwnPropertySymbols(a).length > 0) throw new PathError([], 'an array with symbol-keyed properties cannot be keyed')
  const keys = Object.keys(a)
  // Index keys come first, in order; named ones after them.
  let first = keys.length
  while (first > 0 && !isIndexKey(keys[first - 1]!)) first--
  return first === keys.length ? undefined : keys.slice(first)
}

function isIndexKey(k: string): boolean {
  const n = Number(k)
  return Number.isInteger(n) && n >= 0 && n < 4294967295 && String(n) === k
}

const textEncoder = new TextEncoder()
const encoder = new Encoder()

/**
 * Encodes a call `(namespace, this?, captured values?, args)` canonically and returns
 * `done(encoder)`, called before the encoder is reused. Uses the shared encoder, or a new one when
 * it is in use (a `[cacheKey]()` that hashes). A value that cannot be keyed is a {@link KeyError}.
 */
export function encodeCall<T>(
  namespace: string,
  args: readonly unknown[],
  where: string,
  self: unknown,
  done: (enc: Encoder) => T,
  captured?: CapturedValues,
): T {
  return encodeWith(encoder.busy ? new Encoder() : encoder, namespace, args, where, self, done, captured)
}

function encodeWith<T>(
  enc: Encoder,
  namespace: string,
  args: readonly unknown[],
  where: string,
  self: unknown,
  done: (enc: Encoder) => T,
  captured?: CapturedValues,
): T {
  enc.busy = true
  try {
    return encodeOnce(enc, namespace, args, where, self, done, captured)
  } catch {
    // The fast pass failed: encode again, tracking paths, so that the error names the argument.
    enc.done()
    enc.busy = true
    enc.paths = true
    return encodeOnce(enc, namespace, args, where, self, done, captured)
  } finally {
    enc.paths = false
    enc.done()
  }
}

function encodeOnce<T>(
  enc: Encoder,
  namespace: string,
  args: readonly unknown[],
  where: string,
  self: unknown,
  done: (enc: Encoder) => T,
  captured?: CapturedValues,
): T {
  {
    enc.reset()
    enc.string(namespace)
    if (self !== undefined) {
      enc.tag(Tag.This)
      encodeRoot(enc, 'this', self, where)
    }
    if (captured) {
      enc.tag(Tag.Captures)
      enc.u32(captured.values.length)
      for (let i = 0; i < captured.values.length; i++) encodeRoot(enc, captured.names[i]!, captured.values[i], where, false, captured.at[i])
    }
    enc.tag(Tag.Args)
    encodeRoot(enc, 'args', args, where, true)
    return done(enc)
  }
}

function encodeRoot(enc: Encoder, root: string, value: unknown, where: string, list = false, at?: string): void {
  if (!enc.paths) {
    if (list) enc.array(value as unknown[])
    else enc.value(value)
    return
  }
  try {
    // The argument list is a fresh array nothing else can reference: no back-reference bookkeeping.
    if (list) enc.array(value as unknown[])
    else enc.value(value)
  } catch (error) {
    const failure = error instanceof PathError ? error : new PathError([], `reading it threw ${describeError(error)}`, error)
    throw Object.assign(
      new KeyError(formatPath(root, failure.segments), failure.reason, where, at),
      failure.cause === undefined ? {} : { cause: failure.cause },
    )
  }
}

/** Bytes held by the shared encoder's buffer (tests: it shrinks back after a huge argument). */
export function encoderBufferBytes(): number {
  return encoder.buf.length
}
