import { closeSync, constants, fstatSync, futimesSync, openSync, promises as fsp, readSync } from 'node:fs'
import type { Driver } from 'unstorage'
import type { BoundedItem } from '../core/bounded-read.ts'
import { MAX_READ_SIZE } from '../core/limits.ts'
import type { SyncReader } from '../core/sync-read.ts'
import { safeKeyPath } from '../storage/safe-key.ts'
import { kindOf, NotRegularFileError } from './fs-read.ts'
import { TMP_SUFFIX } from './fs-temp.ts'

/**
 * The synchronous read of an entry file by a synchronous cached function, with the
 * safety of `readEntryFile`: opened with `O_NONBLOCK | O_NOFOLLOW`, regular files only, the size
 * checked with `fstat` before reading.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)

/** A {@link SyncReader} for smart-cache's filesystem driver, undefined for any other driver. */
export function fsSyncReader(driver: Driver): SyncReader | undefined {
  if (driver.name !== 'smart-cache-fs' || typeof driver.getInstance !== 'function') return undefined
  const base = (driver.getInstance() as { base: string }).base
  const touchAfter = (driver.options as { touchAfter?: number | false } | undefined)?.touchAfter ?? 60_000
  return (key, max) => readEntryFileSync(safeKeyPath(base, key, TMP_SUFFIX), Math.min(max, MAX_READ_SIZE), touchAfter)
}

function readEntryFileSync(path: string, max: number, touchAfter: number | false): BoundedItem {
  let fd: number
  try {
    fd = openSync(path, OPEN_FLAGS)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    if (code === 'ELOOP') throw new NotRegularFileError(path, 'a symbolic link')
    if (code === 'EISDIR') throw new NotRegularFileError(path, 'a folder')
    throw error
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw new NotRegularFileError(path, kindOf(stat))
    if (stat.size > max) return { tooLarge: stat.size }
    const bytes = Buffer.allocUnsafe(stat.size)
    let offset = 0
    while (offset < bytes.length) {
      const read = readSync(fd, bytes, offset, bytes.length - offset, offset)
      if (read === 0) break
      offset += read
    }
    if (touchAfter !== false && Date.now() - stat.mtimeMs > touchAfter) touchOpen(fd, path)
    return { raw: offset === bytes.length ? bytes : bytes.subarray(0, offset), size: offset }
  } finally {
    closeSync(fd)
  }
}

/**
 * Records the read in the mtime through the open descriptor: one system call, where `lutimes` by
 * path cost a thread-pool round trip per hit (13% of the CPU of 1,000 hits of 20 KB older than a
 * minute). Where the descriptor cannot (Windows: opened without write-attribute access),
 * by path in the background as before; failures are ignored.
 */
function touchOpen(fd: number, path: string): void {
  const now = new Date()
  try {
    futimesSync(fd, now, now)
  } catch {
    fsp.lutimes(path, now, now).catch(() => {})
  }
}
