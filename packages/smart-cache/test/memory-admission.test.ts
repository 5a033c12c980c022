// Issue 18: a result read from the store enters the memory tier on its second read in a process,
// not its first (a value read once is not retained); computed results enter it at once.
import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { settled, smartCache } from '../src/node.ts'
import { FP, isolate, meta } from './helpers.ts'

/** A memory store that counts raw reads. */
function countingStore() {
  const driver = memoryDriver()
  const counted = { ...driver, reads: 0 }
  const getItemRaw = driver.getItemRaw!.bind(driver)
  counted.getItemRaw = (key: string, opts: object) => {
    counted.reads++
    return getItemRaw(key, opts)
  }
  return { storage: createStorage({ driver: counted }), counted }
}

describe('memory tier admission of stored results', () => {
  isolate()

  it('keeps a stored result in memory from its second read on', async () => {
    const { storage, counted } = countingStore()
    const m = meta('src/m.ts#load', FP('a'))
    const writer = smartCache(async (i: number) => ({ i, rows: [i, i + 1] }), { storage }, m)
    for (let i = 0; i < 3; i++) await writer(i)
    await settled()
    let calls = 0
    const reader = smartCache(
      async (i: number) => {
        calls++
        return { i, rows: [i, i + 1] }
      },
      { storage },
      m,
    )
    const before = counted.reads
    expect(await reader(0)).toEqual({ i: 0, rows: [0, 1] })
    expect(counted.reads - before).toBe(1)
    expect(await reader(0)).toEqual({ i: 0, rows: [0, 1] }) // read again, now kept
    expect(counted.reads - before).toBe(2)
    const kept = await reader(0)
    expect(await reader(0)).toBe(kept) // memory hits: no more reads, the same object
    expect(counted.reads - before).toBe(2)
    expect(calls).toBe(0)
    expect(reader.stats).toMatchObject({ hits: 4, misses: 0, errors: 0 })
  })

  it('identical calls fired together, interleaved with others, get the very same object; far apart, equal ones', async () => {
    const { storage } = countingStore()
    const m = meta('src/m.ts#together', FP('c'))
    const value = (i: number) => ({ i, rows: [i, i + 1] })
    const writer = smartCache(async (i: number) => value(i), { storage }, m)
    for (let i = 0; i < 50; i++) await writer(i)
    await settled()
    const reader = smartCache(async (i: number) => value(i), { storage }, m)
    const together = await Promise.all(Array.from({ length: 8 * 5 }, (_, n) => reader(n % 8))) // 8 keys, 5 calls each, interleaved
    together.forEach((v, n) => expect(v, `call ${n}`).toBe(together[n % 8]))
    // Key 8 read once, then 41 other first reads (more than are held), then key 8 again: an equal copy
    // (a value read once is not retained for long), kept from then on.
    const first = await reader(8)
    for (let i = 9; i < 50; i++) await reader(i)
    const second = await reader(8)
    expect(second).toEqual(first)
    expect(second).not.toBe(first)
    expect(await reader(8)).toBe(second)
    expect(reader.stats).toMatchObject({ misses: 0, errors: 0 })
  })

  it('a large value read once is not held for a second read: equal copies, then kept', async () => {
    const { storage } = countingStore()
    const m = meta('src/m.ts#large', FP('d'))
    const value = (i: number) => ({ i, text: 'x'.repeat(300_000) }) // over the 256 KiB held for second reads
    const writer = smartCache(async (i: number) => value(i), { storage, memoryBytes: 64 * 1024 ** 2 }, m)
    await writer(1)
    await settled()
    const reader = smartCache(async (i: number) => value(i), { storage, memoryBytes: 64 * 1024 ** 2 }, m)
    const [a, b, c] = await Promise.all([reader(1), reader(1), reader(1)])
    expect(a).toEqual(value(1))
    expect(b).not.toBe(a)
    expect(c).toBe(b) // the second read entered the memory tier
    expect(reader.stats).toMatchObject({ hits: 3, misses: 0, errors: 0 })
  })

  it('keeps a computed result in memory at once', async () => {
    const { storage, counted } = countingStore()
    const f = smartCache(async (i: number) => ({ i }), { storage }, meta('src/m.ts#compute', FP('b')))
    const first = await f(1)
    const before = counted.reads
    expect(await f(1)).toBe(first)
    expect(counted.reads).toBe(before)
  })

  it('a synchronous function admits the same way', async () => {
    const { storage, counted } = countingStore()
    const m = meta('src/m.ts#sync', FP('c'))
    smartCache((i: number) => [i], { storage }, m)(7)
    await settled()
    const reader = smartCache((i: number) => [i], { storage }, m)
    const before = counted.reads
    reader(7)
    reader(7)
    const kept = reader(7)
    expect(reader(7)).toBe(kept)
    expect(counted.reads - before).toBe(2)
  })
})
