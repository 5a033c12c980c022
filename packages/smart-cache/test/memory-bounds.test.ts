// Issue 12 (bounds): the memory tier is bounded in bytes, not only in entries, and results over
// maxEntrySize are not kept in memory either. Storage is read-only here, so a hit can only come
// from memory.
import { describe, expect, it } from 'vitest'
import { smartCache } from '../src/node.ts'
import { FP, isolate, meta } from './helpers.ts'

const MiB = 1024 * 1024

describe('memory tier byte budget', () => {
  isolate()
  const make = (options: Record<string, unknown>, bytes: number) => {
    const inner = Object.assign(
      async (n: number) => {
        inner.calls++
        return `${n}:`.padEnd(bytes, '.')
      },
      { calls: 0 },
    )
    return Object.assign(smartCache(inner, { mode: 'readonly', ...options }, meta('src/m.ts#m', FP('7'))), { inner })
  }

  it('30 results of 4 MiB, async or not: only the most recent that fit in the 32 MiB default stay in memory', async () => {
    const sync = Object.assign(
      (n: number) => {
        sync.calls++
        return `${n}:`.padEnd(4 * MiB, '.')
      },
      { calls: 0 },
    )
    const s = smartCache(sync, { mode: 'readonly' }, meta('src/m.ts#s', FP('8')))
    for (let n = 0; n < 30; n++) s(n) // one synchronous loop: results are sized before any write runs
    s(0)
    expect(sync.calls).toBe(31)
    const f = make({}, 4 * MiB)
    for (let n = 0; n < 30; n++) await f(n)
    expect(f.inner.calls).toBe(30)
    for (const n of [29, 28, 27, 26, 25, 24, 23]) await f(n) // 7 x 4 MiB fit in 32 MiB
    expect(f.inner.calls).toBe(30)
    await f(0) // long evicted
    expect(f.inner.calls).toBe(31)
  })

  it('memoryBytes sets the budget; a result over maxEntrySize is returned but not kept in memory', async () => {
    const small = make({ memoryBytes: MiB }, 600 * 1024)
    await small(1)
    await small(2) // 1.2 MiB > 1 MiB: evicts 1
    await small(2)
    await small(1)
    expect(small.inner.calls).toBe(3)
    const big = make({ maxEntrySize: MiB }, 2 * MiB)
    await big(1)
    await big(1)
    expect(big.inner.calls).toBe(2)
    // Keys count too: an argument encoded in ~47 KB is its own memory key.
    const rows = (n: number) => Array.from({ length: 1000 }, (_, i) => ({ id: n * 1000 + i, name: `n${i}`, ok: true }))
    const keyed = Object.assign(
      smartCache(
        async (r: unknown[]) => {
          keyed.calls++
          return r.length
        },
        { mode: 'readonly', memoryBytes: 64 * 1024 },
        meta('src/m.ts#k', FP('9')),
      ),
      { calls: 0 },
    )
    await keyed(rows(1))
    await keyed(rows(2)) // two keys of ~47 KB do not fit in 64 KiB: evicts 1
    await keyed(rows(2))
    await keyed(rows(1))
    expect(keyed.calls).toBe(3)
    await expect(make({ memoryBytes: 0 }, 1)(1)).rejects.toThrow(
      /^\[smart-cache\] src\/m.ts#m: options.memoryBytes must be a positive integer/,
    )
  })
})
