import { smartCache } from 'smart-cache'
import { escapeTime, primesUpTo } from './math.ts'

/** Share of a `size`×`size` grid over [-2, 1]×[-1.5, 1.5] inside the Mandelbrot set. */
export const mandelbrotArea = smartCache(async (size: number, maxIter: number) => {
  let inside = 0
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (escapeTime(-2 + (3 * col) / size, -1.5 + (3 * row) / size, maxIter) === maxIter) inside++
    }
  }
  return (9 * inside) / (size * size)
})

/** How many primes are <= n, with the last one. */
export const primeCount = smartCache(async (n: number) => {
  const primes = primesUpTo(n)
  return { count: primes.length, last: primes[primes.length - 1]! }
})
