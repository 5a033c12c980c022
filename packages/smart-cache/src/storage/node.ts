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
 * `SMART_CACHE_MAX_STORE_SIZE` (bytes, or with a KB/MB/GB suffix) sets its disk budget (`maxStoreSize`).
 */
export function createDefaultStorage(dir: string = defaultCacheDir(), { touchAfter }: { touchAfter?: number | false } = {}): Storage {
  return createStorage({ driver: atomicFsDriver({ base: dir, touchAfter, maxStoreSize: envStoreSize() }) })
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }

/** `SMART_CACHE_MAX_STORE_SIZE`, in bytes; a value that is not a size is a `[smart-cache]` error naming it. */
function envStoreSize(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.SMART_CACHE_MAX_STORE_SIZE?.trim()
  if (!raw) return undefined
  const m = /^(\d+)\s*([kmg]?b)?$/i.exec(raw)
  if (!m) throw new TypeError(`[smart-cache] SMART_CACHE_MAX_STORE_SIZE="${raw}" is not a size. Fix: bytes, or a number with KB, MB or GB, e.g. 500MB.`)
  return Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()]!
}

/** Where the default storage lives, for messages. */
export function describeDefaultStorage(): string {
  return defaultCacheDir()
}
