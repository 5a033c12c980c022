import { readdirSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/**
 * The most recently written other file in `file`'s folder whose name `accept` takes (the cache
 * files of another root: a checkout at another path reuses them); `undefined` when there is none
 * or the folder cannot be read.
 */
export function newestSibling(file: string, accept: (name: string, dir: string) => boolean): string | undefined {
  try {
    const dir = dirname(file)
    const own = basename(file)
    let best: { path: string; mtime: number } | undefined
    for (const name of readdirSync(dir)) {
      if (name === own || !accept(name, dir)) continue
      const path = join(dir, name)
      const mtime = statSync(path).mtimeMs
      if (!best || mtime > best.mtime) best = { path, mtime }
    }
    return best?.path
  } catch {
    return undefined
  }
}
