// The browser build's codec (src/core/devalue-compact.ts) against devalue itself, which Node uses:
// the same bytes written, each reading what the other wrote, the same refusals. Property runs are
// seeded and bounded by count.
import * as devalue from 'devalue'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as compact from '../src/core/devalue-compact.ts'

/** Everything the runtime may be asked to store, and more (boxed values, sparse arrays, null prototypes). */
const value = fc.anything({
  maxDepth: 4,
  maxKeys: 6,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withNullPrototype: true,
  withObjectString: true,
  withSet: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: 'binary',
})

/** A value with shared references and a cycle added, so that back-references are exercised. */
const linked = fc.tuple(value, value).map(([a, b]) => {
  const shared = { a }
  const cyclic: Record<string, unknown> = { b, shared }
  cyclic.self = cyclic
  return [shared, cyclic, new Map([[shared, cyclic]]), new Set([shared, a])]
})

const runs = { numRuns: 400, seed: 17 }

/** What a stringify gives: its text, or the error's message and path. */
function outcome(write: (v: unknown) => string, v: unknown): { text: string } | { error: string; path: string } {
  try {
    return { text: write(v) }
  } catch (error) {
    return { error: (error as Error).message.replace(/ — use stringifyAsync instead$/, ''), path: (error as { path: string }).path }
  }
}

describe('devalue-compact', () => {
  it('writes the bytes devalue writes, or refuses the same value at the same path', () => {
    fc.assert(
      fc.property(fc.oneof(value, linked), v => {
        expect(outcome(compact.stringify, v)).toEqual(outcome(devalue.stringify, v))
      }),
      runs,
    )
  })

  it('reads what devalue writes, and devalue reads what it writes, to the same value', () => {
    fc.assert(
      fc.property(fc.oneof(value, linked), v => {
        const text = devalue.stringify(v)
        // Written again by devalue, a value read back gives the same text: same types, holes, -0, shared references.
        expect(devalue.stringify(compact.parse(text))).toBe(text)
        expect(compact.stringify(devalue.parse(text))).toBe(text)
      }),
      runs,
    )
  })

  it('round-trips the structured-clone set, URL and URLSearchParams, subarrays and Buffers', () => {
    const buffer = new ArrayBuffer(16)
    const v = {
      views: [new Uint8Array(buffer, 2, 4), new DataView(buffer, 4, 8), new Float64Array(buffer, 8, 1), new Uint8Array(buffer)],
      nodeBuffer: Buffer.from('pooled'),
      url: new URL('https://example.com/a?b=1#c'),
      params: new URLSearchParams('a=1&a=2'),
      date: new Date(Number.NaN),
      re: /[<\u2028]/gu,
      text: 'a"<\u2028\u2029\\\n\ud800',
      sparse: Object.assign([], { length: 1_000_000, 5: 'x' }),
      boxed: [Object(1n), Object('s'), Object(-0), Object(Number.NaN)],
      top: [undefined, Number.NaN, -0, Infinity, -Infinity],
    }
    const text = compact.stringify(v)
    expect(text).toBe(devalue.stringify(v))
    expect(text.length).toBeLessThan(1000) // the sparse array as index/value pairs, not a million holes
    const back = compact.parse(text) as typeof v
    expect(devalue.stringify(back)).toBe(text)
    expect(back.nodeBuffer).toBeInstanceOf(Uint8Array)
    expect([...back.nodeBuffer]).toEqual([...Buffer.from('pooled')])
    expect(back.views[0]!.buffer).toBe(back.views[3]!.buffer) // one buffer, shared as in the value
    expect(back.url).toBeInstanceOf(URL)
    expect(back.sparse).toHaveLength(1_000_000)
    expect(Object.keys(back.sparse)).toEqual(['5'])
    for (const top of [undefined, Number.NaN, -0, Infinity, 'x', null, 1n])
      expect(Object.is(compact.parse(compact.stringify(top)), top)).toBe(true)
  })

  it('refuses functions, symbols, class instances, symbol keys, __proto__ keys and thenables, naming the path', () => {
    class Point {}
    const cases: Array<[unknown, string, string]> = [
      [{ a: [() => 1] }, 'Cannot stringify a function', '.a[0]'],
      [new Map([['k', Symbol('s')]]), 'Cannot stringify a Symbol primitive', '.get("k")'],
      [{ 'odd key': new Point() }, 'Cannot stringify arbitrary non-POJOs', '["odd key"]'],
      [[{ [Symbol('s')]: 1 }], 'Cannot stringify POJOs with symbolic keys', '[0]'],
      [JSON.parse('{"x":{"__proto__":1}}'), 'Cannot stringify objects with __proto__ keys', '.x'],
      [{ p: Promise.resolve(1) }, 'Cannot stringify a Promise or thenable', '.p'],
    ]
    for (const [v, message, path] of cases) {
      expect(outcome(compact.stringify, v)).toEqual({ error: message, path })
      expect(outcome(devalue.stringify, v)).toEqual({ error: message, path })
    }
  })

  it('refuses what devalue refuses when reading, without evaluating code or touching prototypes', () => {
    const hostile = [
      '[{"__proto__":1},{"polluted":2}]',
      '[["null","__proto__",1],2]',
      '[["Object",0]]',
      '[["Object",1],["Object",0]]',
      '[["Uint8Array",0]]',
      '[["Uint8Array",1],"AAAA"]',
      '[["Function","return 1"]]',
      '[["Temporal.Now","x"]]',
      '[["ArrayBuffer",1]]',
      '[[-7,4294967296]]',
      '[[-7,3,3,0],1]',
      '[]',
      '{}',
      '-2',
      '3',
      '[["Object","globalThis.__pwned=true"]]',
    ]
    for (const text of hostile) {
      expect(() => compact.parse(text), text).toThrow()
      expect(() => devalue.parse(text), text).toThrow()
    }
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined()
  })

  it('reads any JSON array as devalue does: the same value, or an error from both', () => {
    const slot = fc.oneof(
      fc.integer({ min: -8, max: 6 }),
      fc.constantFrom('Date', 'Set', 'Map', 'RegExp', 'Object', 'BigInt', 'null', 'Uint8Array', 'ArrayBuffer', 'URL', 'x'),
      fc.string({ maxLength: 4 }),
      fc.boolean(),
    )
    const payload = fc.array(
      fc.oneof(slot, fc.array(slot, { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 3 }), slot, { maxKeys: 3 })),
      {
        minLength: 1,
        maxLength: 6,
      },
    )
    let read = 0
    fc.assert(
      fc.property(payload, p => {
        const text = JSON.stringify(p)
        const mine = attempt(() => compact.parse(text))
        const theirs = attempt(() => devalue.parse(text))
        if ('error' in mine) return // stricter than devalue on indexes out of range is allowed
        read++
        expect(theirs).not.toHaveProperty('error')
        expect(attempt(() => devalue.stringify(mine.value))).toEqual(attempt(() => devalue.stringify((theirs as { value: unknown }).value)))
      }),
      { numRuns: 3000, seed: 17 },
    )
    expect(read).toBeGreaterThan(100) // the property did compare values, not only errors
  })
})

function attempt(f: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: f() }
  } catch (error) {
    return { error: String(error) }
  }
}
