import type { Driver, Storage } from 'unstorage'
import { toStorage } from './core/config.ts'
import { DEFAULT_MAX_ENTRY_SIZE, checkMaxEntrySize } from './core/limits.ts'
import { createSigner } from './core/mac.ts'
import { envSecret } from './core/security.ts'
import type { TempFiles } from './drivers/fs-litter.ts'
import { installNodePlatform } from './node-platform.ts'
import { createDefaultStorage, findCacheDir } from './storage/node.ts'
import { readAllEntries } from './store-read.ts'
import { tempFilesOf } from './store-temps.ts'

installNodePlatform() // WebAssembly BLAKE3 for large entries, createStorage for a driver, Redis bounded reads

export type { TempFiles } from './drivers/fs-litter.ts'

/** Contract 4: read-only views and deletions over the runtime's store, for the CLI. */
export interface OpenStoreOptions {
  /**
   * The unstorage instance or driver holding the entries.
   * @default the Node default: atomic files under `dir`
   */
  storage?: Storage | Driver
  /**
   * Folder of the filesystem store (ignored when `storage` is given).
   * @default the runtime's rule ({@link findCacheDir}): `SMART_CACHE_DIR`, else `<nearest package.json folder above cwd>/node_modules/.cache/smart-cache/values`, else `$XDG_CACHE_HOME` or `~/.cache` + `/smart-cache/values`
   */
  dir?: string
  /**
   * Where the search for the project root starts.
   * @default process.cwd()
   */
  cwd?: string
  /**
   * Secret to verify signed entries with (entries that fail are `corrupt`, so `prune` removes them).
   * Without one, signed entries are listed unverified (`signed: true`, structure checked only).
   * @default `SMART_CACHE_SECRET`
   */
  secret?: string | Uint8Array
  /**
   * Entries larger than this are not read (their size is checked first): they are listed as
   * `oversized`, unverified, and `prune` removes them. Use the runtime's `maxEntrySize`.
   * @default 16_777_216 (16 MiB, the runtime's default)
   */
  maxEntrySize?: number
}

/** One stored entry. */
export interface StoreEntry {
  /** Storage key: `sc1:<fingerprint>:<argsHash>`. */
  key: string
  /** `<file>#<binding>` (or the function name without the plugin); `''` when corrupt. */
  id: string
  fingerprint: string
  /** Hash of the arguments (the last key segment). */
  argsHash: string
  /** Bytes of the stored envelope. */
  size: number
  /** ms since epoch, from the envelope. */
  createdAt: number
  /** ms since epoch: last read or write when the driver reports it (fs mtime), else `createdAt`. */
  lastAccess: number
  /** The entry holds a cached thrown error (`cacheErrors`). */
  error: boolean
  /** Truncated, corrupt or unreadable, of another format version, or not a regular file (such entries are ignored by the runtime; prune them). */
  corrupt: boolean
  /** Larger than the store's `maxEntrySize`: not read, so neither verified nor identified (`id` is `''`); prune removes them. */
  oversized: boolean
  /** Carries a keyed-BLAKE3 MAC; verified only when the store has the secret. */
  signed: boolean
}

/** Selects entries; all given criteria must match. */
export interface StoreFilter {
  id?: string
  fingerprint?: string
  key?: string
  /** Only corrupt (`true`) or only sound (`false`) entries. */
  corrupt?: boolean
  /** Only entries over the size limit (`true`) or only those under it (`false`). */
  oversized?: boolean
  /** Created before this time (ms since epoch). */
  createdBefore?: number
  /** Last accessed before this time (ms since epoch). */
  accessedBefore?: number
  /** Any other test. */
  where?: (entry: StoreEntry) => boolean
}

/** Totals for `stats`. */
export interface StoreTotals {
  entries: number
  bytes: number
  corrupt: number
  /** Per id, sorted by id. */
  functions: Array<{ id: string; fingerprints: string[]; entries: number; bytes: number; lastAccess: number }>
  /** Temp files of interrupted writes (filesystem stores; zeros elsewhere). */
  temps: TempFiles
}

export interface CacheStore {
  /** Folder of a filesystem store, undefined for other storages. */
  readonly location: string | undefined
  /** Why the folder is `location`: `SMART_CACHE_DIR`, `nearest package.json: <folder>`, the user cache folder, or `dir` (given); undefined for other storages. */
  readonly locationRule: string | undefined
  /** Entries matching `filter`, sorted by id, then fingerprint, then key. */
  list(filter?: StoreFilter): Promise<StoreEntry[]>
  /** Totals over all entries. */
  stats(): Promise<StoreTotals>
  /** Deletes the entries matching `filter` (at least one criterion); returns how many. */
  delete(filter: StoreFilter): Promise<number>
  /**
   * Deletes corrupt and oversized entries and entries whose id is in `current` with another fingerprint
   * (`current`: id → fingerprint, e.g. from the build manifest); plus, if given, entries
   * not accessed for `maxIdle` ms. Returns how many.
   */
  prune(options?: { current?: Record<string, string>; maxIdle?: number; now?: number }): Promise<number>
  /** Deletes every cache entry (not other keys of a shared storage, nor other files in the folder); returns how many. Also sweeps stale temp files. */
  clear(): Promise<number>
  /** Temp files of interrupted writes: all, and the stale ones (writer gone, or older than 10 min). Zeros for stores other than the filesystem. */
  temps(): Promise<TempFiles>
  /** Removes the stale temp files (`prune` and `clear` do it too); returns how many and their bytes. */
  sweep(): Promise<{ files: number; bytes: number }>
  /** Closes the storage (Redis connections…). */
  dispose(): Promise<void>
}

/** Opens the store the runtime writes (the Node default unless `storage` is given). */
export function openStore(options: OpenStoreOptions = {}): CacheStore {
  const choice = options.storage ? undefined : options.dir !== undefined ? { dir: options.dir, rule: 'dir' } : findCacheDir(options.cwd)
  const location = choice?.dir
  // Inspecting is not using: the store never refreshes the fs driver's last-use times.
  const storage = options.storage ? toStorage(options.storage) : createDefaultStorage(location, { touchAfter: false })
  const secret = options.secret ?? envSecret()
  const verifier = secret === undefined ? Promise.resolve(undefined) : createSigner(secret)
  const maxEntrySize = options.maxEntrySize ?? DEFAULT_MAX_ENTRY_SIZE
  checkMaxEntrySize(maxEntrySize, 'openStore')
  const readAll = async (fingerprint?: string) => readAllEntries({ storage, signer: await verifier, maxEntrySize }, fingerprint)
  const temps = tempFilesOf(storage)
  const list = async (filter: StoreFilter = {}) => (await readAll(filter.fingerprint)).filter(e => matches(e, filter))
  const remove = async (entries: StoreEntry[]) => {
    await Promise.all(entries.map(e => storage.removeItem(e.key)))
    return entries.length
  }
  return {
    location,
    locationRule: choice?.rule,
    list,
    stats: async () => totals(await readAll(), await temps.count()),
    delete: async filter => {
      if (!Object.values(filter).some(v => v !== undefined)) {
        throw new TypeError('[smart-cache] store.delete(filter) needs at least one criterion. Fix: use store.clear() to delete everything.')
      }
      return remove(await list(filter))
    },
    prune: async ({ current, maxIdle, now = Date.now() } = {}) =>
      sweepThen(
        temps,
        remove,
        (await readAll()).filter(
          e =>
            e.corrupt ||
            e.oversized ||
            (current !== undefined && e.id in current && current[e.id] !== e.fingerprint) ||
            (maxIdle !== undefined && now - e.lastAccess > maxIdle),
        ),
      ),
    clear: async () => sweepThen(temps, remove, await readAll()),
    temps: () => temps.count(),
    sweep: () => temps.sweep(),
    dispose: () => storage.dispose(),
  }
}

function matches(e: StoreEntry, f: StoreFilter): boolean {
  return (
    (f.id === undefined || e.id === f.id) &&
    (f.fingerprint === undefined || e.fingerprint === f.fingerprint) &&
    (f.key === undefined || e.key === f.key) &&
    (f.corrupt === undefined || e.corrupt === f.corrupt) &&
    (f.oversized === undefined || e.oversized === f.oversized) &&
    (f.createdBefore === undefined || e.createdAt < f.createdBefore) &&
    (f.accessedBefore === undefined || e.lastAccess < f.accessedBefore) &&
    (f.where === undefined || f.where(e))
  )
}

/** Removes `entries`, then the stale temp files; returns how many entries. */
async function sweepThen(
  temps: ReturnType<typeof tempFilesOf>,
  remove: (entries: StoreEntry[]) => Promise<number>,
  entries: StoreEntry[],
): Promise<number> {
  const removed = await remove(entries)
  await temps.sweep()
  return removed
}

function totals(entries: StoreEntry[], temps: TempFiles): StoreTotals {
  const byId = new Map<string, StoreTotals['functions'][number]>()
  for (const e of entries) {
    if (e.corrupt) continue
    const f = byId.get(e.id) ?? { id: e.id, fingerprints: [], entries: 0, bytes: 0, lastAccess: 0 }
    if (!f.fingerprints.includes(e.fingerprint)) f.fingerprints.push(e.fingerprint)
    f.entries++
    f.bytes += e.size
    f.lastAccess = Math.max(f.lastAccess, e.lastAccess)
    byId.set(e.id, f)
  }
  return {
    entries: entries.length,
    bytes: entries.reduce((sum, e) => sum + e.size, 0),
    corrupt: entries.filter(e => e.corrupt).length,
    functions: [...byId.values()].sort((a, b) => compare(a.id, b.id)),
    temps,
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export { defaultCacheDir, findCacheDir, type CacheDirChoice } from './storage/node.ts'
