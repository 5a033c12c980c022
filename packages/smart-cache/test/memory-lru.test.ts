// The memory tier's LRU (issue 17: replaces lru-cache in every build): checked against a plain
// array model on seeded random operation sequences, and on the bounds the runtime relies on.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemoryLru } from '../src/core/memory-lru.ts'

type Op = { kind: 'get' | 'set' | 'delete'; key: string; size: number } | { kind: 'clear' }

/** The same contract, written the obvious way: an array ordered from least to most recently used. */
class Model {
  items: { key: string; size: number }[] = []
  constructor(
    readonly max: number,
    readonly maxBytes: number,
    readonly maxEntry: number,
  ) {}
  get(key: string) {
    const i = this.items.findIndex(x => x.key === key)
    if (i < 0) return undefined
    const [item] = this.items.splice(i, 1)
    this.items.push(item!)
    return item!.size
  }
  delete(key: string) {
    const i = this.items.findIndex(x => x.key === key)
    if (i >= 0) this.items.splice(i, 1)
    return i >= 0
  }
  set(key: string, size: number) {
    this.delete(key)
    if (size > this.maxEntry) return
    this.items.push({ key, size })
    const bytes = () => this.items.reduce((s, x) => s + x.size, 0)
    while (this.items.length > this.max || bytes() > this.maxBytes) this.items.shift()
  }
}

describe('MemoryLru', () => {
  it('behaves as the array model on random operations (seeded)', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        kind: fc.constantFrom('get', 'set', 'delete'),
        key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
        size: fc.integer({ min: 1, max: 40 }),
      }),
      fc.constant({ kind: 'clear' as const }),
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(op, { maxLength: 60 }),
        (max, maxBytes, maxEntry, ops) => {
          const lru = new MemoryLru<number>(max, maxBytes, maxEntry, v => v)
          let model = new Model(max, maxBytes, maxEntry)
          for (const o of ops) {
            if (o.kind === 'clear') {
              lru.clear()
              model = new Model(max, maxBytes, maxEntry)
            } else if (o.kind === 'get') expect(lru.get(o.key)).toBe(model.get(o.key))
            else if (o.kind === 'delete') expect(lru.delete(o.key)).toBe(model.delete(o.key))
            else {
              lru.set(o.key, o.size)
              model.set(o.key, o.size)
            }
            expect(lru.size).toBe(model.items.length)
          }
          for (const { key, size } of model.items) expect(lru.get(key)).toBe(size)
        },
      ),
      { seed: 17, numRuns: 500 },
    )
  })

  it('evicts the least recently used first, by count and by bytes; refuses a value over maxEntry and drops the older one', () => {
    const lru = new MemoryLru<number>(3, 10, 6, v => v)
    lru.set('a', 1)
    lru.set('b', 1)
    lru.set('c', 1)
    lru.get('a')
    lru.set('d', 1) // over 3 entries: b, the least recently used, goes
    expect([lru.get('b'), lru.get('a'), lru.get('c'), lru.get('d')]).toEqual([undefined, 1, 1, 1])
    lru.set('e', 6) // a goes for the count: c, d, e hold 8 bytes
    lru.set('f', 4) // c goes for the count, then d for the bytes (11 > 10)
    expect([lru.get('c'), lru.get('d'), lru.get('e')]).toEqual([undefined, undefined, 6])
    lru.set('e', 7) // over maxEntry: not kept, and the older value is gone too
    expect(lru.get('e')).toBeUndefined()
    expect(lru.get('f')).toBe(4)
  })
})
