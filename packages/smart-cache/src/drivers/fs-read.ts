import { constants, promises as fsp, type Stats } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import { EntryTooLargeError, MAX_READ_SIZE } from '../core/limits.ts'

/**
 * How the filesystem driver reads an entry file:
 * - opened with `O_NONBLOCK`, so a FIFO planted at an entry path cannot block a libuv thread (and
 *   with it every later `fs` call of the process), and with `O_NOFOLLOW`, so an entry that is a
 *   symbolic link is not followed;
 * - anything but a regular file is refused ({@link NotRegularFileError}) before a byte is read;
 * - the size is checked with `fstat` before reading: a file over `maxSize` (or {@link MAX_READ_SIZE})
 *   is refused ({@link EntryTooLargeError}) without allocating its size.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)

/** `code` of {@link NotRegularFileError}. */
export const NOT_REGULAR_FILE = 'SMART_CACHE_NOT_REGULAR_FILE'

/** An entry path holds a FIFO, socket, device, folder or symbolic link: it is never read. */
export class NotRegularFileError extends Error {
  readonly code = NOT_REGULAR_FILE
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(
      `[smart-cache] atomicFsDriver: ${path} is ${kind}, not a regular file; it was not read. ` +
        'Fix: remove it (`smart-cache prune` removes such files), and keep the cache folder writable only by trusted processes.',
    )
    this.name = 'NotRegularFileError'
  }
}

export interface ReadOptions {
  /** Refuse files larger than this many bytes. @default MAX_READ_SIZE */
  maxSize?: number
  /** Set the mtime to now when it is older than this many ms (fire-and-forget); `false` never does. */
  touchAfter: number | false
}

/** The bytes of the file at `path`, or null when there is none. Throws {@link NotRegularFileError} or {@link EntryTooLargeError}. */
export async function readEntryFile(path: string, options: ReadOptions): Promise<Buffer | null> {
  const handle = await openForReading(path)
  if (!handle) return null
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw new NotRegularFileError(path, kindOf(stat))
    const limit = Math.min(options.maxSize ?? MAX_READ_SIZE, MAX_READ_SIZE)
    if (stat.size > limit) throw new EntryTooLargeError(path, stat.size, limit)
    const bytes = await readFully(handle, stat.size)
    touch(path, stat, options.touchAfter)
    return bytes
  } finally {
    await handle.close()
  }
}

async function openForReading(path: string): Promise<FileHandle | undefined> {
  try {
    return await fsp.open(path, OPEN_FLAGS)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    if (code === 'ELOOP') throw new NotRegularFileError(path, 'a symbolic link')
    if (code === 'EISDIR') throw new NotRegularFileError(path, 'a folder')
    throw error
  }
}

/** Reads `size` bytes at most (a file that grew since fstat is cut, and then fails the envelope's length check). */
async function readFully(handle: FileHandle, size: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(size)
  let offset = 0
  while (offset < size) {
    const { bytesRead } = await handle.read(bytes, offset, size - offset, offset)
    if (bytesRead === 0) break
    offset += bytesRead
  }
  return offset === size ? bytes : bytes.subarray(0, offset)
}

function touch(path: string, stat: Stats, touchAfter: number | false): void {
  if (touchAfter === false || Date.now() - stat.mtimeMs <= touchAfter) return
  const now = new Date()
  fsp.lutimes(path, now, now).catch(() => {})
}

/** What a non-regular file is, for messages. */
export function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)'
  if (stat.isSocket()) return 'a socket'
  if (stat.isCharacterDevice()) return 'a character device'
  if (stat.isBlockDevice()) return 'a block device'
  if (stat.isDirectory()) return 'a folder'
  if (stat.isSymbolicLink()) return 'a symbolic link'
  return 'not a regular file'
}
