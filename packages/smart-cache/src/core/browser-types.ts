import type { CacheMeta } from './meta.ts'
import type { CachedMembers, SmartCacheOptions } from './smart-cache.ts'

type AnyFunction = (...args: any[]) => any

/**
 * What `smartCache(fn)` returns in browsers: a function returning a Promise of `fn`'s
 * result. The browser store (IndexedDB) is read asynchronously only, so a synchronous `fn` cannot
 * stay synchronous there: the plugin fails the build, and the runtime's first call throws
 * `SyncStoreError` (unless `options.storage` is unstorage's memory driver). Make such functions `async`.
 */
export interface CachedFunction<F extends AnyFunction> extends CachedMembers<F> {
  (...args: Parameters<F>): Promise<Awaited<ReturnType<F>>>
}

/** Standard method decorator returned by `smartCache(options?)` (browser typing). */
export type SmartCacheDecorator = <M extends AnyFunction>(method: M, context: ClassMethodDecoratorContext) => M & CachedFunction<M>

/** `smartCache` as the browser entry types it. */
export interface SmartCache {
  <F extends AnyFunction>(fn: F, options?: SmartCacheOptions<Parameters<F>>, meta?: CacheMeta): CachedFunction<F>
  <M extends AnyFunction>(method: M, context: ClassMethodDecoratorContext, meta?: CacheMeta): M & CachedFunction<M>
  (options?: SmartCacheOptions, meta?: CacheMeta): SmartCacheDecorator
}
