import type { Driver, Storage, StorageValue } from 'unstorage'
import { base64ToBytes, bytesToBase64 } from '../core/base64.ts'

/**
 * One unstorage driver as the runtime's storage, without unstorage's `createStorage` (mounts,
 * watchers, snapshots, meta items: 8 kB of a browser bundle, for the few methods the runtime
 * calls). The browser build uses it for its default IndexedDB store and for a driver
 * passed as `storage`; an unstorage instance is used as given.
 *
 * Items are read and written exactly as `createStorage({ driver })` would (the same keys, the
 * same values), so either can read what the other wrote: keys are normalized as unstorage does,
 * and raw values go through the driver's raw methods, else as unstorage's `base64:` strings.
 * Methods the runtime does not call are absent; see {@link RuntimeStorage}.
 */
export function driverStorage(driver: Driver): Storage {
  const call = <T>(method: keyof Driver, ...args: unknown[]): Promise<T> =>
    Promise.resolve().then(() => (driver[method] as (...a: unknown[]) => T | Promise<T>)(...args))
  const store: RuntimeStorage = {
    hasItem: (key, opts = {}) => call('hasItem', itemKey(key), opts),
    getItemRaw: async (key, opts = {}) => {
      const k = itemKey(key)
      return driver.getItemRaw ? call('getItemRaw', k, opts) : fromRaw(await call('getItem', k, opts))
    },
    setItemRaw: async (key, value, opts = {}) => {
      const k = itemKey(key)
      if (value === undefined) await store.removeItem(k, opts)
      else if (driver.setItemRaw) await call('setItemRaw', k, value, opts)
      else if (driver.setItem) await call('setItem', k, toRaw(value), opts)
    },
    removeItem: async (key, opts = {}) => {
      if (driver.removeItem) await call('removeItem', itemKey(key), opts)
    },
    getKeys: async (base = '', opts = {}) => {
      const prefix = normalizeKey(base) ? `${normalizeKey(base)}:` : ''
      const keys = await call<string[]>('getKeys', prefix, opts)
      return keys.map(normalizeKey).filter(k => k.startsWith(prefix) && !k.endsWith('$'))
    },
    getMeta: async (key, opts = {}) => (driver.getMeta ? ((await call<object | null>('getMeta', itemKey(key), opts)) ?? {}) : {}),
    getMount: () => ({ base: '', driver }),
  }
  return store as unknown as Storage
}

/** The methods of unstorage's `Storage` the runtime calls. */
interface RuntimeStorage {
  hasItem(key: string, opts?: object): Promise<boolean>
  getItemRaw(key: string, opts?: object): Promise<unknown>
  setItemRaw(key: string, value: unknown, opts?: object): Promise<void>
  removeItem(key: string, opts?: object): Promise<void>
  getKeys(base?: string, opts?: object): Promise<string[]>
  getMeta(key: string, opts?: object): Promise<object>
  getMount(key?: string): { base: string; driver: Driver }
}

/** unstorage's `normalizeKey`: no query, `/` and `\` as `:`, no repeated, leading or trailing `:`. */
function normalizeKey(key: string): string {
  return (key.split('?')[0] ?? '').replace(/[/\\]/g, ':').replace(/:+/g, ':').replace(/^:|:$/g, '')
}

function itemKey(key: string): string {
  const k = normalizeKey(key)
  if (!k || k.split(':').some(s => s === '.' || s === '..')) throw new Error(`[unstorage] Invalid key: ${JSON.stringify(key)}`)
  return k
}

const BASE64 = 'base64:'

/** unstorage's `serializeRaw`, for drivers without raw methods. */
function toRaw(value: unknown): StorageValue {
  if (typeof value === 'string') return value
  return BASE64 + bytesToBase64(value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer))
}

/** unstorage's `deserializeRaw`. */
function fromRaw(value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith(BASE64)) return value
  return base64ToBytes(value.slice(BASE64.length))
}
