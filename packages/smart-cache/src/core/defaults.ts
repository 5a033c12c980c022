import type { Driver, Storage } from 'unstorage'
import { driverStorage } from '../storage/driver-storage.ts'

/** Installed by the `node` or `browser` entry (chosen by package.json export conditions). */
export interface DefaultStorageProvider {
  create(): Storage
  describe(): string
}

let provider: DefaultStorageProvider | undefined
let instance: Storage | undefined

export function setDefaultStorageProvider(next: DefaultStorageProvider): void {
  provider = next
}

/** The lazily created process-wide default storage. */
export function getDefaultStorage(): Storage {
  if (!provider) throw new Error('[smart-cache] no default storage for this platform. Fix: pass options.storage or configure({ storage }).')
  instance ??= provider.create()
  return instance
}

export function describeDefaultStorage(): string {
  return provider?.describe() ?? 'no default storage'
}

let fromDriver: (driver: Driver) => Storage = driverStorage

/**
 * How a driver passed as `storage` becomes a storage: the Node entries install unstorage's
 * `createStorage`; elsewhere (browsers) {@link driverStorage}, which keeps unstorage's
 * `createStorage` out of the browser bundle.
 */
export function setDriverStorage(next: (driver: Driver) => Storage): void {
  fromDriver = next
}

/** A storage over `driver` (see {@link setDriverStorage}). */
export function storageOfDriver(driver: Driver): Storage {
  return fromDriver(driver)
}

let adopt: (storage: Storage) => Storage = storage => storage

/** Called with every storage given as an option (the Node entries quiet a Redis client's error events there). */
export function setStorageHook(hook: (storage: Storage) => Storage): void {
  adopt = hook
}

/** `storage`, seen by the hook of {@link setStorageHook}. */
export function adoptStorage(storage: Storage): Storage {
  return adopt(storage)
}

/** Test helper: drop the default instance so the next call re-reads SMART_CACHE_DIR. */
export function resetDefaultStorage(): void {
  instance = undefined
}
