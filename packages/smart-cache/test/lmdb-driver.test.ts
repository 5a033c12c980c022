// The opt-in LMDB store (issue 18): same envelopes and Storage interface as the filesystem store,
// shared by many processes. Real LMDB environments in temp folders; the processes run the built runtime.
import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { smartCache } from '../src/node.ts'
import { lmdbDriver, lmdbStorage } from '../src/drivers/lmdb.ts'
import { FP, isolate, meta, tempDir } from './helpers.ts'

const run = promisify(execFile)
const DIST = join(import.meta.dirname, '..', 'dist')

describe('LMDB store', () => {
  const dir = tempDir()
  const { warnings } = isolate()

  it('stores envelopes and reads them back in another storage over the same folder (as another process would)', async () => {
    let calls = 0
    const fn = async (n: number) => {
      calls++
      return { n, squares: Array.from({ length: n }, (_, i) => i * i), when: new Date(n) }
    }
    const first = smartCache(fn, { storage: lmdbStorage({ path: dir }), memory: false }, meta('src/sq.ts#sq', FP('1')))
    for (let n = 0; n < 20; n++) await first(n)
    const { settled } = await import('../src/core/cache-core.ts')
    await settled()
    const second = smartCache(fn, { storage: lmdbStorage({ path: dir }), memory: false }, meta('src/sq.ts#sq', FP('1')))
    for (let n = 0; n < 20; n++) expect(await second(n)).toEqual(await fn(n))
    expect(second.stats.hits).toBe(20)
    expect(calls).toBe(20 + 20) // the 20 direct calls of the assertion above
    expect(warnings()).toEqual([])
  })

  it('a function that is not async stays synchronous on it (memory-mapped reads)', async () => {
    const storage = lmdbStorage({ path: dir })
    let calls = 0
    const twice = (n: number) => {
      calls++
      return 2 * n
    }
    const a = smartCache(twice, { storage, memory: false }, meta('src/t.ts#twice', FP('2')))
    expect(a(21)).toBe(42)
    const { settled } = await import('../src/core/cache-core.ts')
    await settled()
    const b = smartCache(twice, { storage, memory: false }, meta('src/t.ts#twice', FP('2')))
    expect(b(21)).toBe(42) // a value, not a Promise
    expect(b.stats.hits).toBe(1)
    expect(calls).toBe(1)
  })

  it('a damaged entry is detected (checksum), recomputed and overwritten; clear() removes only its own entries', async () => {
    const storage = lmdbStorage({ path: dir })
    let calls = 0
    const f = smartCache(
      async (n: number) => {
        calls++
        return `value ${n}`
      },
      { storage, memory: false },
      meta('src/f.ts#f', FP('3')),
    )
    const g = smartCache(async (n: number) => `other ${n}`, { storage, memory: false }, meta('src/g.ts#g', FP('4')))
    await f(1)
    await g(1)
    const { settled } = await import('../src/core/cache-core.ts')
    await settled()
    const [key] = await storage.getKeys(`sc1:${FP('3')}`)
    const bytes = (await storage.getItemRaw(key!)) as Uint8Array
    const damaged = Uint8Array.from(bytes)
    damaged[damaged.length - 1]! ^= 0xff
    await storage.setItemRaw(key!, damaged)
    expect(await f(1)).toBe('value 1')
    expect(f.stats.corrupt).toBe(1)
    expect(calls).toBe(2)
    await settled()
    expect(await f(1)).toBe('value 1')
    expect(calls).toBe(2)
    await f.clear()
    expect(await storage.getKeys(`sc1:${FP('3')}`)).toEqual([])
    expect(await storage.getKeys(`sc1:${FP('4')}`)).toHaveLength(1)
    expect(warnings().filter(w => !w.includes('corrupt'))).toEqual([])
  })

  it('four processes computing and reading the same keys at once: every value right, then all hits', async () => {
    const worker = (round: number) => `
      const { smartCache, settled } = await import(${JSON.stringify(join(DIST, 'node.mjs'))})
      const { lmdbStorage } = await import(${JSON.stringify(join(DIST, 'drivers', 'lmdb.mjs'))})
      const f = smartCache(async (k) => ({ k, text: 'v'.repeat(k * 10) }), { storage: lmdbStorage({ path: ${JSON.stringify(dir)} }), memory: false }, { __smartCache: 1, id: 'src/w.ts#w', fingerprint: '${FP('5')}' })
      let wrong = 0
      for (let i = 0; i < 60; i++) { const k = (i * 7 + ${round}) % 30; const v = await f(k); if (v.k !== k || v.text.length !== k * 10) wrong++ }
      await settled()
      console.log(JSON.stringify({ wrong, hits: f.stats.hits, misses: f.stats.misses, errors: f.stats.errors, corrupt: f.stats.corrupt }))`
    const outs = await Promise.all(
      [0, 1, 2, 3].map(r => run(process.execPath, ['--input-type=module', '-e', worker(r)], { timeout: 60_000 })),
    )
    const reports = outs.map(o => JSON.parse(o.stdout.trim().split('\n').pop()!))
    for (const r of reports) expect(r).toMatchObject({ wrong: 0, errors: 0, corrupt: 0 })
    const after = JSON.parse(
      (await run(process.execPath, ['--input-type=module', '-e', worker(0)], { timeout: 60_000 })).stdout.trim().split('\n').pop()!,
    )
    expect(after).toMatchObject({ wrong: 0, hits: 60, misses: 0, errors: 0 })
  })

  it('a folder whose name has a dot (cache.v2) is a folder too, not a file', async () => {
    const path = join(dir, 'cache.v2')
    const f = smartCache(async (n: number) => n + 1, { storage: lmdbStorage({ path }), memory: false }, meta('src/dot.ts#f', FP('4')))
    expect(await f(1)).toBe(2)
    const { settled } = await import('../src/core/cache-core.ts')
    await settled()
    expect(f.stats.errors).toBe(0)
    expect(readdirSync(path)).toContain('data.mdb')
    const again = smartCache(async (n: number) => n + 1, { storage: lmdbStorage({ path }), memory: false }, meta('src/dot.ts#f', FP('4')))
    expect(await again(1)).toBe(2)
    expect(again.stats).toMatchObject({ hits: 1, errors: 0 })
  })

  it('a missing path is a [smart-cache] error naming the fix', () => {
    expect(() => lmdbDriver({} as never)).toThrow(/^\[smart-cache\] lmdbDriver\(\{ path \}\)/)
  })
})
