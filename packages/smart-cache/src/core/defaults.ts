import type { Storage } from 'unstorage'

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

/** Test helper: drop the default instance so the next call re-reads SMART_CACHE_DIR. */
export function resetDefaultStorage(): void {
  instance = undefined
}
