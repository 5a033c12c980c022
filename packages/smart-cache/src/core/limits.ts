/** Size limits for stored entries: a reader never loads, nor a writer stores, more than these. */

/** `maxEntrySize` default: 16 MiB, far above typical results, well below Redis' 512 MB value cap. */
export const DEFAULT_MAX_ENTRY_SIZE = 16 * 1024 * 1024

/**
 * Largest entry ever read or written, whatever `maxEntrySize` says: one `fs` read takes at most
 * 2 GiB - 1 bytes (a larger length aborts Node with a native assertion), and no larger envelope
 * could be decoded anyway (V8 strings end near 512 Mi characters).
 */
export const MAX_READ_SIZE = 2 ** 31 - 1

/** `code` of {@link EntryTooLargeError}, checked by code so that it survives bundling into separate chunks. */
export const ENTRY_TOO_LARGE = 'SMART_CACHE_ENTRY_TOO_LARGE'

/** Thrown by a driver asked for at most `limit` bytes (`getItemRaw(key, { maxSize })`) instead of reading a larger item. */
export class EntryTooLargeError extends Error {
  readonly code = ENTRY_TOO_LARGE
  constructor(
    where: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`[smart-cache] ${where} is ${size} bytes, over the read limit of ${limit} bytes; it was not read`)
    this.name = 'EntryTooLargeError'
  }
}

/** The size carried by an {@link EntryTooLargeError} (from any copy of this module), else undefined. */
export function tooLargeSize(error: unknown): number | undefined {
  const e = error as { code?: unknown; size?: unknown } | null
  return e?.code === ENTRY_TOO_LARGE && typeof e.size === 'number' ? e.size : undefined
}

/** Throws a `[smart-cache]` TypeError unless `size` is a positive integer (or Infinity). */
export function checkMaxEntrySize(size: unknown, where: string): void {
  const ok = typeof size === 'number' && size > 0 && (Number.isInteger(size) || size === Number.POSITIVE_INFINITY)
  if (!ok) {
    throw new TypeError(
      `[smart-cache] ${where}: options.maxEntrySize must be a positive integer number of bytes, got ${String(size)}. ` +
        `Fix: e.g. maxEntrySize: ${DEFAULT_MAX_ENTRY_SIZE} (16 MiB, the default), or Infinity for no limit.`,
    )
  }
}

/** `memoryBytes` default: 32 MiB of results per function in the memory tier. */
export const DEFAULT_MEMORY_BYTES = 32 * 1024 * 1024

/** `options.memoryBytes`, checked: a positive integer (a `[smart-cache]` TypeError otherwise). */
export function memoryBytes(bytes: unknown, where: string): number {
  if (bytes === undefined) return DEFAULT_MEMORY_BYTES
  if (typeof bytes === 'number' && Number.isInteger(bytes) && bytes > 0) return bytes
  throw new TypeError(
    `[smart-cache] ${where}: options.memoryBytes must be a positive integer number of bytes, got ${String(bytes)}. Fix: e.g. memoryBytes: ${DEFAULT_MEMORY_BYTES} (32 MiB, the default), or memory: false for no memory tier.`,
  )
}

/** The size of a result known without encoding it (strings, binary data), else undefined. */
export function quickSize(value: unknown): number | undefined {
  if (typeof value === 'string') return value.length
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value.byteLength
  return undefined
}

/** Byte length of a raw stored item without copying it (base64 strings are estimated from their length). */
export function rawSize(raw: unknown): number {
  if (raw instanceof ArrayBuffer) return raw.byteLength
  if (ArrayBuffer.isView(raw)) return raw.byteLength
  if (typeof raw === 'string') return Math.floor(((raw.startsWith('base64:') ? raw.length - 7 : raw.length) * 3) / 4)
  return 0
}

/** The warning printed once per function when an entry is too large to store (`write`) or to read (`read`). */
export function oversizedMessage(op: 'read' | 'write', id: string, storeKey: string, size: number, max: number): string {
  const what =
    op === 'write'
      ? `result of ${id} (key ${storeKey}) is ${size} bytes encoded, over maxEntrySize ${max}; it is returned but neither stored nor kept in memory`
      : `stored entry of ${id} (key ${storeKey}) is ${size} bytes, over maxEntrySize ${max}; it was skipped without being loaded (its size was checked first) and the result is computed instead`
  const fix =
    op === 'write'
      ? 'return less data, or raise options.maxEntrySize'
      : 'raise options.maxEntrySize to serve such entries, or delete it (smart-cache prune removes entries over the limit)'
  return `[smart-cache] ${what}. Fix: ${fix}.`
}
