// Issue 17, item 7: a function declaration marked 'use smart-cache' stays the user's own function,
// without members; cacheOf(fn) reaches its .stats, .fingerprint, .clear()… through the plugin's
// registration. Built with esbuild and with webpack in production mode (minified names), run in Node.
import { execFileSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { bundle, type Bundler } from './helpers/bundle.ts'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'

const files = {
  'src/fib.js': `export async function fib(n) {
  'use smart-cache'
  globalThis.computed = (globalThis.computed ?? 0) + 1
  return n < 2 ? n : (await fib(n - 1)) + (await fib(n - 2))
}

export function square(x) {
  'use smart-cache'
  globalThis.squared = (globalThis.squared ?? 0) + 1
  return x * x
}

export function plain(x) {
  globalThis.plainCalls = (globalThis.plainCalls ?? 0) + 1
  return x
}
`,
  'src/main.js': `import { cacheOf, settled } from 'smart-cache'
import { fib, plain, square } from './fib.js'

const g = globalThis
const before = { misses: cacheOf(fib).stats.misses, computed: g.computed ?? 0 }
const first = await fib(10)
const afterFirst = { misses: cacheOf(fib).stats.misses, computed: g.computed }
await settled()
await cacheOf(fib).clear()
const second = await fib(10)
const sq = [square(3), square(3), await cacheOf(square).peek(3)]
let refused = ''
try {
  cacheOf(plain)
} catch (error) {
  refused = error.message
}
console.log(JSON.stringify({
  before, first, afterFirst, second, computedAfterClear: g.computed,
  id: cacheOf(fib).id, fingerprint: cacheOf(fib).fingerprint, same: cacheOf(cacheOf(fib)) === cacheOf(fib),
  isOwnFunction: typeof fib.stats, sq, squareStats: { ...cacheOf(square).stats },
  refused, plainCalls: g.plainCalls ?? 0,
}))
`,
}

const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))

describe.each<Bundler>(['esbuild', 'webpack'])('%s', bundler => {
  it("cacheOf(fn) gives the members of a declaration marked 'use smart-cache', and refuses a plain function without calling it", async () => {
    const project = createTempProject(`cache-of-${bundler}`, { files })
    projects.push(project)
    const { file } = await bundle(bundler, project.dir)
    const out = execFileSync(process.execPath, [file], {
      cwd: project.dir,
      env: { ...process.env, SMART_CACHE_DIR: project.path('.values') },
      encoding: 'utf8',
    })
    const r = JSON.parse(out.trim().split('\n').pop()!)
    expect(r.before).toEqual({ misses: 0, computed: 0 }) // reading the members computed nothing
    expect([r.first, r.second]).toEqual([55, 55])
    expect(r.afterFirst).toEqual({ misses: 11, computed: 11 }) // fib(0..10) once each: recursion goes through the cache
    expect(r.computedAfterClear).toBe(22) // clear() forgot memory and storage: all computed again
    expect(r.id).toBe('src/fib.js#fib')
    expect(r.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(r.same).toBe(true)
    expect(r.isOwnFunction).toBe('undefined') // the declaration itself has no members
    expect(r.sq).toEqual([9, 9, 9])
    expect(r.squareStats).toMatchObject({ misses: 1, hits: 1 })
    expect(r.refused).toMatch(/^\[smart-cache\] cacheOf\(a function \(plain\)\): not a cached function\..*Fix:/)
    expect(r.plainCalls).toBe(0)
  })
})
