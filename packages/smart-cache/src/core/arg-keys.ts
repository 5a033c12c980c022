import { encodeCall, type CapturedValues, type Encoder } from './arg-encoder.ts'
import { acquireHasher, hashersSettled, releaseHasher } from './blake3.ts'
import type { Blake3Hasher } from './blake3-js.ts'
import { blake3Small, SMALL_MAX } from './blake3-small.ts'
import { toHex } from './hex.ts'

/**
 * The keys of a call's arguments: a short in-memory key for the memory tier and, on demand, the
 * BLAKE3-256 hex of the canonical encoding (`arg-encoder.ts`) that names the stored entry.
 * Argument lists of primitives get a memory key without encoding ({@link primitiveKey}).
 */

/**
 * Encodings up to this size double as the in-memory tier key (a string, one char per byte), as
 * the JSON.stringify key of a hand-made memoizer does: a Map hashes and compares such a string
 * several times faster than BLAKE3 hashes the bytes (an array of 1,000 small objects, ~47 KB
 * encoded: BLAKE3 was a fifth of a memory hit). Larger ones, streamed into the hasher as they are
 * encoded, are keyed by their hash. The memory tier counts key lengths in its byte budget.
 */
const SMALL_KEY_MAX = 64 * 1024

/** The encoded arguments: a short in-memory key and the BLAKE3-256 hex digest (lazily). */
export interface ArgsKey {
  /** Key for in-process maps: the raw small encoding, or `#<hash>` for large ones. */
  readonly memory: string
  /** BLAKE3-256 hex of (namespace, encoding). */
  hash(): string
}

/**
 * Encodes `(namespace, thisValue?, args)` canonically. `where` names the function in errors.
 * The result's `hash()` may be called at any time later.
 */
export function keyArgs(namespace: string, args: readonly unknown[], where: string, self?: unknown, captured?: CapturedValues): ArgsKey {
  return encodeCall(namespace, args, where, self, finish, captured)
}

/**
 * Canonical BLAKE3-256 hex of an argument list, the way cache keys are made (`namespace` is
 * the function id). Synchronous: `await ready()` once before the first call.
 */
export function hashArgs(args: readonly unknown[], namespace = ''): string {
  return encodeCall(namespace, args, 'hashArgs()', undefined, digestNow)
}

/**
 * The BLAKE3-256 hex of `(namespace, thisValue?, captured?, args)`, as `keyArgs(...).hash()` gives,
 * hashed straight from the encoder's bytes (no memory key is made).
 */
export function hashCall(namespace: string, args: readonly unknown[], where: string, self?: unknown, captured?: CapturedValues): string {
  return encodeCall(namespace, args, where, self, digestNow, captured)
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

function digestHex(hasher: Blake3Hasher): string {
  return toHex(hasher.digest('binary') as Uint8Array)
}

/** Encodings up to this size are hashed in JS (no WebAssembly round trip); larger ones by hash-wasm. */
const JS_HASH_MAX = 128

function digestNow(enc: Encoder): string {
  if (!enc.streamed) return hashBytes(enc.buf.subarray(0, enc.pos))
  return digestHex(enc.flush())
}

function finish(enc: Encoder): ArgsKey {
  if (enc.streamed) return new HashedKey(digestHex(enc.flush()))
  if (enc.pos > SMALL_KEY_MAX) return new HashedKey(hashBytes(enc.buf.subarray(0, enc.pos)))
  return new EncodedKey(bytesToKey(enc.buf, enc.pos))
}

function hashBytes(bytes: Uint8Array): string {
  // Up to one chunk, JavaScript until the WebAssembly is loaded: it is never waited for.
  if (bytes.length <= JS_HASH_MAX || (bytes.length <= SMALL_MAX && !hashersSettled())) return toHex(blake3Small(bytes))
  const hasher = acquireHasher()
  try {
    return digestHex(hasher.update(bytes))
  } finally {
    releaseHasher(hasher)
  }
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

let units = new Uint16Array(1024)
const utf16 = new TextDecoder('utf-16le')

/**
 * Bytes → string with one UTF-16 unit per byte, `0x100 | byte` (U+0100…U+01FF: never a surrogate
 * or a BOM, so decoding is exact and the mapping injective). Faster than String.fromCharCode.apply.
 */
function portableBytesToKey(bytes: Uint8Array, length: number): string {
  if (units.length < length) units = new Uint16Array(SMALL_KEY_MAX)
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
