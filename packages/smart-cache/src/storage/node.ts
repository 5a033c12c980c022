import { join, dirname } from 'node:path'
import process from 'node:process'
import { up } from 'empathic/package'
import { createStorage, type Storage } from 'unstorage'
import { atomicFsDriver } from '../drivers/fs.ts'

/**
 * The Node default folder: `SMART_CACHE_DIR`, else `<nearest folder with a package.json above
 * cwd>/node_modules/.cache/smart-cache/values` (cwd itself when there is none).
 */
export function defaultCacheDir(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  if (env.SMART_CACHE_DIR) return env.SMART_CACHE_DIR
  const pkg = up({ cwd })
  return join(pkg ? dirname(pkg) : cwd, 'node_modules', '.cache', 'smart-cache', 'values')
}

/**
 * The Node default storage: unstorage over the atomic filesystem driver. `touchAfter: false`
 * opens it for inspection, so that reading an entry does not count as using it.
 */
export function createDefaultStorage(dir: string = defaultCacheDir(), { touchAfter }: { touchAfter?: number | false } = {}): Storage {
  return createStorage({ driver: atomicFsDriver({ base: dir, touchAfter }) })
}

/** Where the default storage lives, for messages. */
export function describeDefaultStorage(): string {
  return defaultCacheDir()
}
