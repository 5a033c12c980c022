import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import process from 'node:process'
import { cache } from 'empathic/package'
import { createStorage, type Storage } from 'unstorage'
import { atomicFsDriver } from '../drivers/fs.ts'

/** The folder of the Node default store and the rule that chose it (printed by `smart-cache stats`). */
export interface CacheDirChoice {
  dir: string
  /** `SMART_CACHE_DIR`, `CACHE_DIR`, `nearest package.json: <folder>`, or `no writable package folder above <cwd>: user cache folder`. */
  rule: string
}

/**
 * Where the Node default store lives, by the rule of find-cache-dir (through empathic):
 * `SMART_CACHE_DIR`; else `node_modules/.cache/smart-cache/values` beside the nearest
 * `package.json` above `cwd` (or under `CACHE_DIR`) when that folder is writable; else the user
 * cache folder, `$XDG_CACHE_HOME/smart-cache/values` or `~/.cache/smart-cache/values`. Never a
 * `node_modules` made in a folder that is not a package.
 */
export function findCacheDir(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): CacheDirChoice {
  if (env.SMART_CACHE_DIR) return { dir: env.SMART_CACHE_DIR, rule: 'SMART_CACHE_DIR' }
  const project = cache('smart-cache', { cwd })
  if (project) {
    const fromEnv = process.env.CACHE_DIR && !/^(1|0|true|false)$/.test(process.env.CACHE_DIR)
    return { dir: join(project, 'values'), rule: fromEnv ? 'CACHE_DIR' : `nearest package.json: ${join(project, '..', '..', '..')}` }
  }
  const xdg = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(homedir(), '.cache')
  return { dir: join(xdg, 'smart-cache', 'values'), rule: `no writable package folder at or above ${cwd}: user cache folder` }
}

/** The Node default folder (see {@link findCacheDir}). */
export function defaultCacheDir(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  return findCacheDir(cwd, env).dir
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
  if (!m)
    throw new TypeError(
      `[smart-cache] SMART_CACHE_MAX_STORE_SIZE="${raw}" is not a size. Fix: bytes, or a number with KB, MB or GB, e.g. 500MB.`,
    )
  return Number(m[1]) * UNITS[(m[2] ?? '').toLowerCase()]!
}

/** Where the default storage lives, for messages. */
export function describeDefaultStorage(): string {
  return defaultCacheDir()
}
