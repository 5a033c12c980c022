import { getHashers } from './blake3.ts'
import { blake3Small } from './blake3-small.ts'

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
 * - typed arrays, ArrayBuffer and DataView as their raw bytes with the view kind;
 * - a second visit of the same object (shared reference or cycle) as a back-reference to the
 *   index of its first visit, so structure and identity are both captured.
 * Class instances are keyed through their `[cacheKey]()` method; otherwise, like functions and
 * symbols, they are an error naming the argument path.
 */
export const cacheKey: unique symbol = Symbol.for('smart-cache.key') as never

const enum Tag {
  Undefined = 1, Null, False, True, Number, BigInt, String, StringUtf16, Array, Hole, Object, NullProtoObject,
  Date, RegExp, Map, Set, ArrayBuffer, TypedArray, DataView, Ref, Custom, Args, This, Captures,
}

const VIEW_KINDS = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Float16Array',
]
/** Binary bodies larger than this go straight to the hasher instead of the buffer. */
const STREAM_THRESHOLD = 64 * 1024
/** Encodings up to this size are kept as bytes and double as the in-memory tier key. */
const SMALL_KEY_MAX = 1024

/**
 * An argument, or a captured variable, that cannot be keyed; `path` names it (`args[0].user`,
 * `session.user`), `at` is where a captured variable is read (`src/a.ts:3:12`).
 */
export class KeyError extends TypeError {
  constructor(public readonly path: string, public readonly reason: string, where: string, public readonly at?: string) {
    super(
      at === undefined
        ? `[smart-cache] cannot key argument ${path} of ${where}: ${reason}. ` +
            'Fix: pass plain data, give the class a [Symbol.for("smart-cache.key")]() method returning plain data, ' +
            'or set options.key.'
        : `[smart-cache] cannot key captured variable ${path} (read at ${at}) of ${where}: ${reason}. ` +
            'The values of the variables a cached function reads from enclosing functions are part of its key, like arguments. ' +
            'Fix: capture plain data, give the class a [Symbol.for("smart-cache.key")]() method returning plain data, ' +
            'or pass the value as an argument (with options.key to choose what is hashed).',
    )
    this.name = 'KeyError'
  }
}

/** Values of the variables a cached function reads from enclosing functions, with their names and places. */
export interface CapturedValues {
  names: readonly string[]
  at: readonly string[]
  values: readonly unknown[]
}

class PathError extends Error {
  constructor(public segments: string[], public reason: string) {
    super(reason)
  }
}

/** The encoded arguments: a short in-memory key and the BLAKE3-256 hex digest (lazily). */
export interface ArgsKey {
  /** Key for in-process maps: the raw small encoding, or `#<hash>` for large ones. */
  readonly memory: string
  /** BLAKE3-256 hex of (namespace, encoding). */
  hash(): string
}

class Encoder {
  buf = new Uint8Array(4096)
  view = new DataView(this.buf.buffer)
  pos = 0
  streamed = false
  seen = new Map<object, number>()
  busy = false

  reset(): void {
    this.pos = 0
    this.streamed = false
    if (this.seen.size > 0) this.seen.clear()
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

  flush(): void {
    const hasher = getHashers().args
    if (!this.streamed) {
      hasher.init()
      this.streamed = true
    }
    hasher.update(this.buf.subarray(0, this.pos))
    this.pos = 0
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
      this.flush()
      getHashers().args.update(data)
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
      case 'number': return this.tag(Tag.Number), this.f64(v)
      case 'string': return this.string(v)
      case 'boolean': return this.tag(v ? Tag.True : Tag.False)
      case 'undefined': return this.tag(Tag.Undefined)
      case 'bigint': return this.tag(Tag.BigInt), this.string(v.toString(16))
      case 'object': return v === null ? this.tag(Tag.Null) : this.object(v)
      case 'function': throw new PathError([], `a function (${v.name || 'anonymous'}) is not data`)
      default: throw new PathError([], `a ${typeof v} cannot be keyed`)
    }
  }

  object(o: object): void {
    const ref = this.seen.get(o)
    if (ref !== undefined) return this.tag(Tag.Ref), this.u32(ref)
    this.seen.set(o, this.seen.size)
    if (Array.isArray(o)) return this.array(o)
    const proto = Object.getPrototypeOf(o)
    if (proto === Object.prototype || proto === null) return this.plain(o as Record<string, unknown>, proto === null)
    if (ArrayBuffer.isView(o)) return this.view_(o)
    if (o instanceof Date) return this.tag(Tag.Date), this.f64(o.getTime())
    if (o instanceof RegExp) return this.tag(Tag.RegExp), this.string(o.source), this.string(o.flags)
    if (o instanceof Map) return this.map(o)
    if (o instanceof Set) return this.set(o)
    if (o instanceof ArrayBuffer) return this.tag(Tag.ArrayBuffer), this.bytes(new Uint8Array(o))
    return this.custom(o)
  }

  array(a: readonly unknown[]): void {
    this.tag(Tag.Array)
    this.u32(a.length)
    for (let i = 0; i < a.length; i++) {
      if (!(i in a)) this.tag(Tag.Hole)
      else this.child(i, a[i], true)
    }
  }

  plain(o: Record<string, unknown>, nullProto: boolean): void {
    if (Object.getOwnPropertySymbols(o).length > 0) throw new PathError([], 'an object with symbol keys cannot be keyed')
    const keys = sortKeys(Object.keys(o))
    this.tag(nullProto ? Tag.NullProtoObject : Tag.Object)
    this.u32(keys.length)
    for (const k of keys) {
      this.string(k)
      this.child(k, o[k], false)
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

  view_(v: ArrayBufferView): void {
    const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
    if (v instanceof DataView) return this.tag(Tag.DataView), this.bytes(bytes)
    const kind = VIEW_KINDS.indexOf(v.constructor.name)
    if (kind < 0) throw new PathError([], `unsupported view ${v.constructor.name}`)
    this.tag(Tag.TypedArray)
    this.tag(kind as Tag)
    this.bytes(bytes)
  }

  custom(o: object): void {
    const name = (o.constructor as { name?: string } | undefined)?.name || 'anonymous class'
    const method = (o as { [cacheKey]?: unknown })[cacheKey]
    if (typeof method !== 'function') {
      throw new PathError([], `a class instance (${name}) has no [Symbol.for("smart-cache.key")]() method`)
    }
    this.tag(Tag.Custom)
    this.string(name)
    this.child(`[cacheKey]()`, method.call(o), false)
  }

  child(segment: string | number, v: unknown, bracket: boolean): void {
    try {
      this.value(v)
    } catch (error) {
      if (error instanceof PathError) error.segments.unshift(bracket ? `[${segment}]` : `.${segment}`)
      throw error
    }
  }
}

const textEncoder = new TextEncoder()
const encoder = new Encoder()
const HEX_CODES = new Uint16Array(256)
for (let i = 0; i < 256; i++) {
  const pair = i.toString(16).padStart(2, '0')
  HEX_CODES[i] = pair.charCodeAt(0) | (pair.charCodeAt(1) << 8)
}
const hexOut = new Uint8Array(64)
const asciiDecoder = new TextDecoder()

/** Lowercase hex of a 32-byte digest (ASCII bytes decoded at once: faster than joining strings). */
export function toHex(bytes: Uint8Array): string {
  for (let i = 0; i < 32; i++) {
    const pair = HEX_CODES[bytes[i]!]!
    hexOut[2 * i] = pair & 0xff
    hexOut[2 * i + 1] = pair >> 8
  }
  return asciiDecoder.decode(hexOut)
}

function digestHex(): string {
  return toHex(getHashers().args.digest('binary'))
}

/** Longest primitive-only memory key before falling back to the byte encoding. */
const PRIMITIVE_KEY_MAX = 512

/**
 * In-memory key for argument lists made only of primitives, built without byte encoding:
 * each value is type-prefixed and terminated or length-prefixed, so the mapping is injective.
 * Undefined when an argument is an object, a function or a symbol, or the key would be long.
 */
export function primitiveKey(args: readonly unknown[]): string | undefined {
  let key = ''
  for (let i = 0; i < args.length; i++) {
    const v = args[i]
    switch (typeof v) {
      case 'number':
        key += v === 0 && 1 / v < 0 ? 'n-0;' : `n${v};`
        break
      case 'string':
        if (v.length > PRIMITIVE_KEY_MAX) return undefined
        key += `s${v.length}:${v}`
        break
      case 'boolean':
        key += v ? 't' : 'f'
        break
      case 'undefined':
        key += 'u'
        break
      case 'bigint':
        key += `b${v};`
        break
      case 'object':
        if (v !== null) return undefined
        key += 'z'
        break
      default:
        return undefined
    }
  }
  return key.length > PRIMITIVE_KEY_MAX ? undefined : key
}

/** Sorts by UTF-16 code units (same order as `Array.prototype.sort()`); insertion sort for the usual few keys. */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort()
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!
    let j = i - 1
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!
      j--
    }
    keys[j + 1] = k
  }
  return keys
}

function formatPath(root: string, segments: string[]): string {
  return root + segments.map((s) => (/^\.[A-Za-z_$][\w$]*$/.test(s) || s.startsWith('[') ? s : `[${JSON.stringify(s.slice(1))}]`)).join('')
}

/**
 * Encodes `(namespace, thisValue?, args)` canonically. `where` names the function in errors.
 * The result's `hash()` may be called at any time later.
 */
export function keyArgs(namespace: string, args: readonly unknown[], where: string, self?: unknown, captured?: CapturedValues): ArgsKey {
  return encodeWith(encoder.busy ? new Encoder() : encoder, namespace, args, where, self, finish, captured)
}

/**
 * Canonical BLAKE3-256 hex of an argument list, the way cache keys are made (`namespace` is
 * the function id). Synchronous: `await ready()` once before the first call.
 */
export function hashArgs(args: readonly unknown[], namespace = ''): string {
  return encodeWith(encoder.busy ? new Encoder() : encoder, namespace, args, 'hashArgs()', undefined, digestNow)
}

function encodeWith<T>(enc: Encoder, namespace: string, args: readonly unknown[], where: string, self: unknown, done: (enc: Encoder) => T, captured?: CapturedValues): T {
  enc.busy = true
  try {
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
  } finally {
    enc.busy = false
    if (enc.seen.size > 0) enc.seen.clear()
  }
}

function encodeRoot(enc: Encoder, root: string, value: unknown, where: string, list = false, at?: string): void {
  try {
    // The argument list is a fresh array nothing else can reference: no back-reference bookkeeping.
    if (list) enc.array(value as unknown[])
    else enc.value(value)
  } catch (error) {
    if (error instanceof PathError) throw new KeyError(formatPath(root, error.segments), error.reason, where, at)
    throw error
  }
}

/** Encodings up to this size are hashed in JS (no WebAssembly round trip); larger ones by hash-wasm. */
const JS_HASH_MAX = 128

function digestNow(enc: Encoder): string {
  if (!enc.streamed && enc.pos <= JS_HASH_MAX) return toHex(blake3Small(enc.buf.subarray(0, enc.pos)))
  enc.flush()
  return digestHex()
}

function finish(enc: Encoder): ArgsKey {
  if (enc.streamed) {
    enc.flush()
    return new HashedKey(digestHex())
  }
  if (enc.pos > SMALL_KEY_MAX) return new HashedKey(hashBytes(enc.buf.subarray(0, enc.pos)))
  return new EncodedKey(bytesToKey(enc.buf, enc.pos))
}

function hashBytes(bytes: Uint8Array): string {
  if (bytes.length <= JS_HASH_MAX) return toHex(blake3Small(bytes))
  const h = getHashers().args
  h.init()
  h.update(bytes)
  return digestHex()
}

/** A large encoding: hashed at once, the hash doubles as the memory key. */
class HashedKey implements ArgsKey {
  readonly memory: string
  constructor(private readonly hex: string) {
    this.memory = `#${hex}`
  }

  hash(): string {
    return this.hex
  }
}

/** A small encoding kept as a string (one char per byte); hashed only on a memory miss. */
class EncodedKey implements ArgsKey {
  private hex: string | undefined
  constructor(readonly memory: string) {}

  hash(): string {
    this.hex ??= hashBytes(keyToBytes(this.memory))
    return this.hex
  }
}

const units = new Uint16Array(SMALL_KEY_MAX)
const utf16 = new TextDecoder('utf-16le')

/**
 * Bytes → string with one UTF-16 unit per byte, `0x100 | byte` (U+0100…U+01FF: never a surrogate
 * or a BOM, so decoding is exact and the mapping injective). Faster than String.fromCharCode.apply.
 */
function portableBytesToKey(bytes: Uint8Array, length: number): string {
  for (let i = 0; i < length; i++) units[i] = bytes[i]! | 0x100
  return utf16.decode(units.subarray(0, length))
}

/** One char per byte; any injective mapping whose char codes keep the byte in their low 8 bits. */
export type BytesToKey = (bytes: Uint8Array, length: number) => string

let bytesToKey: BytesToKey = portableBytesToKey

/** The Node entry installs a faster converter (Buffer latin1); the browser keeps the portable one. */
export function setBytesToKey(convert: BytesToKey): void {
  bytesToKey = convert
}

function keyToBytes(key: string): Uint8Array {
  const bytes = new Uint8Array(key.length)
  for (let i = 0; i < key.length; i++) bytes[i] = key.charCodeAt(i) & 0xff
  return bytes
}
