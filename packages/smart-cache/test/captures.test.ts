import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { KeyError, smartCache, type CacheMeta } from '../src/node.ts'
import { FP, isolate } from './helpers.ts'

/** What the plugin appends to `smartCache(async (x) => x * k)` inside `scale(k)`. */
function scaleMeta(values: () => unknown[]): CacheMeta {
  return { __smartCache: 1, id: 'src/s.ts#scale', fingerprint: FP('5'), captures: { names: ['k'], at: ['src/s.ts:1:60'], values } }
}

describe('captured variables (issue 13)', () => {
  const { warnings } = isolate()

  it('keys the values of captured variables: closures of one function do not share entries, in memory or in storage', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    let computed = 0
    const scale = (k: number, memory?: false) =>
      smartCache(
        async (x: number) => {
          computed++
          return x * k
        },
        { storage, memory },
        scaleMeta(() => [k]),
      )
    expect(await scale(2)(5)).toBe(10)
    expect(await scale(3)(5)).toBe(15)
    expect(computed).toBe(2)
    // a later process: storage only
    expect(await scale(3, false)(5)).toBe(15)
    expect(await scale(2, false)(5)).toBe(10)
    expect(computed).toBe(2)
  })

  it('reads captured values at each call, as the closure does', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    let k = 1
    const times = smartCache(
      async (x: number) => x * k,
      { storage },
      scaleMeta(() => [k]),
    )
    expect(await times(4)).toBe(4)
    k = 7
    expect(await times(4)).toBe(28)
    k = 1
    expect(await times(4)).toBe(4)
    expect(times.stats).toMatchObject({ hits: 1, misses: 2 })
  })

  it('keys captured objects canonically, and names a captured value that cannot be hashed, with where it is read', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    let config: unknown = { b: 1, a: [1, 2] }
    const f = smartCache(
      async (x: number) => x,
      { storage },
      { ...scaleMeta(() => [config]), captures: { names: ['config'], at: ['src/s.ts:4:20'], values: () => [config] } },
    )
    expect(await f(1)).toBe(1)
    config = { a: [1, 2], b: 1 }
    expect(await f(1)).toBe(1)
    expect(f.stats.misses).toBe(1)
    config = { session: new (class Session {})() }
    const error = await f(1).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeyError)
    expect((error as Error).message).toMatch(
      /^\[smart-cache\] cannot key captured variable config\.session \(read at src\/s\.ts:4:20\) of src\/s\.ts#scale: a class instance \(Session\) has no .*Fix: /,
    )
  })

  it('without the plugin, warns once when two closures with the same source are cached under one id', async () => {
    warnings()
    const storage = createStorage({ driver: memoryDriver() })
    const scale = (k: number) => smartCache(async (x: number) => x * k, { storage, name: 'scale' })
    const a = scale(2)
    expect(warnings()).toEqual([])
    scale(3)
    scale(4)
    expect(warnings().filter(w => w.includes('two different functions with the same source'))).toHaveLength(1)
    expect(warnings().find(w => w.includes('two different functions'))).toMatch(/^\[smart-cache\] scale: .*Fix: add unplugin-smart-cache/)
    // the same function wrapped twice is not a closure problem
    warnings().length = 0
    smartCache(a, { storage, name: 'again' })
    smartCache(a, { storage, name: 'again' })
    expect(warnings().some(w => w.includes('again:'))).toBe(false)
  })
})
