// cacheOf(fn) (issue 17, item 7), at unit level: the plugin's output for a declaration marked
// 'use smart-cache' is written here by hand (tests/plugin-cache-of.test.ts builds it for real).
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { cacheOf, smartCache } from '../src/node.ts'
import { FP, isolate, meta } from './helpers.ts'

describe('cacheOf', () => {
  isolate()

  it('gives the members of a registered declaration without running it, and of smartCache(fn) itself', async () => {
    let computed = 0
    const inner = async (n: number) => {
      computed++
      return 2 * n
    }
    let slot: typeof inner | undefined
    // What the plugin makes of `async function twice(n) { 'use smart-cache'; … }` at the top level.
    async function twice(this: unknown, ...args: [number]): Promise<number> {
      slot ||= smartCache(inner, { storage: memoryDriver() }, meta('src/t.ts#twice', FP('c')))
      return slot.apply(this, args)
    }
    const key = Symbol.for('smart-cache.directives')
    const g = globalThis as Record<symbol, WeakSet<object> | undefined>
    ;(g[key] ||= new WeakSet()).add(twice)
    const members = cacheOf(twice)
    expect(computed).toBe(0)
    expect([members.id, members.fingerprint, members.stats.misses]).toEqual(['src/t.ts#twice', FP('c'), 0])
    expect(await twice(4)).toBe(8)
    expect(await twice(4)).toBe(8)
    expect(cacheOf(twice).stats).toMatchObject({ misses: 1, hits: 1 })
    expect(computed).toBe(1)
    const direct = smartCache(async (n: number) => n, { storage: undefined })
    expect(cacheOf(direct)).toBe(direct)
  })

  it('refuses anything else, naming it, without calling it', () => {
    let calls = 0
    const plain = () => calls++
    expect(() => cacheOf(plain)).toThrow(/^\[smart-cache\] cacheOf\(a function \(plain\)\): not a cached function\..*Fix:/)
    expect(() => cacheOf({} as never)).toThrow(/^\[smart-cache\] cacheOf\(an object with keys \{  \}\)/)
    expect(calls).toBe(0)
  })
})
