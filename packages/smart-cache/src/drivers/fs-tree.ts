import { promises as fsp } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { TMP_SUFFIX } from './fs-temp.ts'

/**
 * Listing and deleting inside the driver's folder without ever following a symbolic link:
 * a folder of the layout replaced by a link to somewhere else (a home folder, `/`) is neither
 * listed nor deleted through. `base` itself may be a link (it is the user's choice); every folder
 * below it must be a real folder. Node has no `openat`/`unlinkat`, so each check is an `lstat` made
 * just before the listing or unlink it guards.
 */

/** `folder`: `dir` and every folder between `base` and it are real folders; else what is in the way. */
export type FolderState = 'folder' | 'missing' | 'link' | 'other'

export async function folderState(base: string, dir: string): Promise<FolderState> {
  const parts = relative(base, dir).split(sep).filter(Boolean)
  let path = base
  for (const part of ['', ...parts]) {
    path = part ? join(path, part) : path
    const stat = await (part ? fsp.lstat(path) : fsp.stat(path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined
      throw error
    })
    if (!stat) return 'missing'
    if (stat.isSymbolicLink()) return 'link'
    if (!stat.isDirectory()) return 'other'
  }
  return 'folder'
}

/**
 * Every name under `dir` that is not a folder (regular files, and also FIFOs, sockets, devices and
 * links, so that they can be listed and removed), as path segments, sorted; temp files excluded
 * (`temps: true` lists only them). Links to folders are names, never descended into.
 */
export async function walk(base: string, dir: string, { temps = false } = {}): Promise<string[][]> {
  if ((await folderState(base, dir)) !== 'folder') return []
  return walkFrom(dir, temps)
}

async function walkFrom(dir: string, temps: boolean): Promise<string[][]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return []
    throw error
  })
  const out: string[][] = []
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!entry.isDirectory()) {
      if (entry.name.endsWith(TMP_SUFFIX) === temps) out.push([entry.name])
    } else if (await isRealFolder(join(dir, entry.name))) {
      for (const sub of await walkFrom(join(dir, entry.name), temps)) out.push([entry.name, ...sub])
    }
  }
  return out
}

async function isRealFolder(path: string): Promise<boolean> {
  const stat = await fsp.lstat(path).catch(() => undefined)
  return stat !== undefined && stat.isDirectory()
}

/**
 * Unlinks the file at `path` (a link is removed itself, never its target; a folder is refused by
 * `unlink`), after checking that no folder between `base` and it is a link. Missing files are fine.
 */
export async function removeFile(base: string, path: string): Promise<void> {
  const state = await folderState(base, dirname(path))
  if (state === 'missing') return
  if (state !== 'folder') {
    throw new Error(
      `[smart-cache] atomicFsDriver: refused to delete ${path}: a folder on its path is ${state === 'link' ? 'a symbolic link' : 'not a folder'}, ` +
        'so the file may be outside the cache folder. Fix: remove the link, and keep the cache folder writable only by trusted processes.',
    )
  }
  await fsp.unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
}
