import { realpathSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'

/**
 * Key safety for filesystem drivers: a key `a:b:c` becomes `<base>/a/b/c`, and no key
 * may name anything outside `base`. unstorage already turns `/` and `\` into `:`; this module
 * also guards drivers called directly.
 */

/** Longest key segment in UTF-8 bytes: under NAME_MAX (255) with room for the temp-file suffix. */
export const MAX_SEGMENT_BYTES = 200
/** Longest whole key in UTF-8 bytes (keeps paths well under PATH_MAX). */
export const MAX_KEY_BYTES = 1024

const utf8 = new TextEncoder()
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f/\\]/

/** Why a key is refused, or undefined if it is safe. `reserved` is a file-name suffix keys may not end with. */
export function keyProblem(key: string, reserved?: string): string | undefined {
  const segments = key.split(':').filter(Boolean)
  if (segments.length === 0) return 'empty key'
  if (utf8.encode(key).length > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes`
  for (const [i, s] of segments.entries()) {
    const where = `segment ${i + 1}`
    if (s === '.' || s === '..') return `dot segment "${s}" (${where})`
    if (FORBIDDEN.test(s)) return `control character, NUL or path separator in ${where}`
    if (utf8.encode(s).length > MAX_SEGMENT_BYTES) return `${where} longer than ${MAX_SEGMENT_BYTES} bytes`
    if (reserved && s.endsWith(reserved)) return `${where} ends with the reserved suffix ${reserved}`
  }
  return undefined
}

/** The file of `key` under `base` (an absolute folder); throws a `[smart-cache]` error for unsafe keys. */
export function safeKeyPath(base: string, key: string, reserved?: string): string {
  const problem = keyProblem(key, reserved)
  if (problem) throw refused(key, problem)
  const path = join(base, ...key.split(':').filter(Boolean))
  const rel = relative(base, path)
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw refused(key, `resolves outside ${base}`)
  return path
}

function refused(key: string, problem: string): Error {
  const shown = JSON.stringify(key.length > 120 ? `${key.slice(0, 120)}…` : key)
  return new Error(
    `[smart-cache] atomicFsDriver: refused key ${shown}: ${problem}. ` +
      `Fix: use plain key segments separated by ":" (no "." or "..", separators or control characters, at most ${MAX_SEGMENT_BYTES} bytes each).`,
  )
}

/** `realpath` of each base folder seen, per process: looked up again before a write is refused. */
const realBases = new Map<string, string>()

/**
 * Creates `dir` if needed and checks that, symbolic links resolved, it is inside `base`: a link planted
 * in a shared cache folder cannot make a writer put files elsewhere. Throws a `[smart-cache]` error.
 * Checked on every write, synchronously: `realpathSync.native` costs a few µs where an asynchronous
 * `realpath` costs a thread-pool round trip (two per write were 17% of the CPU of storing 1,000 small
 * misses); the base's own `realpath` is remembered, and looked up again before refusing.
 */
export async function ensureDirInside(base: string, dir: string): Promise<void> {
  const real = existingRealPath(dir) ?? (await createInside(base, dir))
  if (isInside(realBaseOf(base), real)) return
  realBases.delete(base) // the base itself may have been moved or relinked since it was looked up
  const realBase = realBaseOf(base)
  if (isInside(realBase, real)) return
  throw new Error(
    `[smart-cache] atomicFsDriver: refused to write in ${dir}: it resolves to ${real}, outside ${realBase} (a symbolic link?). ` +
      'Fix: remove the link, and keep the cache folder writable only by trusted processes.',
  )
}

/**
 * Creates `dir` one folder at a time below `base` (`mkdir -p` would follow a link planted on the
 * way and create folders wherever it points), stopping at the first that resolves outside `base`.
 * Returns the real path of the last folder reached: `dir`'s, or the one outside.
 */
async function createInside(base: string, dir: string): Promise<string> {
  await mkdir(base, { recursive: true })
  let real = realpathSync.native(base)
  realBases.set(base, real)
  const realBase = real
  let at = base
  for (const part of relative(base, dir).split(sep).filter(Boolean)) {
    if (!isInside(realBase, real)) return real
    at = join(at, part)
    await mkdir(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
    })
    real = realpathSync.native(at)
  }
  return real
}

function existingRealPath(dir: string): string | undefined {
  try {
    return realpathSync.native(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

function realBaseOf(base: string): string {
  let real = realBases.get(base)
  if (real === undefined) {
    if (realBases.size > 1000) realBases.clear()
    real = realpathSync.native(base)
    realBases.set(base, real)
  }
  return real
}

function isInside(realBase: string, real: string): boolean {
  const rel = relative(realBase, real)
  return !rel.startsWith('..') && !isAbsolute(rel)
}
