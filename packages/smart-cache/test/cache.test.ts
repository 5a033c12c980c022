import { createStorage, defineDriver } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it, vi } from 'vitest'
import { configure, hashArgs, smartCache } from '../src/node.ts'
import { FP, isolate, meta } from './helpers.ts'

const counter = <A extends unknown[], R>(impl: (...a: A) => R) => {
  const f = Object.assign(
    async (...a: A) => {
      f.calls++
      return impl(...a)
    },
    { calls: 0 },
  )
  return f
}

describe('smartCache()', () => {
  const { warnings } = isolate()

  it('computes once per distinct argument list and serves hits from memory, then storage', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const add = counter((a: number, b: number) => a + b)
    const cached = smartCache(add, { storage }, meta('src/m.ts#add', FP('1')))
    expect(await cached(1, 2)).toBe(3)
    expect(await cached(1, 2)).toBe(3)
    expect(await cached(2, 1)).toBe(3)
    expect(add.calls).toBe(2)
    expect(cached.stats).toMatchObject({ hits: 1, misses: 2, errors: 0 })
    expect(cached.id).toBe('src/m.ts#add')
    expect(cached.fingerprint).toBe(FP('1'))
    const again = smartCache(add, { storage, memory: false }, meta('src/m.ts#add', FP('1')))
    expect(await again(1, 2)).toBe(3)
    expect(add.calls).toBe(2)
    expect(again.stats.bytesRead).toBeGreaterThan(56)
    const changed = smartCache(add, { storage }, meta('src/m.ts#add', FP('2')))
    expect(await changed(1, 2)).toBe(3)
    expect(add.calls).toBe(3)
  })

  it('finds the meta in any position (Contract 2)', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const f = counter((x: number) => x * 2)
    const a = (smartCache as any)(meta('src/m.ts#f', FP('3')), f, { storage })
    const b = (smartCache as any)(f, meta('src/m.ts#f', FP('3')), { storage, memory: false })
    expect(await a(2)).toBe(4)
    expect(await b(2)).toBe(4)
    expect(f.calls).toBe(1)
    expect(b.id).toBe('src/m.ts#f')
  })

  it('without the plugin fingerprints the source and warns once', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    warnings()
    const f1 = smartCache(async (x: number) => x + 1, { storage })
    const f2 = smartCache(async (x: number) => x + 2, { storage })
    expect(await f1(1)).toBe(2)
    expect(await f2(1)).toBe(3)
    expect(f1.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(f1.fingerprint).not.toBe(f2.fingerprint)
    expect(warnings().filter(w => w.includes('not invalidate'))).toHaveLength(1)
  })

  it('without the plugin, a custom key counts by its source: same code keyed differently shares no entries', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const load = (u: { id: number; name: number }) => `user ${u.id}`
    const byId = smartCache(async (u: { id: number; name: number }) => load(u), { storage, key: u => u.id })
    const byName = smartCache(async (u: { id: number; name: number }) => load(u), { storage, key: u => u.name })
    expect(await byId({ id: 1, name: 7 })).toBe('user 1')
    // Keys 1 and 1: before, byName served byId's entry ('user 1') for user 2.
    expect(await byName({ id: 2, name: 1 })).toBe('user 2')
    expect(byId.fingerprint).not.toBe(byName.fingerprint)
  })

  it('a meta without fingerprint (the build failed to make one) runs uncached in every mode, warns once', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    warnings()
    const f = counter((x: number) => x * 2)
    const failed = { __smartCache: 1 as const, id: 'src/m.ts#failed', fingerprint: null }
    for (const mode of ['on', 'refresh', 'readonly'] as const) {
      const cached = smartCache(f, { storage, mode }, failed)
      expect(await cached(2)).toBe(4)
      expect(await cached(2)).toBe(4)
      expect(cached.fingerprint).toBe('')
      await cached.clear()
    }
    vi.stubEnv('SMART_CACHE', 'refresh')
    try {
      expect(await smartCache(f, { storage }, failed)(2)).toBe(4)
    } finally {
      vi.unstubAllEnvs()
    }
    expect(f.calls).toBe(7)
    expect(await storage.getKeys()).toEqual([])
    expect(warnings().filter(w => w.includes('src/m.ts#failed') && w.includes('runs uncached'))).toHaveLength(1)
    expect(warnings().filter(w => w.includes('not invalidate'))).toHaveLength(0)
  })

  it('de-duplicates concurrent identical calls', async () => {
    let release!: () => void
    const gate = new Promise<void>(r => (release = r))
    const slow = counter(async (x: number) => {
      await gate
      return x
    })
    const cached = smartCache(slow, { storage: createStorage({ driver: memoryDriver() }) }, meta('s#slow', FP('4')))
    const all = Promise.all([cached(1), cached(1), cached(1), cached(2)])
    await new Promise(r => setTimeout(r, 10))
    release()
    expect(await all).toEqual([1, 1, 1, 2])
    expect(slow.calls).toBe(2)
  })

  it('does not cache thrown errors unless cacheErrors is set', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const boom = counter((x: number) => {
      throw Object.assign(new RangeError(`bad ${x}`), { code: 'E_BAD' })
    })
    const plain = smartCache(boom, { storage }, meta('s#boom', FP('5')))
    await expect(plain(1)).rejects.toThrow('bad 1')
    await expect(plain(1)).rejects.toThrow('bad 1')
    expect(boom.calls).toBe(2)
    const sticky = smartCache(boom, { storage, cacheErrors: true, memory: false }, meta('s#boom2', FP('5')))
    await expect(sticky(1)).rejects.toThrow('bad 1')
    const second = await sticky(1).catch(e => e)
    expect(boom.calls).toBe(3)
    expect(second).toMatchObject({ name: 'RangeError', message: 'bad 1', code: 'E_BAD' })
  })

  it('peek, refresh and clear', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    let n = 0
    const f = smartCache(async (x: number) => x + ++n, { storage }, meta('s#f', FP('6')))
    expect(await f.peek(1)).toBeUndefined()
    expect(await f(1)).toBe(2)
    expect(await f.peek(1)).toBe(2)
    expect(await f.refresh(1)).toBe(3)
    expect(await f(1)).toBe(3)
    await f.clear()
    expect(await storage.getKeys()).toEqual([])
    expect(await f.peek(1)).toBeUndefined()
    expect(await f(1)).toBe(4)
  })

  it('maxAge expires entries; swr serves stale then refreshes in the background', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    let n = 0
    const f = smartCache(async () => ++n, { storage, maxAge: 20 }, meta('s#age', FP('7')))
    expect(await f()).toBe(1)
    await new Promise(r => setTimeout(r, 40))
    expect(await f()).toBe(2)
    const s = smartCache(async () => ++n, { storage, maxAge: 20, swr: true }, meta('s#swr', FP('7')))
    expect(await s()).toBe(3)
    await new Promise(r => setTimeout(r, 40))
    expect(await s()).toBe(3)
    expect(s.stats.stale).toBe(1)
    await new Promise(r => setTimeout(r, 10))
    expect(await s()).toBe(4)
  })

  it('returns but does not cache unstorable results, warning once', async () => {
    warnings()
    class Thing {}
    const f = counter(() => new Thing())
    const cached = smartCache(f, { storage: createStorage({ driver: memoryDriver() }) }, meta('s#thing', FP('8')))
    expect(await cached()).toBeInstanceOf(Thing)
    expect(await cached()).toBeInstanceOf(Thing)
    expect(f.calls).toBe(2)
    expect(warnings().filter(w => w.includes('cannot be stored'))).toHaveLength(1)
  })

  it('rejects unkeyable arguments with the path, and honours options.key', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const f = smartCache(async (o: { cb: () => void }, n: number) => n, { storage }, meta('s#k', FP('9')))
    await expect(f({ cb: () => {} }, 1)).rejects.toThrow(/args\[0\]\.cb.*s#k/)
    const g = smartCache(async (o: { cb: () => void }, n: number) => n, { storage, key: (_o, n) => n }, meta('s#k2', FP('9')))
    expect(await g({ cb: () => {} }, 1)).toBe(1)
  })

  it('modes: off bypasses, readonly never writes, refresh recomputes', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    const f = counter((x: number) => x)
    configure({ mode: 'readonly', storage })
    const ro = smartCache(f, {}, meta('s#mode', FP('a')))
    await ro(1)
    expect(await storage.getKeys()).toEqual([])
    configure({ mode: 'off', storage })
    const off = smartCache(f, {}, meta('s#mode', FP('a')))
    await off(1)
    await off(1)
    expect(f.calls).toBe(3)
    configure({ mode: 'refresh', storage })
    const rf = smartCache(f, {}, meta('s#mode', FP('a')))
    await rf(1)
    await rf(1)
    expect(f.calls).toBe(4) // recomputed once despite the stored entry, then a memory hit
    expect((await storage.getKeys()).length).toBe(1)
    expect(() => configure({ mode: 'nope' as never })).toThrow(/on, off, readonly, refresh/)
  })

  it('survives storage failures: computes, stays correct, warns once, counts errors', async () => {
    warnings()
    const broken = defineDriver(() => ({
      name: 'broken',
      hasItem: () => {
        throw new Error('EROFS: read-only')
      },
      getItem: () => {
        throw new Error('EROFS: read-only')
      },
      getItemRaw: () => Promise.reject(new Error('quota exceeded')),
      setItemRaw: () => Promise.reject(new Error('quota exceeded')),
      getKeys: () => [],
    }))({})
    const hang = defineDriver(() => ({
      name: 'hang',
      hasItem: () => false,
      getItem: () => null,
      getKeys: () => [],
      getItemRaw: () => new Promise(() => {}),
      setItemRaw: () => new Promise(() => {}),
    }))({})
    const f = counter((x: number) => x * 3)
    const a = smartCache(f, { storage: broken, memory: false }, meta('s#broken', FP('b')))
    expect(await a(2)).toBe(6)
    expect(await a(2)).toBe(6)
    expect(a.stats.errors).toBe(1) // after the first failure the store is skipped (core/breaker.ts)
    const b = smartCache(f, { storage: hang, timeout: 30 }, meta('s#hang', FP('b')))
    expect(await b(3)).toBe(9)
    expect(b.stats.errors).toBe(1)
    expect(warnings().filter(w => w.includes('storage'))).toHaveLength(1)
  })

  it('works as a standard method decorator (direct, with options, with meta)', async () => {
    const storage = createStorage({ driver: memoryDriver() })
    let calls = 0
    const deco = smartCache({ storage }, meta('src/c.ts#Calc.square', FP('c')))
    const square = async (x: number) => {
      calls++
      return x * x
    }
    class Calc {
      static square = square
    }
    const ctx = (name: string, isStatic: boolean) =>
      ({
        kind: 'method',
        name,
        static: isStatic,
        private: false,
        addInitializer() {},
        access: {},
      }) as unknown as ClassMethodDecoratorContext
    const staticSquare = deco(Calc.square, ctx('square', true))
    expect(await staticSquare.call(Calc, 3)).toBe(9)
    expect(await staticSquare.call(Calc, 3)).toBe(9)
    expect(calls).toBe(1)
    const direct = (smartCache as any)(
      async function (this: { base: number }, x: number) {
        return this.base + x
      },
      ctx('plus', false),
    )
    await expect(
      direct.call(
        new (class Box {
          base = 1
        })(),
        1,
      ),
    ).rejects.toThrow(/this.*Box/)
    const keyed = {
      base: 10,
      [Symbol.for('smart-cache.key')]() {
        return this.base
      },
    }
    expect(
      await direct.call(
        Object.assign(
          Object.create({
            [Symbol.for('smart-cache.key')]() {
              return 10
            },
          }),
          { base: 10 },
        ),
        1,
      ),
    ).toBe(11)
    expect(keyed.base).toBe(10)
    expect(() => (smartCache as any)(() => 1, { kind: 'field', name: 'x', addInitializer() {} })).toThrow(/class methods/)
  })
})

describe('smartCache() when WebAssembly cannot load', () => {
  it('keeps caching with BLAKE3 in JavaScript (same keys) and warns once', async () => {
    const { vi } = await import('vitest')
    vi.resetModules()
    vi.doMock('hash-wasm/dist/blake3.umd.min.js', () => ({
      default: { createBLAKE3: () => Promise.reject(new Error('CompileError: blocked by CSP')) },
    }))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { smartCache: fresh, ready: freshReady, hashArgs: freshHash } = await import('../src/node.ts')
    const storage = createStorage({ driver: memoryDriver() })
    let calls = 0
    const f = fresh(
      async (x: unknown) => {
        calls++
        return Array.isArray(x) ? x.length : x
      },
      { storage, memory: false },
    )
    const big = Array.from({ length: 3000 }, (_, i) => i) // a key of ~27 KB: hashed by the (failed) WebAssembly otherwise
    expect(await f(big)).toBe(3000)
    await freshReady()
    expect(await f(big)).toBe(3000)
    expect(await f(1)).toBe(1)
    expect(await f(1)).toBe(1)
    expect(calls).toBe(2)
    expect(freshHash([big])).toBe(hashArgs([big])) // JavaScript and WebAssembly BLAKE3 give the same keys
    expect(f.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(warn.mock.calls.filter(([m]) => String(m).includes('failed to load'))).toHaveLength(1)
    warn.mockRestore()
    vi.doUnmock('hash-wasm/dist/blake3.umd.min.js')
  })
})

describe('SMART_CACHE environment variable', () => {
  it('a mistyped value warns once and runs uncached instead of throwing', async () => {
    const { vi } = await import('vitest')
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    vi.stubEnv('SMART_CACHE', 'of')
    try {
      let calls = 0
      const f = smartCache(
        async (x: number) => {
          calls++
          return x
        },
        { storage: createStorage({ driver: memoryDriver() }) },
        meta('s#env', FP('f')),
      )
      expect(await f(1)).toBe(1)
      expect(await f(1)).toBe(1)
      expect(calls).toBe(2)
      expect(warn.mock.calls.filter(([m]) => /SMART_CACHE="of" is not a mode.*Running uncached/.test(String(m)))).toHaveLength(1)
    } finally {
      vi.unstubAllEnvs()
      warn.mockRestore()
    }
  })
})

describe('memory keys with the Node converter (Buffer latin1)', () => {
  it('are distinct for distinct values and rebuild the exact bytes for hashing', async () => {
    const { keyArgs, hashArgs } = await import('../src/core/arg-keys.ts')
    const values: unknown[] = [
      { a: 'é' },
      { a: 'e\u0301' },
      ['\u00ff'],
      ['\uffff'],
      [new Uint8Array([0x80, 0xff])],
      [new Uint8Array([0x7f])],
      { k: [1, 2] },
      { k: [1, 3] },
    ]
    const keys = values.map(v => keyArgs('ns', [v, {}], 'x').memory)
    expect(new Set(keys).size).toBe(values.length)
    for (const v of values) expect(keyArgs('ns', [v, {}], 'x').hash()).toBe(hashArgs([v, {}], 'ns'))
  })
})
