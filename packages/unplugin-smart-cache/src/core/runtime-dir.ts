import { existsSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'

/** Folder of the `smart-cache` runtime package as seen from `root` (its own code is not the user's). */
export function runtimeDir(root: string): string | undefined {
  try {
    let dir = dirname(realpathSync(createRequire(join(root, 'package.json')).resolve('smart-cache')))
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
    return dir + sep
  } catch {
    return undefined
  }
}

/** Tells the runtime's own files (never scanned, never rewritten) from the user's. */
export class RuntimeFiles {
  private dir: string | undefined
  constructor(root: string) {
    this.dir = runtimeDir(root)
  }

  owns(abs: string): boolean {
    if (!this.dir) return false
    try {
      return realpathSync(abs).startsWith(this.dir)
    } catch {
      return false
    }
  }
}
