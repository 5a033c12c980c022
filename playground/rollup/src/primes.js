import { smartCache } from 'smart-cache'
import { sieve } from './lib/sieve.js'

/** How many primes are <= n. */
export const countPrimes = smartCache(async n => {
  const composite = sieve(n)
  let count = 0
  for (let i = 2; i <= n; i++) if (!composite[i]) count++
  return count
})

/** How many twin-prime pairs (p, p + 2) have p + 2 <= n. */
export const twinPrimes = smartCache(async n => {
  const composite = sieve(n)
  let pairs = 0
  for (let i = 2; i + 2 <= n; i++) if (!composite[i] && !composite[i + 2]) pairs++
  return pairs
})
