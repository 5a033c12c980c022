import { countPrimes, twinPrimes } from './primes.js'
import { print, timed } from './report.js'

const N = 40_000_000
print([await timed('countPrimes', countPrimes, N), await timed('twinPrimes', twinPrimes, N)])
