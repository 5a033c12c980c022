import type { Driver, Storage } from 'unstorage'
import { getGlobalOptions, toStorage } from './core/config.ts'
import { describeDefaultStorage, getDefaultStorage } from './core/defaults.ts'
import { DEFAULT_MAX_ENTRY_SIZE } from './core/limits.ts'
import { readAllEntries } from './store-read.ts'

/** One stored result, as {@link inspectCache} lists it. */
export interface CachedEntryInfo {
  /** `<file>#<binding>` of the cached function (`''` when the entry is corrupt or too large to read). */
  id: string
  fingerprint: string
  /** Bytes stored. */
  size: number
  /** ms since epoch. */
  createdAt: number
  /** Unreadable, of another format, or not the function its key names: the runtime ignores it. */
  corrupt: boolean
}

/** What {@link inspectCache} finds, and a way to empty it. */
export interface CacheInspection {
  /** The store looked at: `IndexedDB "smart-cache"/"values"`, a folder, or `options.storage`. */
  where: string
  entries: CachedEntryInfo[]
  bytes: number
  /** Deletes every entry of the cache (no other key of a shared storage); resolves to how many. */
  clear(): Promise<number>
}

/**
 * Looks at the cache this app uses, from the app itself: in a browser the IndexedDB database
 * `smart-cache` (the CLI cannot reach it), in Node the default folder, or `storage` (default: the
 * one given to `configure()`). For a page of settings or the devtools console:
 * `const c = await inspectCache(); console.table(c.entries); await c.clear()`.
 * Call `settled()` first to see the writes of this page.
 */
export async function inspectCache(storage?: Storage | Driver): Promise<CacheInspection> {
  const given = storage ?? getGlobalOptions().storage
  const store = given ? toStorage(given) : getDefaultStorage()
  const found = await readAllEntries({ storage: store, signer: undefined, maxEntrySize: DEFAULT_MAX_ENTRY_SIZE })
  const entries = found.map(({ id, fingerprint, size, createdAt, corrupt }) => ({ id, fingerprint, size, createdAt, corrupt }))
  return {
    where: given ? 'the given storage' : describeDefaultStorage(),
    entries,
    bytes: entries.reduce((sum, e) => sum + e.size, 0),
    clear: async () => {
      await Promise.all(found.map(e => store.removeItem(e.key)))
      return found.length
    },
  }
}
