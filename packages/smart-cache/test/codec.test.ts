import { describe, expect, it } from 'vitest'
import { decodeValue, encodeValue } from '../src/core/codec.ts'

const roundTrip = (v: unknown) => {
  const bytes = encodeValue(v)
  if (!(bytes instanceof Uint8Array)) throw new Error(bytes.unstorable)
  return decodeValue(bytes)
}

describe('value codec', () => {
  it('round-trips the structured-clone set exactly', () => {
    const shared = { s: 1 }
    const cyclic: any = { name: 'c' }
    cyclic.me = cyclic
    const value = {
      u: undefined,
      nan: NaN,
      nz: -0,
      big: -(2n ** 80n),
      date: new Date(123),
      re: /x+/giu,
      map: new Map<unknown, unknown>([
        [{ k: 1 }, 'v'],
        [2, shared],
      ]),
      set: new Set([1, 'a', shared]),
      f64: new Float64Array([1.5, -0, NaN]),
      u8: new Uint8Array([1, 2, 3]),
      big64: new BigInt64Array([-1n]),
      ab: new Uint8Array([9, 8]).buffer,
      dv: new DataView(new Uint8Array([7]).buffer),
      sparse: [1, , 3],
      shared: [shared, shared],
      cyclic, // eslint-disable-line no-sparse-arrays
      nullProto: Object.assign(Object.create(null), { a: 1 }),
      inf: [Infinity, -Infinity],
    }
    const back = roundTrip(value) as typeof value
    expect(back).toEqual(value)
    expect(Object.is(back.nz, -0)).toBe(true)
    expect(1 in back.sparse).toBe(false)
    expect(back.shared[0]).toBe(back.shared[1])
    expect(back.cyclic.me).toBe(back.cyclic)
    expect(back.f64).toBeInstanceOf(Float64Array)
    expect(Object.is(back.f64[1], -0)).toBe(true)
    expect(back.dv).toBeInstanceOf(DataView)
    expect(Object.getPrototypeOf(back.nullProto)).toBe(null)
    expect(back.re.flags).toBe('giu')
  })

  it('does not let __proto__ or constructor keys pollute prototypes', () => {
    const evil = new TextEncoder().encode('[{"__proto__":1},{"polluted":2},true]')
    let decoded: unknown
    try {
      decoded = decodeValue(evil)
    } catch {
      decoded = 'rejected'
    }
    expect(({} as any).polluted).toBeUndefined()
    if (decoded !== 'rejected') expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype)
    const ctor = roundTrip(JSON.parse('{"constructor":{"prototype":{"polluted":true}}}')) as any
    expect(ctor.constructor.prototype.polluted).toBe(true)
    expect(({} as any).polluted).toBeUndefined()
  })

  it('explains why class instances and functions cannot be stored', () => {
    class A {}
    expect(encodeValue({ a: [new A()] })).toMatchObject({ unstorable: expect.stringMatching(/POJO.*result\.a\[0\]/) })
    expect(encodeValue(() => 1)).toHaveProperty('unstorable')
  })

  it('never evaluates code while decoding', () => {
    ;(globalThis as any).__pwned = false
    const attempt = new TextEncoder().encode('[["Object","globalThis.__pwned=true"]]')
    expect(() => decodeValue(attempt)).toThrow()
    expect((globalThis as any).__pwned).toBe(false)
  })
})

describe('value codec: the JSON form (issue 18)', () => {
  const form = (v: unknown) => ((encodeValue(v) as Uint8Array)[0] === 1 ? 'json' : 'devalue')

  it('takes JSON only for values JSON round-trips exactly', () => {
    expect(form({ a: 1, b: ['x', true, null, { c: 2.5 }] })).toBe('json')
    expect(form([])).toBe('json')
    expect(form('text')).toBe('json')
    const shared = { s: 1 }
    const cyclic: any = {}
    cyclic.me = cyclic
    const inherited = Object.create({ inheritedKey: 1 }) as object
    const cases = [
      -0,
      [0, -0],
      NaN,
      [Infinity],
      { u: undefined },
      [undefined],
      [1, , 3],
      [shared, shared],
      cyclic, // eslint-disable-line no-sparse-arrays
      { d: new Date(0) },
      { m: new Map() },
      [1n],
      Object.create(null),
      { [Symbol('s')]: 1 },
      inherited,
      JSON.parse('{"__proto__":{"x":1}}'),
      { k: '__proto__' },
      undefined,
    ]
    cases.forEach((v, i) => expect(form(v), `case ${i}`).toBe('devalue'))
  })

  it('round-trips what falls back to devalue exactly, and what takes JSON', () => {
    const shared = { s: 1 }
    for (const v of [
      { a: -0 },
      [shared, shared],
      { u: undefined, n: [NaN, 1, , 2] },
      { k: '__proto__' },
      { a: 'é\u{1F600}\uD800x', b: [[[1]]] },
    ]) {
      // eslint-disable-line no-sparse-arrays
      const back = roundTrip(v)
      expect(back).toEqual(v)
    }
    const back = roundTrip([shared, shared]) as object[]
    expect(back[0]).toBe(back[1])
    expect(Object.is((roundTrip({ a: -0 }) as { a: number }).a, -0)).toBe(true)
    expect(1 in (roundTrip([1, , 2]) as unknown[])).toBe(false) // eslint-disable-line no-sparse-arrays
  })

  it('values nested deeper than JSON.stringify goes fall back without throwing', () => {
    let deep: unknown = 1
    for (let i = 0; i < 20_000; i++) deep = [deep]
    const bytes = encodeValue(deep)
    expect(bytes instanceof Uint8Array || typeof (bytes as { unstorable: string }).unstorable === 'string').toBe(true)
  })

  it('refuses a JSON-form payload that names __proto__, and pollutes nothing', () => {
    const forged = new Uint8Array([1, ...new TextEncoder().encode('{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":2}}}')])
    expect(() => decodeValue(forged)).toThrow(/\[smart-cache\].*__proto__/)
    expect(({} as any).polluted).toBeUndefined()
    const constructorKey = new Uint8Array([1, ...new TextEncoder().encode('{"constructor":{"prototype":{"polluted":1}}}')])
    const decoded = decodeValue(constructorKey) as any
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype)
    expect(({} as any).polluted).toBeUndefined()
  })

  it('a damaged JSON-form payload throws (a corrupt entry), never returns a value', () => {
    const good = encodeValue({ a: [1, 2, 3] }) as Uint8Array
    expect(() => decodeValue(good.subarray(0, good.length - 2))).toThrow()
    expect(() => decodeValue(new Uint8Array([1, 0xff, 0xfe]))).toThrow()
  })
})
