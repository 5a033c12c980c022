import type { Driver, Storage } from 'unstorage'
import type { BoundedItem } from './bounded-read.ts'
import { rawSize, tooLargeSize } from './limits.ts'

/**
 * Synchronous reads of stored entries: a function that is not `async` stays synchronous
 * when its store can be read without waiting. The Node entry adds the filesystem driver; unstorage's
 * memory driver is synchronous everywhere. Other stores (IndexedDB, Redis, HTTP…) cannot be read
 * synchronously.
 */

/** Reads one entry at once, at most `max` bytes (like `readBounded`). */
export type SyncReader = (key: string, max: number) => BoundedItem

/** A reader for the keys of one driver (keys relative to its mount), or undefined when it cannot read synchronously. */
export type SyncReaderFactory = (driver: Driver) => SyncReader | undefined

const factories: SyncReaderFactory[] = [memoryReader]

/** Called by the Node entry for the filesystem driver. */
export function addSyncReader(factory: SyncReaderFactory): void {
  factories.unshift(factory)
}

/** A synchronous reader of the cache entries in `storage` (all under `sc1:`), or undefined if there is none. */
export function syncReaderOf(storage: Storage, prefix: string): SyncReader | undefined {
  const { driver, base } = storage.getMount(prefix) as { driver: Driver; base: string }
  for (const factory of factories) {
    const read = factory(driver)
    if (read) return (key, max) => read(key.slice(base.length), max)
  }
  return undefined
}

/** Describes a store for messages: its driver's name. */
export function driverName(storage: Storage, prefix: string): string {
  return (storage.getMount(prefix) as { driver: Driver }).driver.name ?? 'unnamed driver'
}

/** unstorage's memory driver: `getItemRaw` returns the value itself. */
function memoryReader(driver: Driver): SyncReader | undefined {
  if (driver.name !== 'memory' || typeof driver.getItemRaw !== 'function') return undefined
  const getItemRaw = driver.getItemRaw.bind(driver) as (key: string, opts: object) => unknown
  return (key, max) => {
    let raw: unknown
    try {
      raw = getItemRaw(key, {})
    } catch (error) {
      const size = tooLargeSize(error)
      if (size === undefined) throw error
      return { tooLarge: size }
    }
    if (raw === null || raw === undefined) return null
    const size = rawSize(raw)
    return size > max ? { tooLarge: size } : { raw, size }
  }
}
