/** Size limits for stored entries (issue 6). */

/** `maxEntrySize` default: 16 MiB, far above typical results, well below Redis' 512 MB value cap. */
export const DEFAULT_MAX_ENTRY_SIZE = 16 * 1024 * 1024

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
      ? `result of ${id} (key ${storeKey}) is ${size} bytes encoded, over maxEntrySize ${max}; it is returned (and kept in memory) but not stored`
      : `stored entry of ${id} (key ${storeKey}) is ${size} bytes, over maxEntrySize ${max}; it was not read and the result is recomputed`
  return `[smart-cache] ${what}. Fix: return less data, or raise options.maxEntrySize.`
}
