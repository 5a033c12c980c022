export {
  smartCache,
  ready,
  settled,
  SyncStoreError,
  type CachedFunction,
  type CachedMembers,
  type SmartCacheOptions,
  type SmartCacheDecorator,
} from './core/smart-cache.ts'
export { cacheOf } from './core/cache-of.ts'
export { configure, type SharedOptions, type CacheMode } from './core/config.ts'
export { cacheKey } from './core/arg-encoder.ts'
export { hashArgs } from './core/arg-keys.ts'
export { KeyError } from './core/key-error.ts'
export { isCacheMeta, type CacheMeta, type Captures } from './core/meta.ts'
export type { CacheStats } from './core/stats.ts'
export { inspectCache, type CacheInspection, type CachedEntryInfo } from './inspect.ts'
