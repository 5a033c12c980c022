import type { SmartCache } from './core/browser-types.ts'
import { setDefaultStorageProvider } from './core/defaults.ts'
import { smartCache as runtime } from './core/smart-cache.ts'
import { createDefaultStorage, describeDefaultStorage } from './storage/browser.ts'

setDefaultStorageProvider({ create: createDefaultStorage, describe: describeDefaultStorage })

export * from './index.ts'
export type { CachedFunction, SmartCacheDecorator } from './core/browser-types.ts'

/** Persistent memoization (browser typing: cached functions return Promises; see {@link CachedFunction}). */
export const smartCache: SmartCache = runtime as SmartCache
