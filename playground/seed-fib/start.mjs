// The seed's benchmark: naive fib(N) uncached, then the cached fib(N) in a first process and again
// in a second, new process. The cache goes to a fresh folder so the first run really computes.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dir = mkdtempSync(join(tmpdir(), 'smart-cache-seed-fib-'))
const env = { ...process.env, SMART_CACHE_DIR: dir }
const run = (...args) =>
  JSON.parse(
    execFileSync(process.execPath, [join(import.meta.dirname, 'dist/main.mjs'), ...args], { env, encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop(),
  )

try {
  const first = run('--uncached')
  const second = run()
  const ms = x => `${x.toFixed(2).padStart(10)}ms`
  const n = first.n
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ first, second }))
  } else {
    console.log(`total time uncached:                      ${ms(first.uncachedMs)}   naive fib(${n})`)
    console.log(`total time cached, first run:             ${ms(first.cachedMs)}   ${first.computed} calls computed`)
    console.log(`total time cached, second run (new proc): ${ms(second.cachedMs)}   ${second.computed} calls computed`)
    console.log(`difference: ${first.uncached - second.cached}   (fib(${n}) = ${second.cached})`)
    console.log(`second run vs uncached: ${Math.round(first.uncachedMs / second.cachedMs)}x faster`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
