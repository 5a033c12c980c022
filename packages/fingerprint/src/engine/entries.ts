import { relative, resolve, sep } from 'node:path'
import { FingerprintError } from '../errors.ts'

/**
 * The absolute paths of `FingerprinterOptions.entries` (root-relative or absolute), sorted and
 * without repeats: the same entries, however spelled, are the same options.
 */
export function entryPaths(entries: unknown, root: string): string[] {
  if (entries === undefined) return []
  if (!Array.isArray(entries) || entries.some(e => typeof e !== 'string' || e === '')) {
    throw new FingerprintError(
      `createFingerprinter({ entries }) must be a list of file paths (root-relative or absolute), got ${JSON.stringify(entries)}.`,
    )
  }
  return [...new Set((entries as string[]).map(e => resolve(root, e)))].sort()
}

/** The entries as they identify the engine's options: root-relative, with `/` (no absolute path is stored in a name). */
export function entriesKey(paths: readonly string[], root: string): string {
  return paths.length === 0 ? '' : JSON.stringify(paths.map(p => relative(root, p).split(sep).join('/')))
}
