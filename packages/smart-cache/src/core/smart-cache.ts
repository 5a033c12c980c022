import { hashersSettled, loadHashers } from './blake3.ts'
import { markCached, probe } from './cache-of.ts'
import { CacheCore, type CoreOptions } from './cache-core.ts'
export { settled, SyncStoreError } from './cache-core.ts'
import { noteUnkeyedClosure } from './closures.ts'
import { checkOptionNames, describeValue, SHARED_OPTION_NAMES, type SharedOptions } from './config.ts'
import { sourceFingerprint, unfingerprinted } from './fingerprint.ts'
import { extractMeta, type CacheMeta } from './meta.ts'
import { createStats, type CacheStats } from './stats.ts'
import { warnOnce } from './warn.ts'

type AnyFunction = (...args: any[]) => any

/** Options of one cached function (plus everything {@link SharedOptions} has). */
export interface SmartCacheOptions<A extends unknown[] = any[]> extends SharedOptions {
  /**
   * Custom key: its return value (plain data) is hashed instead of the arguments.
   * @default undefined (the arguments themselves are hashed canonically)
   */
  key?: (...args: A) => unknown
  /**
   * Id used in stored entries and messages when the plugin does not provide one.
   * @default the function's name (`anonymous` if none)
   */
  name?: string
}

/** What `smartCache(fn)` returns. */
/**
 * What `smartCache(fn)` returns in Node: a function with `fn`'s signature. A function
 * that is not `async` stays synchronous: it returns its value (read from memory or, synchronously,
 * from the filesystem store), or throws `SyncStoreError` on a store read only asynchronously.
 */
export interface CachedFunction<F extends AnyFunction> extends CachedMembers<F> {
  (...args: Parameters<F>): ReturnType<F>
}

/** The members of a cached function (both typings). */
export interface CachedMembers<F extends AnyFunction> {
  /** `<file>#<binding>` from the plugin, else `options.name` or the function name. */
  readonly id: string
  /** 64 hex chars: from the plugin, else BLAKE3 of the function source. */
  readonly fingerprint: string
  /** Live counters. */
  readonly stats: CacheStats
  /** Forgets this function's entries (memory and storage). */
  clear(): Promise<void>
  /** The cached result for these arguments, or undefined; never computes. */
  peek(...args: Parameters<F>): Promise<Awaited<ReturnType<F>> | undefined>
  /** Recomputes, stores and returns the result for these arguments. */
  refresh(...args: Parameters<F>): Promise<Awaited<ReturnType<F>>>
}

/** Standard (TC39 / TypeScript 5) method decorator returned by `smartCache(options?)`. */
export type SmartCacheDecorator = <M extends AnyFunction>(method: M, context: ClassMethodDecoratorContext) => M & CachedFunction<M>

/**
 * Persistent memoization. Forms (a {@link CacheMeta} from the plugin may appear in any position):
 * - `smartCache(fn, options?)` → a cached function with `fn`'s signature: `async` stays `async`, a
 *   synchronous function stays synchronous (Node typing; see {@link CachedFunction}); `this` is
 *   passed through but is not part of the key, so use the decorator for methods that read `this`;
 * - `@smartCache` / `@smartCache(options?)` on class methods: for instance methods `this` is part of
 *   the key, so the class needs a `[cacheKey]()` method (static methods do not).
 */
export function smartCache<F extends AnyFunction>(fn: F, options?: SmartCacheOptions<Parameters<F>>, meta?: CacheMeta): CachedFunction<F>
export function smartCache<M extends AnyFunction>(method: M, context: ClassMethodDecoratorContext, meta?: CacheMeta): M & CachedFunction<M>
export function smartCache(options?: SmartCacheOptions, meta?: CacheMeta): SmartCacheDecorator
export function smartCache(...input: unknown[]): unknown {
  const { meta, rest } = extractMeta(input)
  const [first, second] = rest
  if (typeof first === 'function') {
    if (isMethodContext(second)) return decorate(first as AnyFunction, undefined, meta, second)
    return wrap(first as AnyFunction, checkOptions(second, 'smartCache(fn, options)'), meta)
  }
  // The plugin writes `@smartCache` as `smartCache(undefined, META)`: one argument with a meta is the decorator.
  if ((first === undefined || first === null) && (rest.length > 1 || (rest.length === 1 && !meta))) {
    throw new TypeError(
      `[smart-cache] smartCache(${String(first)}): expected the function to cache, smartCache(fn, options?), or options for the method decorator, @smartCache(options). ` +
        'A function that is still undefined here is often a circular import (the module that defines it has not run yet). Fix: pass a defined function.',
    )
  }
  const options = checkOptions(first, 'smartCache(options)')
  return (method: AnyFunction, context: ClassMethodDecoratorContext) => {
    if (typeof method !== 'function' || !isMethodContext(context)) {
      throw new TypeError(
        `[smart-cache] smartCache(options) returned a method decorator, which was called with ${describeValue(method)}. ` +
          'Fix: to cache a function write smartCache(fn, options); as a decorator write @smartCache(options) on a class method.',
      )
    }
    return decorate(method, options, meta, context)
  }
}

/** Resolves when hashing is ready: in Node once the WebAssembly BLAKE3 has loaded (or failed to), in browsers at once (BLAKE3 in JavaScript). `.fingerprint` is readable without it. */
export async function ready(): Promise<void> {
  await loadHashers()
}

function wrap<F extends AnyFunction>(fn: F, options: SmartCacheOptions, meta: CacheMeta | undefined): CachedFunction<F> {
  const id = meta?.id ?? options.name ?? (fn.name || 'anonymous')
  checkCacheable(fn, id)
  if (!meta) noteUnkeyedClosure(id, fn)
  const lazy = new LazyCore(fn, id, options, meta)
  return attach(entry(lazy, fn, meta, false), lazy, false, fn, meta) as unknown as CachedFunction<F>
}

/**
 * The function callers get: for an `async` function (or one the plugin saw declared
 * `async`), a Promise of the cached result, with in-flight de-duplication; for any other
 * function, the result as `fn` gives it (a value, or a Promise if it returns one), read
 * synchronously from memory or the store. `keyThis`: `this` is part of the key.
 */
function entry(lazy: LazyCore, fn: AnyFunction, meta: CacheMeta | undefined, keyThis: boolean): AnyFunction {
  if (meta?.async ?? isAsyncFunction(fn)) {
    const cached = function (this: unknown, ...args: unknown[]) {
      if (new.target) throw notConstructor(lazy.id)
      if (this === probe) return void (probe.found = cached) // cacheOf: hand over this function, compute nothing
      const self = keyThis ? this : undefined
      const core = lazy.core
      return core
        ? core.call(this, self, args)
        : lazy.load(args).then(
            c => c.call(this, self, args),
            e => uncached(lazy, e, fn, this, args),
          )
    }
    return cached
  }
  const cached = function (this: unknown, ...args: unknown[]) {
    if (new.target) throw notConstructor(lazy.id)
    if (this === probe) return void (probe.found = cached)
    return lazy.sync().callSync(this, keyThis ? this : undefined, args)
  }
  return cached
}

function isAsyncFunction(fn: AnyFunction): boolean {
  return Object.prototype.toString.call(fn) === '[object AsyncFunction]'
}

/** Generators and classes cannot be cached: their results are not values. */
function checkCacheable(fn: AnyFunction, id: string): void {
  const tag = Object.prototype.toString.call(fn)
  if (tag === '[object GeneratorFunction]' || tag === '[object AsyncGeneratorFunction]') {
    throw new TypeError(
      `[smart-cache] ${id} is a generator function: it returns an iterator, not a value, so it cannot be cached. ` +
        'Fix: cache a function that collects the values into an array and returns it.',
    )
  }
  if (/^class\b/.test(Function.prototype.toString.call(fn))) {
    throw new TypeError(
      `[smart-cache] ${id} is a class: a constructor's result is a new object each time, so it cannot be cached. Fix: cache a function that returns plain data.`,
    )
  }
}

function notConstructor(id: string): TypeError {
  return new TypeError(
    `[smart-cache] ${id} was called with \`new\`: a cached function is not a constructor (it returns a stored result, not a new object). Fix: call it without \`new\`, or do not cache it.`,
  )
}

function decorate(
  method: AnyFunction,
  options: SmartCacheOptions | undefined,
  meta: CacheMeta | undefined,
  context: ClassMethodDecoratorContext,
) {
  if (context.kind !== 'method') {
    throw new TypeError(
      `[smart-cache] @smartCache applies to class methods, not to the ${String(context.kind)} ${String(context.name)}. Fix: put it on a method, or use smartCache(fn) for plain functions.`,
    )
  }
  const id = meta?.id ?? options?.name ?? String(context.name)
  checkCacheable(method, id)
  if (!meta) noteUnkeyedClosure(id, method)
  const lazy = new LazyCore(method, id, options ?? {}, meta)
  return attach(entry(lazy, method, meta, !context.static), lazy, !context.static, method, meta)
}

/** The core could not be made (it never throws today): run uncached, warn once. */
function uncached(lazy: LazyCore, error: unknown, fn: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
  warnOnce('no-core', `[smart-cache] ${lazy.id}: ${error instanceof Error ? error.message : String(error)}; it runs uncached.`)
  return fn.apply(thisArg, args)
}

/** A typed array, DataView or ArrayBuffer over 64 KiB: hashed far faster by the WebAssembly BLAKE3. */
function isLargeBinary(value: unknown): boolean {
  return (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) && value.byteLength > 64 * 1024
}

/** Creates the {@link CacheCore} once BLAKE3 is loaded (the fallback fingerprint needs it). */
class LazyCore {
  core: CacheCore | undefined
  /** Readable before BLAKE3 has loaded; the core counts into it. */
  readonly stats: CacheStats = createStats()
  constructor(
    private readonly fn: AnyFunction,
    readonly id: string,
    private readonly options: SmartCacheOptions,
    private readonly meta: CacheMeta | undefined,
  ) {}

  /**
   * The core, without waiting for the WebAssembly BLAKE3 (small keys and entries are hashed in
   * JavaScript, faster for them) unless an argument is a large binary value, which it hashes far faster.
   */
  load(args?: readonly unknown[]): Promise<CacheCore> {
    if (this.core) return Promise.resolve(this.core)
    const wait = args !== undefined && !hashersSettled() && args.some(isLargeBinary)
    return (wait ? loadHashers() : Promise.resolve()).then(() => this.sync())
  }

  /** The core now; throws a clear error if BLAKE3 is still loading (see {@link ready}). */
  sync(): CacheCore {
    if (this.core) return this.core
    const fingerprint = this.meta
      ? (this.meta.fingerprint ?? unfingerprinted(this.id))
      : sourceFingerprint(this.fn, this.id, this.options.key)
    this.core = new CacheCore(this.id, fingerprint, this.fn, this.options as CoreOptions, this.stats, this.meta?.captures)
    return this.core
  }
}

/** The members of a cached function, and the `length` and `name` of the function it caches. */
function attach(target: AnyFunction, lazy: LazyCore, keyThis: boolean, fn: AnyFunction, meta: CacheMeta | undefined) {
  markCached(target)
  Object.defineProperties(target, {
    length: { value: fn.length, configurable: true },
    name: { value: fn.name || meta?.name || '', configurable: true },
    id: { value: lazy.id, enumerable: true },
    fingerprint: { get: () => lazy.sync().fingerprint, enumerable: true },
    stats: { value: lazy.stats, enumerable: true },
    clear: { value: () => lazy.load().then(core => core.clear()) },
    peek: {
      value: function (this: unknown, ...args: unknown[]) {
        return lazy.load().then(core => core.peek(keyThis ? this : undefined, args))
      },
    },
    refresh: {
      value: function (this: unknown, ...args: unknown[]) {
        return lazy.load().then(core => core.refresh(this, keyThis ? this : undefined, args))
      },
    },
  })
  return target
}

/** A standard decorator context (any kind; `decorate` rejects kinds other than `method`). */
function isMethodContext(value: unknown): value is ClassMethodDecoratorContext {
  return typeof value === 'object' && value !== null && 'kind' in value && 'name' in value && 'addInitializer' in value
}

const OPTION_NAMES = [...SHARED_OPTION_NAMES, 'key', 'name']

/** Options of `smartCache`: nothing, or a plain object of known options (a misspelt name gets a "did you mean"). */
function checkOptions(value: unknown, where: string): SmartCacheOptions {
  if (value === undefined || value === null) return {}
  checkOptionNames(value, OPTION_NAMES, where)
  return value as SmartCacheOptions
}
