import { mkdir, realpath } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'

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

/**
 * Creates `dir` if needed and checks that, symbolic links resolved, it is inside `base`: a link planted
 * in a shared cache folder cannot make a writer put files elsewhere. Throws a `[smart-cache]` error.
 */
export async function ensureDirInside(base: string, dir: string): Promise<void> {
  const real = await realpath(dir).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
    await mkdir(dir, { recursive: true })
    return realpath(dir)
  })
  const realBase = await realpath(base)
  const rel = relative(realBase, real)
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new Error(
      `[smart-cache] atomicFsDriver: refused to write in ${dir}: it resolves to ${real}, outside ${realBase} (a symbolic link?). ` +
        'Fix: remove the link, and keep the cache folder writable only by trusted processes.',
    )
  }
}
