import { readdirSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStorage } from 'unstorage'
import { describe, expect, it } from 'vitest'
import { atomicFsDriver } from '../src/drivers/fs.ts'
import { settled, smartCache } from '../src/node.ts'
import { openStore } from '../src/store.ts'
import { FP, isolate, meta, tempDir } from './helpers.ts'

describe('smart-cache/store (Contract 4) and corruption on the filesystem', () => {
  const dir = tempDir()
  const { warnings } = isolate()
  const fill = async () => {
    const storage = createStorage({ driver: atomicFsDriver({ base: dir }) })
    const sq = smartCache(async (x: number) => x * x, { storage }, meta('src/a.ts#sq', FP('1')))
    const old = smartCache(async (x: number) => x * x, { storage }, meta('src/a.ts#sq', FP('0')))
    const neg = smartCache(async (x: number) => -x, { storage }, meta('src/b.ts#neg', FP('2')))
    await Promise.all([sq(1), sq(2), sq(3), old(1), neg(1)])
    await settled() // entries are written after the calls return
    return { storage, sq }
  }

  it('lists, totals, deletes and prunes entries', async () => {
    await fill()
    const store = openStore({ dir })
    expect(store.location).toBe(dir)
    const all = await store.list()
    expect(all.map(e => e.id)).toEqual(['src/a.ts#sq', 'src/a.ts#sq', 'src/a.ts#sq', 'src/a.ts#sq', 'src/b.ts#neg'])
    expect(all[0]).toMatchObject({ fingerprint: FP('0'), corrupt: false, error: false })
    expect(all[0]!.size).toBeGreaterThan(56)
    expect(all[0]!.lastAccess).toBeGreaterThanOrEqual(all[0]!.createdAt)
    const stats = await store.stats()
    expect(stats).toMatchObject({ entries: 5, corrupt: 0 })
    expect(stats.functions.map(f => [f.id, f.entries, f.fingerprints.length])).toEqual([
      ['src/a.ts#sq', 4, 2],
      ['src/b.ts#neg', 1, 1],
    ])
    expect(stats.bytes).toBe(all.reduce((s, e) => s + e.size, 0))
    expect(await store.list({ fingerprint: FP('1') })).toHaveLength(3)
    expect(await store.prune({ current: { 'src/a.ts#sq': FP('1') } })).toBe(1)
    expect(await store.delete({ id: 'src/b.ts#neg' })).toBe(1)
    await expect(store.delete({})).rejects.toThrow(/at least one criterion/)
    expect(await store.delete({ key: all[1]!.key })).toBe(1)
    expect(await store.clear()).toBe(2)
    expect(await store.list()).toEqual([])
  })

  it('a truncated or corrupt file is a miss, recomputed and overwritten; the store flags it', async () => {
    warnings()
    const { storage } = await fill()
    const file = join(dir, 'sc1', FP('1'), readdirSync(join(dir, 'sc1', FP('1')))[0]!)
    truncateSync(file, 30)
    expect((await openStore({ dir }).stats()).corrupt).toBe(1)
    let calls = 0
    const sq = smartCache(
      async (x: number) => {
        calls++
        return x * x
      },
      { storage, memory: false },
      meta('src/a.ts#sq', FP('1')),
    )
    const results = await Promise.all([1, 2, 3].map(x => sq(x)))
    expect(results).toEqual([1, 4, 9])
    expect(calls).toBe(1)
    expect(sq.stats.corrupt).toBe(1)
    await settled() // the rewrite lands after the call returns
    expect((await openStore({ dir }).stats()).corrupt).toBe(0)
    writeFileSync(file, Buffer.alloc(200, 7))
    const sq2 = smartCache(async (x: number) => x * x, { storage, memory: false }, meta('src/a.ts#sq', FP('1')))
    expect(await Promise.all([1, 2, 3].map(x => sq2(x)))).toEqual([1, 4, 9])
    expect(sq2.stats).toMatchObject({ corrupt: 1, misses: 1, hits: 2 })
    expect(warnings().some(w => /corrupt entry of src\/a.ts#sq \(key sc1:/.test(w))).toBe(true)
  })

  it('an unwritable folder never reaches the caller', async () => {
    warnings()
    writeFileSync(join(dir, 'blocker'), 'a file where a folder should be')
    const storage = createStorage({ driver: atomicFsDriver({ base: join(dir, 'blocker', 'values') }) })
    const f = smartCache(async (x: number) => x + 1, { storage }, meta('s#ro', FP('3')))
    expect(await f(1)).toBe(2)
    await settled() // the failing write happens after the call returns
    expect(f.stats.errors).toBeGreaterThan(0)
    expect(warnings().some(w => w.includes('storage'))).toBe(true)
  })
})
