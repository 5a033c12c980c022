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
      u: undefined, nan: NaN, nz: -0, big: -(2n ** 80n), date: new Date(123), re: /x+/giu, map: new Map<unknown, unknown>([[{ k: 1 }, 'v'], [2, shared]]),
      set: new Set([1, 'a', shared]), f64: new Float64Array([1.5, -0, NaN]), u8: new Uint8Array([1, 2, 3]), big64: new BigInt64Array([-1n]),
      ab: new Uint8Array([9, 8]).buffer, dv: new DataView(new Uint8Array([7]).buffer), sparse: [1, , 3], shared: [shared, shared], cyclic, // eslint-disable-line no-sparse-arrays
      nullProto: Object.assign(Object.create(null), { a: 1 }), inf: [Infinity, -Infinity],
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
