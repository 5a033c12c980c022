// Issue 12 (outages): a Redis that goes down does not make ioredis print "Unhandled error event"
// for each reconnection attempt; values stay right. A real redis-server, stopped mid-run.
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { describe, expect, it, vi } from 'vitest'
import { startRedis } from '../../../tests/helpers/redis.ts'
import { configure, smartCache } from '../src/node.ts'
import { FP, isolate, meta } from './helpers.ts'

describe('a Redis outage (real redis-server)', { timeout: 60_000 }, () => {
  const { warnings } = isolate()

  it('no "Unhandled error event" from ioredis while it reconnects; values stay right; one warning', async () => {
    warnings()
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const redis = await startRedis()
    const driver = redisDriver({ url: `${redis.url}/0`, maxRetriesPerRequest: 1, retryStrategy: () => 50 })
    const storage = createStorage({ driver })
    try {
      const sq = smartCache(async (n: number) => n * n, { storage, memory: false, timeout: 2000 }, meta('src/sq.ts#sq', FP('5')))
      expect(await sq(2)).toBe(4)
      await redis.stop()
      const client = driver.getInstance!() as import('ioredis').Redis
      // three failed connection attempts, each an 'error' event (events.once would reject on those)
      for (let i = 0; i < 3; i++) await new Promise(resolve => client.once('reconnecting', resolve))
      expect([await sq(2), await sq(3)]).toEqual([4, 9])
      expect(errors.mock.calls.map(c => String(c[0])).filter(m => m.includes('Unhandled error event'))).toEqual([])
      expect(warnings().filter(w => w.startsWith('[smart-cache] storage'))).toHaveLength(1)
    } finally {
      errors.mockRestore()
      await storage.dispose()
    }
  })
  it('a store that is down costs the caller one failure, not a timeout per call (circuit breaker), and is used again once back', async () => {
    warnings()
    const busy = (n: number) => {
      let x = 0
      for (let i = 0; i < 200_000; i++) x = (x + i * n) % 1_000_003
      return x
    }
    const N = 50
    const run = async (f: (n: number) => Promise<number>) => {
      const started = performance.now()
      for (let i = 0; i < N; i++) await f(i)
      return performance.now() - started
    }
    const nostore = smartCache(async (n: number) => busy(n), { mode: 'off' }, meta('src/b.ts#b', FP('6')))
    await run(nostore) // warm up the JIT
    const redis = await startRedis()
    // ioredis defaults: commands wait through reconnection attempts, so each would take up to `timeout`
    const storage = createStorage({ driver: redisDriver({ url: `${redis.url}/0` }) })
    try {
      const cached = smartCache(async (n: number) => busy(n), { storage, memory: false, timeout: 1000 }, meta('src/b.ts#b', FP('6')))
      await cached(-1)
      await redis.stop()
      const first = performance.now()
      await cached(-2) // the one call that meets the outage: one timeout at most
      const firstMs = performance.now() - first
      // alternating rounds, so that the machine's drift weighs on both sides alike
      let outage = 0
      let baseline = 0
      for (let round = 0; round < 4; round++) {
        baseline += await run(nostore)
        outage += await run(cached)
      }
      console.log(
        `[reliability] Redis down: ${4 * N} calls in ${outage.toFixed(0)} ms vs ${baseline.toFixed(0)} ms for ${4 * N} with no store (${(outage / baseline).toFixed(2)}x); the first failing call ${firstMs.toFixed(0)} ms`,
      )
      expect(firstMs).toBeLessThan(1500)
      expect(outage).toBeLessThan(2 * baseline)
      expect(cached.stats.errors).toBeLessThanOrEqual(2)
      const back = await startRedis({ port: redis.port })
      try {
        const before = cached.stats.bytesWritten
        // the background probe closes the breaker after its back-off (1 s, then 2 s…): bounded by 100 calls
        for (let i = 0; i < 100 && cached.stats.bytesWritten === before; i++) {
          await cached(1000 + i)
          await new Promise(resolve => setTimeout(resolve, 50))
        }
        expect(cached.stats.bytesWritten).toBeGreaterThan(before)
      } finally {
        await back.stop()
      }
    } finally {
      configure({})
      await storage.dispose().catch(() => {})
    }
  })
})
