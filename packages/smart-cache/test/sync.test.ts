import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createStorage, defineDriver } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { atomicFsDriver } from '../src/drivers/fs.ts'
import { hashArgs, settled, smartCache, SyncStoreError } from '../src/node.ts'
import { FP, isolate, meta, tempDir } from './helpers.ts'

/** A driver that answers only asynchronously, like IndexedDB or Redis. */
const asyncOnly = defineDriver(() => {
  const data = new Map<string, unknown>()
  return {
    name: 'remote-like',
    hasItem: async (k: string) => data.has(k),
    getItem: async (k: string) => (data.get(k) ?? null) as never,
    getItemRaw: async (k: string) => data.get(k) ?? null,
    setItem: async (k: string, v: unknown) => void data.set(k, v),
    setItemRaw: async (k: string, v: unknown) => void data.set(k, v),
    removeItem: async (k: string) => void data.delete(k),
    getKeys: async () => [...data.keys()],
    clear: async () => data.clear(),
  }
})

describe('a function that is not async stays synchronous (issue 13)', () => {
  const dir = tempDir()
  const { warnings } = isolate()
  const fs = () => createStorage({ driver: atomicFsDriver({ base: dir }) })
  const ID = 'src/sq.ts#square'

  function makeSquare(options: Record<string, unknown> = {}) {
    const square = Object.assign(
      (n: number): number => {
        square.calls++
        return n * n
      },
      { calls: 0 },
    )
    return Object.assign(smartCache(square, { storage: fs(), ...options }, meta(ID, FP('a'))), { inner: square })
  }

  it('returns values, not Promises; the entry is written after returning and read synchronously by a later process', async () => {
    const first = makeSquare()
    const value = first(4)
    expect(value).toBe(16)
    expect(first(4) * 2).toBe(32)
    expect(first.inner.calls).toBe(1)
    const file = join(dir, 'sc1', FP('a'), hashArgs([4], ID))
    expect(existsSync(file)).toBe(false) // not on the caller's path
    await settled()
    expect(existsSync(file)).toBe(true)
    // a new process: nothing in memory, the entry is read at once, on the first call
    const later = makeSquare({ memory: false })
    expect(later(4)).toBe(16)
    expect(later.inner.calls).toBe(0)
    expect(later.stats).toMatchObject({ hits: 1, misses: 0 })
    expect(warnings()).toEqual([])
  })

  it('recursion through the cache computes each value once', () => {
    let calls = 0
    const fib: (n: number) => number = smartCache(
      (n: number): number => {
        calls++
        return n < 2 ? n : fib(n - 1) + fib(n - 2)
      },
      { storage: fs() },
      meta('src/f.ts#fib', FP('b')),
    )
    expect(fib(60)).toBe(1548008755920)
    expect(calls).toBe(61)
  })

  it("throws synchronously: the function's own errors, and argument errors", () => {
    const boom = smartCache(
      (n: number) => {
        if (n < 0) throw new RangeError('negative')
        return n
      },
      { storage: fs() },
      meta('src/b.ts#boom', FP('c')),
    )
    expect(() => boom(-1)).toThrow(RangeError)
    expect(() => (boom as (x: unknown) => number)(() => 1)).toThrow(/^\[smart-cache\] cannot key argument args\[0\]/)
  })

  it('cached errors are rethrown synchronously', async () => {
    let calls = 0
    const make = () =>
      smartCache(
        (n: number) => {
          calls++
          throw new Error(`bad ${n}`)
        },
        { storage: fs(), cacheErrors: true, memory: false },
        meta('src/e.ts#e', FP('d')),
      )
    expect(() => make()(1)).toThrow('bad 1')
    await settled()
    expect(() => make()(1)).toThrow('bad 1')
    expect(calls).toBe(1)
  })

  it('a non-async function that returns a Promise gets a Promise back, also when read from the store', async () => {
    const storage = fs()
    let calls = 0
    const make = () =>
      smartCache(
        (n: number) => {
          calls++
          return Promise.resolve(n + 1)
        },
        { storage, memory: false },
        meta('src/p.ts#p', FP('e')),
      )
    const first = make()
    const pending = first(1)
    expect(pending).toBeInstanceOf(Promise)
    expect(first(1)).toBe(pending) // identical calls in flight share it
    expect(await pending).toBe(2)
    await settled()
    const hit = make()(1)
    expect(hit).toBeInstanceOf(Promise)
    expect(await hit).toBe(2)
    expect(calls).toBe(1)
  })

  it("unstorage's memory driver is synchronous too", () => {
    const storage = createStorage({ driver: memoryDriver() })
    const inc = smartCache((n: number) => n + 1, { storage }, meta('src/i.ts#inc', FP('f')))
    expect(inc(1)).toBe(2)
  })

  it('on a store that can only be read asynchronously, the first call throws the error that names the fix (never a Promise)', async () => {
    const storage = createStorage({ driver: asyncOnly(undefined) })
    const square = smartCache((n: number) => n * n, { storage }, meta(ID, FP('a')))
    expect(() => square(3)).toThrow(SyncStoreError)
    expect(() => square(3)).toThrow(
      /^\[smart-cache\] src\/sq\.ts#square is a synchronous function, but its store \(unstorage driver "remote-like"\) can only be read asynchronously.*Fix: make it async/,
    )
    const asyncSquare = smartCache(async (n: number) => n * n, { storage }, meta(ID, FP('a')))
    expect(await asyncSquare(3)).toBe(9)
    const off = smartCache((n: number) => n * n, { storage, mode: 'off' }, meta(ID, FP('a')))
    expect(off(3)).toBe(9)
  })

  it('a signing secret: the first calls compute while the key is derived, later ones hit; values stay synchronous', async () => {
    const storage = fs()
    let calls = 0
    const make = () =>
      smartCache(
        (n: number) => {
          calls++
          return n * 3
        },
        { storage, secret: 's3cret', memory: false },
        meta('src/s.ts#s', FP('9')),
      )
    const f = make()
    expect(f(2)).toBe(6)
    await settled()
    expect(make()(2)).toBe(6) // the key is still being derived in this new function: computed
    await settled()
    const g = make()
    await g.peek(2) // lets this function's settings (and key) load
    expect(g(2)).toBe(6)
    expect(calls).toBe(2)
  })
})
