import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { cacheKey } from '../src/core/arg-encoder.ts'
import { hashArgs, hashCall, keyArgs, primitiveKey } from '../src/core/arg-keys.ts'
import { KeyError } from '../src/core/key-error.ts'
import { loadHashers } from '../src/core/blake3.ts'

beforeAll(() => loadHashers())
const h = (...args: unknown[]) => keyArgs('ns', args, 'test#fn').hash()

describe('canonical argument keys', () => {
  it('gives distinct keys to values that differ only in type, sign, holes or presence', () => {
    const sparse = [1, , 3] // eslint-disable-line no-sparse-arrays
    const cyclic: any = { a: 1 }
    cyclic.self = cyclic
    const other: any = { a: 1, self: { a: 1 } }
    const shared = { x: 1 }
    const values: unknown[] = [
      undefined,
      null,
      0,
      -0,
      NaN,
      Infinity,
      -Infinity,
      1,
      '1',
      1n,
      -1n,
      true,
      false,
      '',
      [],
      {},
      Object.create(null),
      [undefined],
      [,],
      sparse,
      [1, undefined, 3],
      { a: undefined },
      { b: undefined },
      new Date(0),
      new Date(1),
      new Date(NaN),
      /a/,
      /a/g,
      /b/,
      new Map(),
      new Map([[1, 2]]),
      new Map([[2, 1]]),
      new Set(),
      new Set([1]),
      new Set(['1']),
      new Uint8Array([1, 2]),
      new Int8Array([1, 2]),
      new Uint8ClampedArray([1, 2]),
      new Uint8Array([1, 2]).buffer,
      new DataView(new Uint8Array([1, 2]).buffer),
      new Float64Array([1]),
      [[]],
      [[], []],
      cyclic,
      other,
      [shared, shared],
      [{ x: 1 }, { x: 1 }],
      '\uD800',
      '\uFFFD',
      'é',
      'e\u0301',
      { ab: 1 },
      { a: { b: 1 } },
      ['a', 'b'],
      ['ab'],
      2n ** 70n,
      { 1: 1 },
      { '1': '1' },
    ]
    const keys = values.map(v => h(v))
    const dupes = keys.filter((k, i) => keys.indexOf(k) !== i)
    expect(dupes).toEqual([])
    const memoryKeys = values.map(v => keyArgs('ns', [v], 'x').memory)
    expect(new Set(memoryKeys).size).toBe(values.length)
    // a memory key rebuilt later hashes exactly like the bytes did
    for (const v of values) expect(keyArgs('ns', [v], 'x').hash()).toBe(hashArgs([v], 'ns'))
    // hashed straight from the encoder, with this and captured values too, as the memory key's hash()
    const captured = { names: ['k'], at: ['src/a.ts:1'], values: [{ k: 1 }] }
    for (const v of values) {
      expect(hashCall('ns', [v, 2], 'x')).toBe(keyArgs('ns', [v, 2], 'x').hash())
      expect(hashCall('ns', [v], 'x', { self: 1 }, captured)).toBe(keyArgs('ns', [v], 'x', { self: 1 }, captured).hash())
    }
  })

  it('is stable for equal values, sorts plain-object keys, keeps Map/Set insertion order', () => {
    expect(h({ a: 1, b: [2, { c: 3 }] })).toBe(h({ b: [2, { c: 3 }], a: 1 }))
    expect(
      h(
        new Map([
          [1, 'a'],
          [2, 'b'],
        ]),
      ),
    ).not.toBe(
      h(
        new Map([
          [2, 'b'],
          [1, 'a'],
        ]),
      ),
    )
    expect(h(new Set([1, 2]))).not.toBe(h(new Set([2, 1])))
    expect(h(NaN)).toBe(h(0 / 0))
    const c1: any = [1]
    c1.push(c1)
    const c2: any = [1]
    c2.push(c2)
    expect(h(c1)).toBe(h(c2))
  })

  it('property: structured clones hash equal (null prototypes excluded: structuredClone drops them)', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }),
        v => {
          expect(h(v)).toBe(h(structuredClone(v)))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('keys the memory tier by the encoding itself up to 64 KiB, injectively, with the same hash as the bytes', () => {
    const rows = (n: number, flip = -1) => Array.from({ length: n }, (_, i) => ({ id: i, name: `n${i}`, ok: i === flip }))
    const key = keyArgs('ns', [rows(1000)], 'x')
    expect(key.memory.startsWith('#')).toBe(false)
    expect(key.memory.length).toBeGreaterThan(1024)
    expect(key.memory.length).toBeLessThanOrEqual(64 * 1024)
    expect(key.hash()).toBe(hashCall('ns', [rows(1000)], 'x'))
    expect(keyArgs('ns', [rows(1000)], 'x').memory).toBe(key.memory)
    expect(keyArgs('ns', [rows(1000, 999)], 'x').memory).not.toBe(key.memory)
    const row = { id: 1 }
    expect(keyArgs('ns', [[...rows(999), row, row]], 'x').memory).not.toBe(keyArgs('ns', [[...rows(999), row, { ...row }]], 'x').memory)
    expect(keyArgs('ns', [rows(5000)], 'x').memory.startsWith('#')).toBe(true)
  })

  it('hashes typed arrays as raw bytes, streaming large ones with the same result', () => {
    const big = new Float64Array(1 << 17).map((_, i) => i * 1.5)
    const copy = new Float64Array(big)
    expect(h(big)).toBe(h(copy))
    copy[copy.length - 1] = 0
    expect(h(big)).not.toBe(h(copy))
    expect(keyArgs('ns', [big], 'x').memory.startsWith('#')).toBe(true)
    const view = new Float64Array(big.buffer, 8, 4)
    expect(h(view)).toBe(h(new Float64Array([1.5, 3, 4.5, 6])))
  })

  it('rejects class instances, functions and symbols, naming the argument path', () => {
    class Point {
      constructor(public x: number) {}
    }
    expect(() => h({ user: { at: [1, new Point(1)] } })).toThrow(KeyError)
    expect(() => h({ user: { at: [1, new Point(1)] } })).toThrow(/args\[0\]\.user\.at\[1\].*Point.*Fix:/)
    expect(() => h(1, () => 1)).toThrow(/args\[1\].*function/)
    expect(() => h({ 'a-b': Symbol('s') })).toThrow(/args\[0\]\["a-b"\].*symbol/)
    expect(() => h(new Map([[1, new Point(2)]]))).toThrow(/<Map value 0>/)
  })

  it('keys class instances through their [cacheKey]() method', () => {
    class Vec {
      constructor(
        public x: number,
        private hidden = Math.random(),
      ) {}
      [cacheKey]() {
        return { x: this.x }
      }
    }
    expect(h(new Vec(1))).toBe(h(new Vec(1)))
    expect(h(new Vec(1))).not.toBe(h(new Vec(2)))
    expect(h(new Vec(1))).not.toBe(h({ x: 1 }))
  })

  it('hashArgs() equals the key hash, small and streamed', () => {
    const big = new Uint8Array(200_000).fill(3)
    expect(hashArgs([1, 'a'], 'ns')).toBe(keyArgs('ns', [1, 'a'], 'x').hash())
    expect(hashArgs([big], 'ns')).toBe(keyArgs('ns', [big], 'x').hash())
    expect(hashArgs([1])).toMatch(/^[0-9a-f]{64}$/)
  })

  it('primitive memory keys are injective and defer to byte encoding for objects', () => {
    const lists: unknown[][] = [
      [],
      [0],
      [-0],
      [NaN],
      ['0'],
      [0n],
      [1, 2],
      [12],
      ['1', '2'],
      ['12'],
      ['s1:a'],
      ['s', 1],
      [true],
      ['t'],
      [undefined],
      [null],
      ['u'],
      ['z'],
      ['a', 'b'],
      ['as1:b'],
      ['\uD800'],
      ['\uFFFD'],
      [Infinity],
      [-Infinity],
      [1e21],
      ['n1;'],
    ]
    const keys = lists.map(l => primitiveKey(l))
    expect(new Set(keys).size).toBe(lists.length)
    expect(primitiveKey([{}])).toBeUndefined()
    expect(primitiveKey(['x'.repeat(600)])).toBeUndefined()
    expect(primitiveKey([Symbol('s')])).toBeUndefined()
  })

  it('separates namespaces and this-values', () => {
    expect(keyArgs('a', [1], 'x').hash()).not.toBe(keyArgs('b', [1], 'x').hash())
    expect(keyArgs('a', [1], 'x', { k: 1 }).hash()).not.toBe(keyArgs('a', [1], 'x').hash())
  })
})
