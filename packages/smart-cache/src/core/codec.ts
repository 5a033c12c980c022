import { parse, stringify } from 'devalue'

/**
 * Value codec: devalue (sveltejs/devalue). It round-trips the structured-clone set (undefined, NaN,
 * -0, BigInt, Date, RegExp, Map, Set, typed arrays, ArrayBuffer, DataView, sparse arrays, cycles
 * and shared references), never evaluates code when parsing (JSON.parse plus a table walk), and
 * rejects `__proto__` keys instead of assigning them, so decoding cannot pollute prototypes.
 */
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** The reason a value cannot be stored (class instance, function…), with its path. */
export interface Unstorable {
  unstorable: string
}

/** Encodes a result, or explains why it cannot be stored. */
export function encodeValue(value: unknown): Uint8Array | Unstorable {
  try {
    return encoder.encode(stringify(value))
  } catch (error) {
    const path = (error as { path?: string }).path
    return { unstorable: `${(error as Error).message}${path ? ` at result${path}` : ''}` }
  }
}

/** Decodes bytes made by {@link encodeValue}; throws on anything else. */
export function decodeValue(bytes: Uint8Array): unknown {
  return parse(decoder.decode(bytes))
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
    typeof r === 'object' && r !== null && typeof r.name === 'string' && typeof r.message === 'string' &&
    (r.stack === undefined || typeof r.stack === 'string') &&
    (r.code === undefined || typeof r.code === 'string' || typeof r.code === 'number')
  if (!ok) throw new TypeError(`[smart-cache] an entry flagged as a cached error holds ${r === null ? 'null' : typeof r}, not an error record`)
  return { name: r.name!, message: r.message!, ...(r.stack === undefined ? {} : { stack: r.stack }), ...(r.code === undefined ? {} : { code: r.code }) }
}

/** Rebuilds a throwable Error from a stored record. */
export function fromErrorRecord(record: ErrorRecord): Error {
  const error = new Error(record.message)
  error.name = record.name
  if (record.stack) error.stack = record.stack
  if (record.code !== undefined) (error as { code?: unknown }).code = record.code
  return error
}
