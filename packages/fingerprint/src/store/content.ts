import { type Dirent, readdir, readdirSync, readFile, readFileSync, readlink, readlinkSync } from 'node:fs'
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

/**
 * `contentNow`, with the reads made off this thread (libuv's pool, several at once): only the
 * hashing stays here. A check of thousands of files then leaves the main thread to the bundler.
 */
export async function contentLater(abs: string, kind: 'f' | 'd'): Promise<Content | undefined> {
  try {
    if (kind === 'f') return blake3(await new Promise<Buffer>((ok, fail) => readFile(abs, (e, b) => (e ? fail(e) : ok(b)))))
    const entries = await new Promise<Dirent[]>((ok, fail) => readdir(abs, { withFileTypes: true }, (e, l) => (e ? fail(e) : ok(l))))
    const links = await Promise.all(
      entries.map(e =>
        e.isSymbolicLink()
          ? new Promise<string>((ok, fail) => readlink(join(abs, e.name), (err, t) => (err ? fail(err) : ok(t))))
          : undefined,
      ),
    )
    return `d:${blake3(listingOf(entries, i => links[i]!))}`
  } catch {
    return undefined
  }
}

/** A folder's entries, sorted: `name type [target]` per line (the same bytes on every platform). */
function listing(dir: string): string {
  return listingOf(readdirSync(dir, { withFileTypes: true }), (_, e) => readlinkSync(join(dir, e.name)))
}

function listingOf(entries: Dirent[], target: (i: number, e: Dirent) => string): string {
  const lines = entries.map((e, i) => {
    const type = e.isSymbolicLink() ? `l ${target(i, e)}` : e.isDirectory() ? 'd' : e.isFile() ? 'f' : 'o'
    return `${e.name}\0${type}`
  })
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
