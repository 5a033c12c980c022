import { promises as fsp } from 'node:fs'
import { basename, join } from 'node:path'
import { isStale } from './fs-temp.ts'
import { removeFile, walk } from './fs-tree.ts'

/**
 * Temp files of interrupted writes anywhere under a store folder: a writer killed
 * mid-write leaves one, and the next writer sweeps only the folder it writes to. `smart-cache ls`
 * and `stats` count them; `prune` and `clear` remove the stale ones (their writer is gone, or they
 * are older than 10 minutes); a live writer's temp file is left to become its entry.
 */
export interface TempFiles {
  files: number
  bytes: number
  /** Of which stale: safe to remove. */
  stale: number
  staleBytes: number
}

/** Counts the temp files under `base` (never through a link). */
export async function countTempFiles(base: string, now = Date.now()): Promise<TempFiles> {
  const out: TempFiles = { files: 0, bytes: 0, stale: 0, staleBytes: 0 }
  for (const { path, size } of await tempFiles(base)) {
    out.files++
    out.bytes += size
    if (await isStale(path, basename(path), now)) {
      out.stale++
      out.staleBytes += size
    }
  }
  return out
}

/** Removes the stale temp files under `base` (never through a link); returns how many and their bytes. */
export async function removeStaleTempFiles(base: string, now = Date.now()): Promise<{ files: number; bytes: number }> {
  const out = { files: 0, bytes: 0 }
  for (const { path, size } of await tempFiles(base)) {
    if (!(await isStale(path, basename(path), now))) continue
    await removeFile(base, path)
    out.files++
    out.bytes += size
  }
  return out
}

async function tempFiles(base: string): Promise<Array<{ path: string; size: number }>> {
  const out: Array<{ path: string; size: number }> = []
  for (const parts of await walk(base, base, { temps: true })) {
    const path = join(base, ...parts)
    const stat = await fsp.lstat(path).catch(() => undefined)
    if (stat) out.push({ path, size: stat.size })
  }
  return out
}
