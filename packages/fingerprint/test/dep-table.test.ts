import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { packDeps, unpackDeps } from '../src/store/dep-table.ts'
import type { DependencyInfo } from '../src/types.ts'

const dep = fc.record({
  file: fc.constantFrom('a.ts', 'b.ts', 'node_modules/x@1.0.0'),
  binding: fc.constantFrom('f', 'g', 'h', 'default'),
  hash: fc.constantFrom('h1', 'h2'),
  line: fc.integer({ min: 1, max: 3 }),
})
/** Sorted like fingerprint()'s deps, with repeats. */
const depList = fc.array(dep, { maxLength: 30 }).map(list => list.sort((x, y) => (x.file + x.binding < y.file + y.binding ? -1 : 1)))
/** Fresh objects: packDeps must work entry by entry. */
const copies = (lists: DependencyInfo[][]): DependencyInfo[][] => lists.map(list => list.map(d => ({ ...d })))

describe('dep table', () => {
  it('unpacks what it packed: same lists, same order, same repeats', () => {
    fc.assert(
      fc.property(fc.array(depList, { maxLength: 6 }), lists => {
        const packed = packDeps(lists)
        expect(unpackDeps(packed.rows, packed.lists)).toEqual(lists)
      }),
    )
  })

  it('repacks unpacked lists (any subset, any order) exactly as packing their entries one by one', () => {
    fc.assert(
      fc.property(fc.array(depList, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (lists, picks) => {
        const packed = packDeps(lists)
        const unpacked = unpackDeps(packed.rows, packed.lists)
        const subset = picks.map(p => unpacked[p % unpacked.length]!)
        expect(packDeps(subset)).toEqual(packDeps(copies(subset)))
      }),
    )
  })

  it('packs lists of mixed origins entry by entry', () => {
    const a = { file: 'a.ts', binding: 'f', hash: 'h1', line: 1 }
    const b = { file: 'b.ts', binding: 'g', hash: 'h2', line: 2 }
    const packed = packDeps([[a, b]])
    const [fromTable] = unpackDeps(packed.rows, packed.lists)
    const other = [{ ...b }, { file: 'c.ts', binding: 'h', hash: 'h3', line: 3 }]
    const mixed = packDeps([fromTable!, other])
    expect(mixed.rows).toHaveLength(3)
    expect(unpackDeps(mixed.rows, mixed.lists)).toEqual([fromTable, other])
  })

  it('packs entry by entry from a table that is not sorted and distinct (hand-edited, untrusted)', () => {
    const rows = [
      ['b.ts', 'g', 'h', 1],
      ['a.ts', 'f', 'h', 1],
      ['a.ts', 'f', 'h', 1],
    ]
    const lists = unpackDeps(rows, [[0, 3]])
    expect(packDeps(lists)).toEqual({
      rows: [
        ['a.ts', 'f', 'h', 1],
        ['b.ts', 'g', 'h', 1],
      ],
      lists: [[1, 1, 0, 1, 0, 1]],
    })
  })

  it('names what is malformed', () => {
    expect(() => unpackDeps({}, [])).toThrow('the dep table is not an array')
    expect(() => unpackDeps([['a', 'b', 'c']], [])).toThrow('dep row 0 is not [file, binding, hash, line]')
    expect(() => unpackDeps([['a', 'b', 'c', 1]], [[0, 2]])).toThrow('dep list 0 has a run outside the table')
    expect(() => unpackDeps([], [[0]])).toThrow('dep list 0 is not [start, length…] runs')
  })
})
