// Issue 17, item 6: wrong usage fails at once, saying what was passed and what is expected.
import { Buffer } from 'node:buffer'
import { createStorage } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { configure, hashArgs, ready, settled, smartCache } from '../src/node.ts'
import { FP, isolate, meta } from './helpers.ts'

describe('wrong usage of smartCache', () => {
  isolate()

  it('smartCache(undefined), what a circular import gives, throws at once naming the cause', () => {
    expect(() => (smartCache as any)(undefined)).toThrow(
      /^\[smart-cache\] smartCache\(undefined\): expected the function to cache.*circular import.*Fix: /,
    )
    expect(() => (smartCache as any)(null, { maxAge: 1 })).toThrow(/^\[smart-cache\] smartCache\(null\)/)
    // With the plugin: smartCache(fn) is smartCache(fn, undefined, META); @smartCache is smartCache(undefined, META).
    expect(() => (smartCache as any)(undefined, undefined, meta('src/a.ts#f', FP('a')))).toThrow(/^\[smart-cache\] smartCache\(undefined\)/)
    expect(typeof (smartCache as any)(undefined, meta('src/a.ts#C.m', FP('a')))).toBe('function')
  })

  it('smartCache({}) is the decorator form: calling it as a function says so', () => {
    const deco = smartCache({}) as any
    expect(() => deco(5)).toThrow(
      /^\[smart-cache\] smartCache\(options\) returned a method decorator, which was called with a number \(5\)\. Fix: .*smartCache\(fn, options\)/,
    )
    expect(() => deco(() => 1, undefined)).toThrow(/method decorator, which was called with a function/)
  })

  it('options that are not an object, and unknown options, fail at once with a "did you mean"', () => {
    const fn = async (x: number) => x
    expect(() => smartCache(fn, 5 as any)).toThrow(
      /^\[smart-cache\] smartCache\(fn, options\): options must be an object, got a number \(5\)/,
    )
    expect(() => smartCache(fn, { maxage: 10 } as any)).toThrow(
      '[smart-cache] smartCache(fn, options): unknown option "maxage". Did you mean "maxAge"? Known options: storage, maxAge,',
    )
    expect(() => smartCache(fn, { storag: undefined } as any)).toThrow(/unknown option "storag"\. Did you mean "storage"\?/)
    expect(() => smartCache(fn, { colour: 'red' } as any)).toThrow(/unknown option "colour"\. Known options: /)
    expect(() => smartCache({ tiemout: 5 } as any)).toThrow(
      /^\[smart-cache\] smartCache\(options\): unknown option "tiemout"\. Did you mean "timeout"\?/,
    )
    expect(() => configure({ memroy: 10 } as any)).toThrow(
      /^\[smart-cache\] configure\(options\): unknown option "memroy"\. Did you mean "memory"\?/,
    )
    expect(() => smartCache(fn, { key: (x: number) => x, name: 'n', memoryBytes: 1 << 20 })).not.toThrow()
  })

  it('a Node Buffer argument is hashed as its bytes (as the README promises for typed arrays)', async () => {
    await ready()
    const a = Buffer.from('same bytes')
    const b = Buffer.from('same bytes')
    const c = Buffer.from('same bytez')
    expect(hashArgs([a])).toBe(hashArgs([b]))
    expect(hashArgs([a])).not.toBe(hashArgs([c]))
    // A view into a larger pool: only its own bytes count.
    const pooled = Buffer.concat([Buffer.from('xx'), a, Buffer.from('yy')]).subarray(2, 2 + a.length)
    expect(hashArgs([pooled])).toBe(hashArgs([a]))
    let calls = 0
    const storage = createStorage({ driver: memoryDriver() })
    const size = smartCache(
      async (buf: Buffer) => {
        calls++
        return buf.length
      },
      { storage, memory: false },
      meta('src/b.ts#size', FP('b')),
    )
    expect(await size(a)).toBe(10)
    await settled()
    expect(await size(b)).toBe(10)
    expect(await size(c)).toBe(10)
    expect(calls).toBe(2)
  })
})
