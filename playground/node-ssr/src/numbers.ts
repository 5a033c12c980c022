import { smartCache } from 'smart-cache'
import { collatzLength, primesUpTo } from './math.ts'

/** The start below `limit` with the longest Collatz chain, and its length. */
export const longestCollatz = smartCache(async (limit: number) => {
  let best = { start: 1, length: 1 }
  for (let start = 1; start < limit; start++) {
    const length = collatzLength(start)
    if (length > best.length) best = { start, length }
  }
  return best
})

/** The largest gap between consecutive primes up to `limit`. */
export const largestPrimeGap = smartCache(async (limit: number) => {
  const primes = primesUpTo(limit)
  let best = { after: 2, gap: 1 }
  for (let i = 1; i < primes.length; i++) {
    const gap = primes[i]! - primes[i - 1]!
    if (gap > best.gap) best = { after: primes[i - 1]!, gap }
  }
  return best
})
