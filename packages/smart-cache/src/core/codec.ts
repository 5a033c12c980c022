import * as compact from './devalue-compact.ts'

/**
 * Value codec. Two payload forms, told apart by the first byte:
 *
 * - **JSON data** (`0x01` then UTF-8 JSON): values that JSON round-trips exactly, checked by one
 *   walk before encoding: plain objects and arrays (no holes, no `undefined`, no shared or cyclic
 *   references, no symbol keys, no `__proto__` key), strings, booleans, null and finite numbers
 *   other than `-0`. `JSON.stringify`/`JSON.parse` are the fastest codec the platform has for
 *   them (measured against devalue, msgpackr, cbor-x and `v8.serialize`: bench/codec.mjs), and
 *   `JSON.parse` never evaluates code nor assigns prototypes; a payload naming `"__proto__"` is
 *   refused all the same, as devalue refuses it.
 * - **devalue's format** (sveltejs/devalue, the payload is its text: `[` or `-` first) for everything else:
 *   written and read by devalue itself in Node (installed by `node-platform.ts`, see {@link setStructuredCodec}),
 *   by `devalue-compact.ts` in the browser build (the same bytes; 2.0 kB gzip in a bundle, devalue 3.4 kB).
 *   It round-trips the structured-clone set (undefined, NaN, -0, BigInt, Date, RegExp, Map, Set,
 *   typed arrays, ArrayBuffer, DataView, sparse arrays, cycles and shared references), never
 *   evaluates code when parsing (JSON.parse plus a table walk), rejects `__proto__` keys instead
 *   of assigning them, and names what cannot be stored (class instances, functions…) with its path.
 *
 * msgpackr and cbor-x decode faster still, but their decoders compile record readers with
 * `new Function` when the bytes hold a record definition, whatever the options: not for bytes an
 * unsigned shared store may hold. `v8.deserialize` decodes 1.4–1.6x slower than `JSON.parse`.
 */
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })
const JSON_FORM = 0x01

/** devalue's `stringify` and `parse`. */
export interface StructuredCodec {
  stringify(value: unknown): string
  parse(text: string): unknown
}

let structured: StructuredCodec = compact

/** Installed by the Node entries: devalue itself (the compact implementation writes the same bytes). */
export function setStructuredCodec(codec: StructuredCodec): void {
  structured = codec
}

/** The reason a value cannot be stored (class instance, function…), with its path. */
export interface Unstorable {
  unstorable: string
}

/**
 * Encodes a result, or explains why it cannot be stored. With `room`, a JSON-form payload is the
 * tail of a buffer with `room` free bytes before it (its `byteOffset`), so that the envelope can be
 * built around it without copying it (see `sealEnvelope`).
 */
export function encodeValue(value: unknown, room = 0): Uint8Array | Unstorable {
  const text = isJsonData(value) ? jsonText(value) : undefined
  if (text !== undefined) return withForm(text, room)
  try {
    return encoder.encode(structured.stringify(value))
  } catch (error) {
    const path = (error as { path?: string }).path
    return { unstorable: `${(error as Error).message}${path ? ` at result${path}` : ''}` }
  }
}

/** Decodes bytes made by {@link encodeValue}; throws on anything else. */
export function decodeValue(bytes: Uint8Array): unknown {
  if (bytes[0] !== JSON_FORM) return structured.parse(decoder.decode(bytes))
  const text = decoder.decode(bytes.subarray(1))
  if (namesProto(text)) throw new TypeError('[smart-cache] a JSON payload names "__proto__": refused')
  return JSON.parse(text)
}

/**
 * Whether JSON text holds the string `"__proto__"`. Searched as `__proto__` first: V8 looks for a
 * pattern by its first character, and `"` is everywhere in JSON (2 MB: 0.6 ms against 0.04 ms).
 */
function namesProto(text: string): boolean {
  return text.includes('__proto__') && text.includes('"__proto__"')
}

/** The JSON of checked data, unless it names `__proto__` or is nested too deep for `JSON.stringify`. */
function jsonText(value: unknown): string | undefined {
  try {
    const text = JSON.stringify(value)
    return namesProto(text) ? undefined : text
  } catch {
    return undefined
  }
}

/**
 * `0x01` + UTF-8 of `json`, after `room` free bytes: encoded in place when it is ASCII (one
 * allocation, no copy), else encoded and copied.
 */
function withForm(json: string, room: number): Uint8Array {
  const out = new Uint8Array(room + json.length + 1)
  out[room] = JSON_FORM
  if (encoder.encodeInto(json, out.subarray(room + 1)).read === json.length) return out.subarray(room)
  const bytes = encoder.encode(json)
  const wide = new Uint8Array(room + bytes.length + 1)
  wide[room] = JSON_FORM
  wide.set(bytes, room + 1)
  return wide.subarray(room)
}

/**
 * Whether JSON round-trips `value` exactly (see the module comment). One walk, no allocation
 * but the set of visited objects; anything deeper than the stack allows is left to devalue.
 */
export function isJsonData(value: unknown): boolean {
  try {
    return jsonData(value, new Set())
  } catch {
    return false // too deep, or a getter threw: devalue says what is wrong
  }
}

function jsonData(v: unknown, seen: Set<object>): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true
    case 'number':
      return Number.isFinite(v) && (v !== 0 || 1 / v > 0)
    case 'object': {
      if (v === null) return true
      if (seen.has(v)) return false
      seen.add(v)
      const proto = Object.getPrototypeOf(v)
      if (proto === Array.prototype) return jsonArray(v as unknown[], seen)
      return proto === Object.prototype && jsonObject(v as Record<string, unknown>, seen)
    }
    default:
      return false
  }
}

function jsonArray(a: unknown[], seen: Set<object>): boolean {
  for (let i = 0; i < a.length; i++) {
    const item = a[i]
    if (item === undefined || !jsonData(item, seen)) return false // a hole reads as undefined
  }
  return true
}

function jsonObject(o: Record<string, unknown>, seen: Set<object>): boolean {
  if (Object.getOwnPropertySymbols(o).length > 0) return false
  for (const key in o) {
    if (!Object.hasOwn(o, key)) return false // an enumerable inherited key: not plain data
    const item = o[key]
    if (item === undefined || !jsonData(item, seen)) return false
  }
  return true
}

/** A thrown error as stored when `cacheErrors` is on. */
export interface ErrorRecord {
  name: string
  message: string
  stack?: string
  code?: string | number
}

/** Reduces a thrown value to data that can be stored and rethrown. */
export function toErrorRecord(error: unknown): ErrorRecord {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return {
      name: error.name,
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    }
  }
  return { name: 'Error', message: String(error) }
}

/**
 * The stored error record of an entry flagged as a cached error; throws (the entry is then a
 * corrupt one) when the payload is not one, e.g. a forged `null`.
 */
export function checkErrorRecord(value: unknown): ErrorRecord {
  const r = value as Partial<ErrorRecord> | null
  const ok =
    typeof r === 'object' &&
    r !== null &&
    typeof r.name === 'string' &&
    typeof r.message === 'string' &&
    (r.stack === undefined || typeof r.stack === 'string') &&
    (r.code === undefined || typeof r.code === 'string' || typeof r.code === 'number')
  if (!ok)
    throw new TypeError(`[smart-cache] an entry flagged as a cached error holds ${r === null ? 'null' : typeof r}, not an error record`)
  return {
    name: r.name!,
    message: r.message!,
    ...(r.stack === undefined ? {} : { stack: r.stack }),
    ...(r.code === undefined ? {} : { code: r.code }),
  }
}

/** Rebuilds a throwable Error from a stored record. */
export function fromErrorRecord(record: ErrorRecord): Error {
  const error = new Error(record.message)
  error.name = record.name
  if (record.stack) error.stack = record.stack
  if (record.code !== undefined) (error as { code?: unknown }).code = record.code
  return error
}
