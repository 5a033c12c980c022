import { promises as fsp } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { defineDriver } from 'unstorage'
import { ensureDirInside, safeKeyPath } from '../storage/safe-key.ts'
import { sweepTempFiles, tempPathFor, TMP_SUFFIX } from './fs-temp.ts'

export interface AtomicFsOptions {
  /** Folder that holds the entries (created on first write). */
  base: string
  /**
   * Record reads by setting the file's mtime (used as "last access" by `smart-cache/store`) when it is
   * older than `touchAfter` ms. Fire-and-forget; failures are ignored. `false` never touches.
   * @default 60_000
   */
  touchAfter?: number | false
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

  return {
    name: 'smart-cache-fs',
    options,
    flags: { maxDepth: true },
    hasItem: async (key) => (await statOrNull(file(key))) !== null,
    getItem: async (key) => {
      const bytes = await readOrNull(file(key), false)
      return bytes === null ? null : bytes.toString('utf8')
    },
    getItemRaw: async (key) => readOrNull(file(key), touchAfter),
    setItem: (key, value: string) => writeAtomic(base, file(key), value),
    setItemRaw: (key, value: Uint8Array) => writeAtomic(base, file(key), value),
    removeItem: (key) => fsp.rm(file(key), { force: true }),
    getMeta: async (key) => {
      const stat = await statOrNull(file(key))
      return stat ? { atime: stat.atime, mtime: stat.mtime, birthtime: stat.birthtime, size: stat.size } : null
    },
    getKeys: async (prefix) => {
      const root = prefix ? file(prefix) : base
      const rel = prefix ? prefix.split(':').filter(Boolean) : []
      return (await walk(root)).map((parts) => [...rel, ...parts].join(':'))
    },
    clear: async () => {
      const names = await fsp.readdir(base).catch(() => [] as string[])
      await Promise.all(names.map((name) => fsp.rm(join(base, name), { recursive: true, force: true })))
    },
  }
})

function pathOf(base: string, key: string): string {
  return safeKeyPath(base, key, TMP_SUFFIX)
}

/** Reads a whole file (open, fstat, read, close: what readFile does) and touches it if its mtime is stale. */
async function readOrNull(path: string, touchAfter: number | false): Promise<Buffer | null> {
  let handle: FileHandle
  try {
    handle = await fsp.open(path, 'r')
  } catch (error) {
    if (isMissing(error)) return null
    throw error
  }
  try {
    const stat = await handle.stat()
    const bytes = Buffer.allocUnsafe(stat.size)
    let offset = 0
    while (offset < bytes.length) {
      const { bytesRead } = await handle.read(bytes, offset, bytes.length - offset, offset)
      if (bytesRead === 0) break
      offset += bytesRead
    }
    if (touchAfter !== false && Date.now() - stat.mtimeMs > touchAfter) {
      const now = new Date()
      fsp.utimes(path, now, now).catch(() => {})
    }
    return offset === bytes.length ? bytes : bytes.subarray(0, offset)
  } finally {
    await handle.close()
  }
}

async function statOrNull(path: string) {
  try {
    return await fsp.stat(path)
  } catch (error) {
    if (isMissing(error)) return null
    throw error
  }
}

async function writeAtomic(base: string, path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path)
  await ensureDirInside(base, dirname(path))
  await fsp.writeFile(tmp, data)
  try {
    await fsp.rename(tmp, path)
  } catch (error) {
    await fsp.rm(tmp, { force: true })
    throw error
  }
  await sweepTempFiles(dirname(path))
}

async function walk(dir: string): Promise<string[][]> {
  let entries
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true })
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return []
    throw error
  }
  const out: string[][] = []
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.endsWith(TMP_SUFFIX)) continue
    if (entry.isDirectory()) for (const sub of await walk(join(dir, entry.name))) out.push([entry.name, ...sub])
    else if (entry.isFile()) out.push([entry.name])
  }
  return out
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT'
}

export default atomicFsDriver
