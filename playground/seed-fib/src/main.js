// One process: cached fib(N) (and, with --uncached, the naive one); prints one JSON line.
import { ready } from 'smart-cache'
import { badFib, fib } from './fib.js'

const n = Number(process.env.FIB_N ?? 40)
const out = { n }
await ready() // load the WebAssembly hasher before timing, like an import
let start = performance.now()
out.cached = await fib(n)
out.cachedMs = performance.now() - start
out.computed = fib.stats.misses
if (process.argv.includes('--uncached')) {
  start = performance.now()
  out.uncached = badFib(n)
  out.uncachedMs = performance.now() - start
}
console.log(JSON.stringify(out))
