import { smartCache } from 'smart-cache'

/** The seed's `bad_fib`: naive and exponential, never cached. */
export function badFib(n) {
  return n < 2 ? n : badFib(n - 1) + badFib(n - 2)
}

/** The seed's `@smart_cache fib`: recursion goes through the cache, so a first run is O(n) and later runs O(1). */
export const fib = smartCache(async n => (n < 2 ? n : (await fib(n - 1)) + (await fib(n - 2))))
