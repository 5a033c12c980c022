import { mkdirSync } from 'node:fs'
import { open, type RootDatabase } from 'lmdb'
import { createStorage, defineDriver, type Storage } from 'unstorage'
import { addSyncReader, type SyncReader } from '../core/sync-read.ts'

/**
 * An opt-in packed store: every entry in one LMDB environment (the `lmdb` package, the
 * store Parcel keeps its cache in; prebuilt binaries ship in its registry packages) instead of one
 * file per entry, which is the cost when entries are many and small (thousands of tiny files are
 * slow on most filesystems, worst on Windows and network folders).
 *
 * - Entries are the same envelopes as in every store (checksum or MAC verified on every read), as
 *   raw bytes: no codec of LMDB's own, no compression.
 * - Safe with many processes: LMDB serializes writers with a lock in the environment and readers
 *   see committed transactions only; a process killed mid-write leaves the last committed state.
 * - Reads are synchronous (memory-mapped), so functions that are not `async` stay synchronous on it.
 *
 * `lmdb` is an optional peer dependency: `npm i lmdb`, then
 * `smartCache(fn, { storage: lmdbStorage({ path: '.cache/smart-cache' }) })` or `configure({ storage: … })`.
 */
export interface LmdbDriverOptions {
  /** Folder of the LMDB environment (created if missing). */
  path: string
  /**
   * Largest size the environment may grow to, in bytes (LMDB reserves address space, not disk).
   * @default 8 GiB
   */
  mapSize?: number
}

/** The driver's name, as unstorage reports it. */
export const LMDB_DRIVER = 'smart-cache-lmdb'

type Db = RootDatabase<Uint8Array, string>

/** unstorage driver over one LMDB environment; raw items are the stored bytes. */
export const lmdbDriver = defineDriver((options: LmdbDriverOptions) => {
  if (!options || typeof options.path !== 'string' || options.path === '') {
    throw new TypeError(
      '[smart-cache] lmdbDriver({ path }): path must be the folder of the store, e.g. lmdbDriver({ path: ".cache/smart-cache" }).',
    )
  }
  let db: Db | undefined
  const get = (): Db => {
    if (!db) {
      mkdirSync(options.path, { recursive: true })
      // overlappingSync off: with it (lmdb-js's default off Windows), processes writing the same
      // environment while others are SIGKILLed lost every write in the crash torture.
      db = open<Uint8Array, string>({
        path: options.path,
        encoding: 'binary',
        compression: false,
        mapSize: options.mapSize ?? 8 * 1024 ** 3,
        overlappingSync: false,
        // A folder whatever its name: lmdb-js takes a path with an extension ("cache.v2", "/tmp/tmp.x1Yz") for a file.
        noSubdir: false,
      })
    }
    return db
  }
  const read = (key: string): Uint8Array | null => get().get(key) ?? null
  return {
    name: LMDB_DRIVER,
    options,
    getInstance: get,
    hasItem: key => get().doesExist(key),
    getItem: key => {
      const bytes = read(key)
      return bytes === null ? null : new TextDecoder().decode(bytes)
    },
    getItemRaw: key => read(key),
    setItem: async (key, value) => {
      await get().put(key, new TextEncoder().encode(value))
    },
    setItemRaw: async (key, value) => {
      await get().put(key, toBytes(value))
    },
    removeItem: async key => {
      await get().remove(key)
    },
    getKeys: base => {
      const keys: string[] = []
      for (const key of get().getKeys(base ? { start: base } : {})) {
        if (base && !key.startsWith(base)) break // keys are sorted: past the prefix
        keys.push(key)
      }
      return keys
    },
    clear: async base => {
      const d = get()
      const keys = Array.from(d.getKeys(base ? { start: base } : {})).filter(k => !base || k.startsWith(base))
      await d.transaction(() => {
        for (const key of keys) d.removeSync(key)
      })
    },
    dispose: async () => {
      await db?.close()
      db = undefined
    },
  }
})

/** A storage over {@link lmdbDriver}, for `options.storage` or `configure({ storage })`. */
export function lmdbStorage(options: LmdbDriverOptions): Storage {
  return createStorage({ driver: lmdbDriver(options) })
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  throw new TypeError(`[smart-cache] lmdbDriver: setItemRaw got ${typeof value}, not bytes`)
}

/**
 * Synchronous reads of entries (a memory-mapped read): functions that are not `async` stay synchronous.
 * The bytes are copied out of lmdb-js's reused read buffer with `set`: its own copy (`getBinary`,
 * `Uint8Array.prototype.slice` on a buffer whose `length` it redefines) took ~14 us an entry, a quarter
 * of a small hit in a new process.
 */
addSyncReader((driver): SyncReader | undefined => {
  if (driver.name !== LMDB_DRIVER || typeof driver.getInstance !== 'function') return undefined
  const db = driver.getInstance.bind(driver) as () => Db
  return (key, max) => {
    // lmdb-js's reused buffer (or a view of the map), valid until its next read; `length` is the entry's size.
    const shared = db().getBinaryFast(key)
    if (shared === undefined) return null
    const size = shared.length
    if (size > max) return { tooLarge: size }
    const raw = new Uint8Array(size)
    raw.set(new Uint8Array(shared.buffer, shared.byteOffset, size))
    return { raw, size }
  }
})
