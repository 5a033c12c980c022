import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import { blake3 } from '../hash.ts'
import { pathStates, type PathState } from './facts.ts'

/**
 * What a path held, beside its stamp: for a file the BLAKE3 of its bytes (the hash the engine
 * already computes for every file it reads), for a folder `d:` and the BLAKE3 of its sorted
 * entries (name, type, and a symlink's target: what a resolution in it can see). A stamp that
 * differs (a fresh checkout, a restored cache) proves nothing either way; equal content proves
 * that what was read then is there now. Call `initHash()` first.
 */
export type Content = string

/** Content of the file or folder at `abs` now, read as `kind` (`f` or `d`); `undefined` when unreadable. */
export function contentNow(abs: string, kind: 'f' | 'd'): Content | undefined {
  try {
    return kind === 'f' ? blake3(readFileSync(abs)) : `d:${blake3(listing(abs))}`
  } catch {
    return undefined
  }
}

/** A folder's entries, sorted: `name type [target]` per line (the same bytes on every platform). */
function listing(dir: string): string {
  const lines: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const type = e.isSymbolicLink() ? `l ${readlinkSync(join(dir, e.name))}` : e.isDirectory() ? 'd' : e.isFile() ? 'f' : 'o'
    lines.push(`${e.name}\0${type}`)
  }
  return lines.sort().join('\n')
}

/**
 * The content of a path a resolution consulted, when it provably has not changed since: read
 * now, then stamped again; only a state that was old when recorded (not `?`, not `-`) and is the
 * same after the read proves that what was read is what the resolution saw (any write since would
 * have moved mtime or ctime, which no tool sets back). `undefined` otherwise.
 */
export function consultedContent(abs: string, recorded: PathState): Content | undefined {
  const kind = recorded[0]
  if (kind !== 'f' && kind !== 'd') return undefined
  const content = contentNow(abs, kind)
  return content !== undefined && pathStates(abs).state === recorded ? content : undefined
}
