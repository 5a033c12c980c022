// Issue 12 (outages): a Redis that goes down does not make ioredis print "Unhandled error event"
// for each reconnection attempt; values stay right. A real redis-server, stopped mid-run.
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { describe, expect, it, vi } from 'vitest'
import { startRedis } from '../../../tests/helpers/redis.ts'
import { smartCache } from '../src/node.ts'
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
      for (let i = 0; i < 3; i++) await new Promise((resolve) => client.once('reconnecting', resolve))
      expect([await sq(2), await sq(3)]).toEqual([4, 9])
      expect(errors.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('Unhandled error event'))).toEqual([])
      expect(warnings().filter((w) => w.startsWith('[smart-cache] storage'))).toHaveLength(1)
    } finally {
      errors.mockRestore()
      await storage.dispose()
    }
  })
})
