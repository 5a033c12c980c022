// Issue 12, item 8: a store write never delays an async call's result. Bounded by work: each call
// is raced against a fixed number of event-loop turns, never against the clock.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createStorage, defineDriver } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { MAX_PENDING_BYTES, MAX_PENDING_WRITES } from '../src/core/cache-core.ts'
import { ready, settled, smartCache } from '../src/node.ts'
import { FP, isolate, meta, tempDir } from './helpers.ts'

/** Resolves after `n` event-loop turns (macrotasks): a bound by work, not by time. */
const turns = (n: number) =>
  new Promise<'late'>(resolve => {
    const step = (left: number) => (left === 0 ? resolve('late') : setImmediate(() => step(left - 1)))
    step(n)
  })

/** A memory store whose writes wait for `open()` (or never land, if it is never called). */
function gatedStorage() {
  const inner = memoryDriver()
  let open!: () => void
  const gate = new Promise<void>(resolve => (open = resolve))
  let started = 0
  const driver = defineDriver(() => ({
    ...inner,
    name: 'gated',
    async setItemRaw(key: string, value: unknown) {
      started++
      await gate
      return inner.setItemRaw!(key, value, {})
    },
  }))
  return { storage: createStorage({ driver: driver(undefined) }), open, started: () => started }
}

describe('writes never delay the result (issue 12, item 8)', { timeout: 60_000 }, () => {
  const { warnings } = isolate()
  const dir = tempDir()

  it('calls resolve while their writes are held; settled() waits for the writes', async () => {
    warnings()
    await ready()
    const { storage, open, started } = gatedStorage()
    const sq = smartCache(
      async (n: number) => n * n,
      { storage, memory: false, timeout: Number.POSITIVE_INFINITY },
      meta('src/sq.ts#sq', FP('a')),
    )
    let completed = 0
    for (let i = 0; i < 10; i++) if ((await Promise.race([sq(i), turns(50)])) === i * i) completed++
    console.log(`[reliability] slow store: ${completed}/10 calls completed while their writes were held (${started()} writes started)`)
    expect(completed).toBe(10)
    expect(await storage.getKeys()).toEqual([])
    let flushed = false
    const flushing = settled().then(() => (flushed = true))
    await turns(20)
    expect(flushed).toBe(false)
    open()
    await flushing
    expect((await storage.getKeys()).length).toBe(10)
    expect(await sq(3)).toBe(9)
    expect(sq.stats.hits).toBe(1)
  })

  it('a write that never lands does not hold the call, nor the next ones', async () => {
    const { storage, open } = gatedStorage()
    const cube = smartCache(
      async (n: number) => n ** 3,
      { storage, memory: false, timeout: Number.POSITIVE_INFINITY },
      meta('src/cube.ts#cube', FP('b')),
    )
    try {
      expect(await Promise.race([cube(2), turns(50)])).toBe(8)
      expect(await Promise.race([cube(3), turns(50)])).toBe(27)
    } finally {
      open() // or settled() in the next tests would wait for it
      await settled()
    }
  })

  it('a failing write costs the caller nothing and is one warning', async () => {
    warnings()
    const driver = defineDriver(() => ({
      ...memoryDriver(),
      name: 'broken',
      async setItemRaw() {
        throw new Error('disk on fire')
      },
    }))
    const storage = createStorage({ driver: driver(undefined) })
    const half = smartCache(async (n: number) => n / 2, { storage, memory: false }, meta('src/half.ts#half', FP('d')))
    for (let i = 0; i < 5; i++) expect(await Promise.race([half(i), turns(50)])).toBe(i / 2)
    await settled()
    expect(warnings().filter(m => m.includes('storage write failed'))).toHaveLength(1)
  })

  it('a loop that never leaves the microtask queue (.refresh()) does not starve its writes: at most MAX_PENDING_WRITES wait', async () => {
    warnings()
    // A store whose writes complete on a later event-loop turn, like real I/O.
    let landed = 0
    const inner = memoryDriver()
    const driver = defineDriver(() => ({
      ...inner,
      name: 'io-like',
      async setItemRaw(key: string, value: unknown) {
        await new Promise(resolve => setImmediate(resolve))
        landed++
        return inner.setItemRaw!(key, value, {})
      },
    }))
    const storage = createStorage({ driver: driver(undefined) })
    const twice = smartCache(async (n: number) => 2 * n, { storage, memory: false, timeout: 1000 }, meta('src/twice.ts#twice', FP('e')))
    const calls = 500
    for (let i = 0; i < calls; i++) expect(await twice.refresh(i % 16)).toBe(2 * (i % 16))
    console.log(
      `[reliability] refresh loop: ${landed}/${calls} writes landed while it ran (without backpressure: 0, and all timed out afterwards)`,
    )
    expect(landed).toBeGreaterThanOrEqual(calls - MAX_PENDING_WRITES - 1)
    await settled()
    expect(landed).toBe(calls)
    expect(twice.stats.errors).toBe(0)
    expect(warnings()).toEqual([])
  })

  it('large results: the bytes of writes in flight stay under MAX_PENDING_BYTES (plus one entry), not 64 entries', async () => {
    warnings()
    let inFlight = 0
    let most = 0
    const inner = memoryDriver()
    const driver = defineDriver(() => ({
      ...inner,
      name: 'io-like',
      async setItemRaw(key: string, value: Uint8Array) {
        inFlight += value.length
        most = Math.max(most, inFlight)
        await new Promise(resolve => setImmediate(resolve))
        inFlight -= value.length
        return inner.setItemRaw!(key, value, {})
      },
    }))
    const storage = createStorage({ driver: driver(undefined) })
    const entry = 2 * 1024 * 1024
    const big = smartCache(
      async (n: number) => `${n}`.padEnd(entry, '.'),
      { storage, memory: false, timeout: 10_000 },
      meta('src/big.ts#big', FP('f')),
    )
    const calls = 40 // 80 MB of entries; without the byte bound, all 40 were in flight at once
    for (let i = 0; i < calls; i++) expect((await big(i)).length).toBe(entry)
    await settled()
    expect(most).toBeGreaterThan(entry) // writes did overlap
    expect(most).toBeLessThanOrEqual(MAX_PENDING_BYTES + 2 * (entry + 1024))
    expect(most).toBeLessThan((calls / 2) * entry) // without the bound: all 40 at once
    expect(big.stats).toMatchObject({ misses: calls, errors: 0 })
    expect(warnings()).toEqual([])
  })

  it('a short Node script that never calls settled() still lands its write before exiting (real files)', async () => {
    await ready()
    const script = join(import.meta.dirname, 'fixtures', 'write-and-exit.mjs')
    const out = execFileSync(process.execPath, [script, dir], { timeout: 30_000 }).toString().trim()
    expect(JSON.parse(out)).toEqual({ value: 144 })
    const entries = join(dir, 'sc1', FP('c'))
    expect(existsSync(entries)).toBe(true)
    const second = execFileSync(process.execPath, [
      '-e',
      `import('${join(import.meta.dirname, '..', 'dist', 'node.mjs')}').then(async ({ smartCache }) => { process.env.SMART_CACHE_DIR = ${JSON.stringify(dir)}; const sq = smartCache(async (n) => { throw new Error('computed again') }, {}, { __smartCache: 1, id: 'src/sq.ts#sq', fingerprint: '${FP('c')}' }); console.log(await sq(12), sq.stats.hits) })`,
    ])
      .toString()
      .trim()
    expect(second).toBe('144 1')
  })
})
