// Issue 12 (bounds): the filesystem store's run-time disk budget (maxStoreSize) evicts least
// recently used entries, only names of the layout, never through a link. Real files.
import { readdirSync, statSync, symlinkSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createStorage } from 'unstorage'
import { describe, expect, it } from 'vitest'
import { atomicFsDriver, type AtomicFsInstance } from '../src/drivers/fs.ts'
import { hashArgs, ready, settled, smartCache } from '../src/node.ts'
import { FP, isolate, meta, tempDir } from './helpers.ts'

describe('maxStoreSize: a disk budget for the filesystem store', () => {
  const dir = tempDir()
  isolate()
  const ID = 'src/big.ts#big'
  const entryBytes = () =>
    readdirSync(join(dir, 'sc1', FP('e')))
      .filter(n => /^[0-9a-f]{64}$/.test(n))
      .reduce((sum, n) => sum + statSync(join(dir, 'sc1', FP('e'), n)).size, 0)

  it('evicts the least recently used entries down to 90% of the budget, and nothing else', async () => {
    await ready()
    const fill = smartCache(
      async (n: number) => `${n}`.padEnd(10_000, '.'),
      { storage: createStorage({ driver: atomicFsDriver({ base: dir }) }), memory: false },
      meta(ID, FP('e')),
    )
    for (let n = 0; n < 40; n++) await fill(n) // about 400 KB of entries, written without a budget: no pass runs while they land in any order
    await settled() // the writes themselves land after the calls return
    const driver = atomicFsDriver({ base: dir, maxStoreSize: 100_000 })
    const big = smartCache(
      async (n: number) => `${n}`.padEnd(10_000, '.'),
      { storage: createStorage({ driver }), memory: false },
      meta(ID, FP('e')),
    )
    const file = (n: number) => join(dir, 'sc1', FP('e'), hashArgs([n], ID))
    const now = Date.now() / 1000
    for (let n = 0; n < 40; n++) {
      try {
        utimesSync(file(n), now - 10_000 + n, now - 10_000 + n) // n = 39 is the most recently used
      } catch {
        // already evicted by a background pass
      }
    }
    writeFileSync(join(dir, 'sc1', FP('e'), 'notes.txt'), 'x'.repeat(200_000)) // not an entry: never counted or removed
    mkdirSync(join(dir, 'elsewhere'))
    writeFileSync(join(dir, 'elsewhere', hashArgs([0], ID)), 'outside')
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'sc1', FP('f')))
    const instance = driver.getInstance!() as AtomicFsInstance
    await instance.evictOverBudget()
    expect(entryBytes()).toBeLessThanOrEqual(90_000)
    expect(entryBytes()).toBeGreaterThan(70_000)
    for (const n of [36, 37, 38, 39]) expect(statSync(file(n)).isFile()).toBe(true)
    expect(() => statSync(file(0))).toThrow(/ENOENT/)
    expect(readdirSync(join(dir, 'elsewhere'))).toEqual([hashArgs([0], ID)])
    expect(statSync(join(dir, 'sc1', FP('e'), 'notes.txt')).size).toBe(200_000)
    expect(await big(39)).toBe('39'.padEnd(10_000, '.'))
    expect(big.stats.hits).toBe(1)
  })

  it('a bad budget is a clear error', () => {
    expect(() => atomicFsDriver({ base: dir, maxStoreSize: -1 })).toThrow(
      /^\[smart-cache\] atomicFsDriver: options.maxStoreSize must be a positive integer .* Fix: /,
    )
  })
})
