import { describeValue } from './config.ts'
import type { CachedMembers } from './smart-cache.ts'

type AnyFunction = (...args: any[]) => any

/**
 * `cacheOf(fn)`: the members of a cached function, also for a declaration
 * marked `'use smart-cache'`, which stays the user's own function (the plugin replaces its body
 * with a call of the cached function, created on first call).
 *
 * - The plugin's rewrite registers each such top-level declaration in a WeakSet on `globalThis`
 *   (`Symbol.for('smart-cache.directives')`: the rewritten module need not import anything for it).
 * - To reach the cached function behind a registered declaration without computing anything,
 *   `cacheOf` calls the declaration with the shared probe object as `this`: the declaration's body
 *   forwards `this` to the cached function, which then hands itself over instead of running.
 */
const DIRECTIVES = Symbol.for('smart-cache.directives')
const PROBE = Symbol.for('smart-cache.probe')

/** The probe object, one for every copy of the runtime. */
export interface Probe {
  found: unknown
}

export const probe: Probe = ((globalThis as Record<symbol, Probe | undefined>)[PROBE] ??= { found: undefined })

const cachedFunctions = new WeakSet<object>()

/** Called for every function `smartCache` returns. */
export function markCached(fn: object): void {
  cachedFunctions.add(fn)
}

/**
 * The members (`.stats`, `.fingerprint`, `.id`, `.clear()`, `.peek()`, `.refresh()`) of a cached
 * function: one made by `smartCache(fn)`, or a top-level function declaration marked
 * `'use smart-cache'` in a module built with the plugin (or run with the Node loader).
 * Throws a `[smart-cache]` TypeError for anything else. Never calls the function's code.
 */
export function cacheOf<F extends AnyFunction>(fn: F): CachedMembers<F> {
  if (cachedFunctions.has(fn)) return fn as unknown as CachedMembers<F>
  const marked = (globalThis as Record<symbol, WeakSet<object> | undefined>)[DIRECTIVES]
  if (typeof fn === 'function' && marked?.has(fn)) {
    probe.found = undefined
    try {
      void fn.call(probe) // an async declaration returns a Promise of undefined
      if (probe.found) return probe.found as CachedMembers<F>
    } finally {
      probe.found = undefined
    }
  }
  throw new TypeError(
    `[smart-cache] cacheOf(${describeValue(fn)}): not a cached function. cacheOf gives the members of a function made by smartCache(fn), ` +
      "or of a top-level function declaration marked 'use smart-cache' in a module built with the plugin (or run with the Node loader, node --import smart-cache/register). " +
      'Fix: pass such a function; without the plugin the directive does nothing, so wrap the function with smartCache(fn) instead.',
  )
}
