import { promises as fsp } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { defineDriver } from 'unstorage'
import { ensureDirInside, safeKeyPath } from '../storage/safe-key.ts'
import { createBudget } from './fs-budget.ts'
import { countTempFiles, removeStaleTempFiles, type TempFiles } from './fs-litter.ts'
import { readEntryFile } from './fs-read.ts'
import { sweepTempFiles, tempPathFor, TMP_SUFFIX } from './fs-temp.ts'
import { removeFile, walk } from './fs-tree.ts'

export interface AtomicFsOptions {
  /** Folder that holds the entries (created on first write). */
  base: string
  /**
   * Record reads by setting the file's mtime (used as "last access" by `smart-cache/store`) when it is
   * older than `touchAfter` ms. Fire-and-forget; failures are ignored. `false` never touches.
   * @default 60_000
   */
  touchAfter?: number | false
  /**
   * Disk budget in bytes for the cache entries: after writes, least recently used entries are
   * removed in the background (never on the caller's path) until they fit. See `fs-budget.ts`.
   * @default undefined (no budget: run `smart-cache prune --max-size` instead)
   */
  maxStoreSize?: number
}

/** What `getInstance()` of {@link atomicFsDriver} returns: the folder and its temp files of interrupted writes. */
export interface AtomicFsInstance {
  base: string
  countTempFiles(now?: number): Promise<TempFiles>
  removeStaleTempFiles(now?: number): Promise<{ files: number; bytes: number }>
  /** One eviction pass of the `maxStoreSize` budget now (0 without a budget); resolves with how many entries it removed. */
  evictOverBudget(): Promise<number>
}

/**
 * unstorage driver for the filesystem that writes atomically: each write goes to a unique temp
 * file in the same folder and is renamed over the target, so readers (in any process) see either
 * the old or the new bytes, never a torn file. Keys `a:b:c` map to `<base>/a/b/c`.
 */
export const atomicFsDriver = defineDriver((options: AtomicFsOptions) => {
  if (!options?.base) throw new TypeError('[smart-cache] atomicFsDriver: options.base (a folder) is required')
  const base = resolve(options.base)
  const touchAfter = options.touchAfter === undefined ? 60_000 : options.touchAfter
  const file = (key: string): string => pathOf(base, key)
  const budget = options.maxStoreSize === undefined ? undefined : createBudget(base, checkBudget(options.maxStoreSize))
  const write = async (key: string, value: string | Uint8Array) => {
    await writeAtomic(base, file(key), value)
    budget?.afterWrite()
  }

  return {
    name: 'smart-cache-fs',
    options,
    flags: { maxDepth: true },
    getInstance: (): AtomicFsInstance => ({
      base,
      countTempFiles: now => countTempFiles(base, now),
      removeStaleTempFiles: now => removeStaleTempFiles(base, now),
      evictOverBudget: () => budget?.evict() ?? Promise.resolve(0),
    }),
    hasItem: async key => (await lstatOrNull(file(key))) !== null,
    getItem: async (key, opts) => {
      const bytes = await readEntryFile(file(key), { maxSize: maxSizeOf(opts), touchAfter: false })
      return bytes === null ? null : bytes.toString('utf8')
    },
    // `opts.maxSize`: refuse (EntryTooLargeError) instead of reading a larger file; see core/bounded-read.ts.
    getItemRaw: async (key, opts) => readEntryFile(file(key), { maxSize: maxSizeOf(opts), touchAfter }),
    setItem: (key, value: string) => write(key, value),
    setItemRaw: (key, value: Uint8Array) => write(key, value),
    removeItem: key => removeFile(base, file(key)),
    getMeta: async key => {
      const stat = await lstatOrNull(file(key))
      return stat ? { atime: stat.atime, mtime: stat.mtime, birthtime: stat.birthtime, size: stat.size } : null
    },
    getKeys: async prefix => {
      const root = prefix ? file(prefix) : base
      const rel = prefix ? prefix.split(':').filter(Boolean) : []
      return (await walk(base, root)).map(parts => [...rel, ...parts].join(':'))
    },
    // fs.rm does not follow links: a link directly under `base` is removed, not what it points to.
    clear: async () => {
      const names = await fsp.readdir(base).catch(() => [] as string[])
      await Promise.all(names.map(name => fsp.rm(join(base, name), { recursive: true, force: true })))
    },
  }
})

function pathOf(base: string, key: string): string {
  return safeKeyPath(base, key, TMP_SUFFIX)
}

function checkBudget(bytes: unknown): number {
  if (typeof bytes === 'number' && Number.isInteger(bytes) && bytes > 0) return bytes
  throw new TypeError(
    `[smart-cache] atomicFsDriver: options.maxStoreSize must be a positive integer number of bytes, got ${String(bytes)}. Fix: e.g. maxStoreSize: 500 * 1024 ** 2 (500 MiB), or leave it out for no budget.`,
  )
}

function maxSizeOf(opts: unknown): number | undefined {
  const max = (opts as { maxSize?: unknown } | undefined)?.maxSize
  return typeof max === 'number' && max >= 0 ? max : undefined
}

async function lstatOrNull(path: string) {
  try {
    return await fsp.lstat(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw error
  }
}

/**
 * Writes a unique temp file (created exclusively: a planted link or file at its name is never
 * written through) and renames it over `path`. A failed write (full disk) removes its temp file;
 * the folder's orphaned temp files are swept after every attempt, failed or not. A folder removed
 * between its check and the write (a `clear` or `prune` in another process) is checked, created
 * and written again, once.
 */
async function writeAtomic(base: string, path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path)
  try {
    await ensureDirInside(base, dir)
    await writeThenRename(path, data).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
      await ensureDirInside(base, dir)
      await writeThenRename(path, data)
    })
  } finally {
    await sweepTempFiles(dir)
  }
}

async function writeThenRename(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path)
  try {
    await fsp.writeFile(tmp, data, { flag: 'wx' })
    await fsp.rename(tmp, path)
  } catch (error) {
    await fsp.rm(tmp, { force: true }).catch(() => {})
    throw error
  }
}

export default atomicFsDriver
