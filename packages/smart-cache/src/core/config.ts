import type { Driver, Storage } from 'unstorage'
import { adoptStorage, storageOfDriver } from './defaults.ts'
import type { SecurityOptions } from './security.ts'

/** `SMART_CACHE` / `options.mode`: `off` bypasses the cache, `readonly` never writes, `refresh` recomputes and overwrites. */
export type CacheMode = 'on' | 'off' | 'readonly' | 'refresh'

/** Options shared by `configure()` and `smartCache()`. */
export interface SharedOptions extends SecurityOptions {
  /**
   * Where entries are kept: any unstorage instance or driver (e.g. `unstorage/drivers/redis`).
   * @default Node: atomic files under `<project>/node_modules/.cache/smart-cache/values` (or `SMART_CACHE_DIR`); browsers: IndexedDB
   */
  storage?: Storage | Driver
  /**
   * Age in milliseconds after which an entry is stale (recomputed, or served once more with `swr`).
   * @default Infinity
   */
  maxAge?: number
  /**
   * Serve a stale entry at once and recompute it in the background.
   * @default false
   */
  swr?: boolean
  /**
   * Size of the in-memory tier in entries (per function), or `false` to read storage every time.
   * Memory hits return the same object each time: treat results as immutable.
   * @default 1000
   */
  memory?: number | false
  /**
   * Bytes of results (encoded size) the in-memory tier keeps per function; results larger than
   * this, or than `maxEntrySize`, are not kept in memory.
   * @default 33_554_432 (32 MiB)
   */
  memoryBytes?: number
  /**
   * Also cache errors thrown by the function (stored as name, message, stack, code; rethrown as `Error`).
   * @default false
   */
  cacheErrors?: boolean
  /**
   * Cache mode; the `SMART_CACHE` environment variable (`off|readonly|refresh`) overrides it. `refresh` never reads storage (results computed in this process are still reused from memory).
   * @default 'on'
   */
  mode?: CacheMode
  /**
   * Milliseconds before a storage read or write is given up (the function then computes).
   * @default 5000
   */
  timeout?: number
}

const MODES = new Set<CacheMode>(['on', 'off', 'readonly', 'refresh'])
let globalOptions: SharedOptions = {}

/** The names of {@link SharedOptions}. */
export const SHARED_OPTION_NAMES = [
  'storage',
  'maxAge',
  'swr',
  'memory',
  'memoryBytes',
  'cacheErrors',
  'mode',
  'timeout',
  'secret',
  'maxEntrySize',
] as const

/** A misspelt option name's ` Did you mean "maxAge"?`, else `''` (see {@link setOptionSuggester}). */
export type OptionSuggester = (name: string, known: readonly string[]) => string

let suggest: OptionSuggester = () => ''

/**
 * Installed by the Node entries (`did-you-mean.ts`). The browser build leaves it out to stay small:
 * its message for an unknown option names every known option instead of the closest one.
 */
export function setOptionSuggester(next: OptionSuggester): void {
  suggest = next
}

/**
 * `options` must be a plain object whose keys are all in `known`: anything else is a `[smart-cache]`
 * TypeError naming `where`, what was passed, the known names and, in Node, the closest one to a misspelt key.
 */
export function checkOptionNames(options: unknown, known: readonly string[], where: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `[smart-cache] ${where}: options must be an object, got ${describeValue(options)}. Fix: pass { ${known.slice(0, 3).join(', ')}, … } or nothing.`,
    )
  }
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      throw new TypeError(`[smart-cache] ${where}: unknown option "${name}".${suggest(name, known)} Known options: ${known.join(', ')}.`)
    }
  }
}

/** A short description of any value for messages: `undefined`, `a number (5)`, `an array`, `a Foo instance`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value)
    if (proto === null || proto === Object.prototype) return `an object with keys { ${Object.keys(value).join(', ')} }`
    return `a ${proto?.constructor?.name ?? 'non-plain'} object`
  }
  return `a ${typeof value} (${typeof value === 'string' ? JSON.stringify(value) : String(value)})`
}

/** Sets process-wide defaults for every `smartCache` function not yet called. Returns the previous defaults. */
export function configure(options: SharedOptions): SharedOptions {
  checkOptionNames(options, SHARED_OPTION_NAMES, 'configure(options)')
  const previous = globalOptions
  if (options.mode !== undefined) checkMode(options.mode, 'configure({ mode })')
  globalOptions = { ...options }
  return previous
}

/** The current process-wide defaults. */
export function getGlobalOptions(): SharedOptions {
  return globalOptions
}

/** The mode from `SMART_CACHE`, if set; read through globalThis so browser bundles need no `process`. */
export function envMode(): CacheMode | undefined {
  const raw = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.SMART_CACHE
  if (!raw) return undefined
  return checkMode(raw.trim().toLowerCase() as CacheMode, 'SMART_CACHE')
}

function checkMode(mode: CacheMode, where: string): CacheMode {
  if (!MODES.has(mode)) {
    throw new TypeError(`[smart-cache] ${where}="${mode}" is not a mode. Fix: use one of on, off, readonly, refresh.`)
  }
  return mode
}

/** Accepts an unstorage instance or a bare driver (in Node a Redis client gets a silent 'error' listener: failures are reported once by the runtime). */
export function toStorage(storage: Storage | Driver): Storage {
  const instance =
    typeof (storage as Storage).getItemRaw === 'function' && typeof (storage as Storage).mount === 'function'
      ? (storage as Storage)
      : storageOfDriver(storage as Driver)
  return adoptStorage(instance)
}
