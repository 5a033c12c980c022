import type { Storage } from 'unstorage'
import { MAX_READ_SIZE, rawSize, tooLargeSize } from './limits.ts'

/**
 * Reading a stored entry without loading more than `maxEntrySize` bytes: a 1 GB entry
 * must not cost 1 GB of memory just to find out that it is too large.
 *
 * - smart-cache's filesystem driver checks the file's size (fstat) before reading it;
 * - unstorage's Redis driver stores raw items as `base64:…` strings: they are read with
 *   `GETRANGE`, at most the encoded length of the limit (and `STRLEN` tells the size of a larger one):
 *   `redis-read.ts`, installed by the Node entries ({@link addRangeReader}: no Redis code in browsers);
 * - other drivers cannot tell a size first: the item is read whole, then measured.
 */
export type BoundedItem = { raw: unknown; size: number } | { tooLarge: number } | null

/** Reads an item of `storage` without loading more than `limit` bytes, or returns undefined when it cannot (not its driver). */
export type RangeReader = (storage: Storage, key: string, limit: number) => Promise<BoundedItem> | undefined

const rangeReaders: RangeReader[] = []

/** Called by the Node entries for unstorage's Redis driver. */
export function addRangeReader(reader: RangeReader): void {
  if (!rangeReaders.includes(reader)) rangeReaders.push(reader)
}

/** Reads `key` unless it is larger than `max` bytes; null when there is no such item. */
export async function readBounded(storage: Storage, key: string, max: number): Promise<BoundedItem> {
  const limit = Math.min(max, MAX_READ_SIZE)
  for (const read of rangeReaders) {
    const item = read(storage, key, limit)
    if (item) return item
  }
  let raw: unknown
  try {
    raw = await storage.getItemRaw(key, { maxSize: limit })
  } catch (error) {
    const size = tooLargeSize(error)
    if (size === undefined) throw error
    return { tooLarge: size }
  }
  if (raw === null || raw === undefined) return null
  const size = rawSize(raw)
  return size > limit ? { tooLarge: size } : { raw, size }
}
