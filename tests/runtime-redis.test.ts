import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { Redis } from 'ioredis'
import { settled, smartCache } from 'smart-cache'
import { openStore } from 'smart-cache/store'
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startRedis, type RedisServer } from './helpers/redis.ts'
import { createTempProject } from './helpers/temp-project.ts'

const exec = promisify(execFile)

describe('runtime: a cache shared through a real redis-server', () => {
  let redis: RedisServer
  const project = createTempProject('runtime-redis', { fixture: 'runtime-redis' })
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.stop()
    project.remove()
  })
  const run = async () => {
    const { stdout } = await exec(process.execPath, [project.path('run.mjs')], {
      cwd: project.dir,
      env: { ...process.env, REDIS_URL: redis.url },
    })
    return JSON.parse(stdout) as { computed: number; ok: boolean; stats: Record<string, number> }
  }

  it('a second process hits what the first stored in Redis; the store API sees the entries', async () => {
    expect(await run()).toMatchObject({ computed: 2, ok: true })
    expect(await run()).toMatchObject({ computed: 0, ok: true, stats: { hits: 3, misses: 0, errors: 0 } })
    const client = new Redis(redis.url)
    const keys = await client.keys('app:sc1:*')
    await client.quit()
    expect(keys).toHaveLength(2)
    const store = openStore({ storage: redisDriver({ url: redis.url, base: 'app' }) })
    expect((await store.list()).map(e => [e.id, e.corrupt])).toEqual([
      ['src/report.mjs#report', false],
      ['src/report.mjs#report', false],
    ])
    expect(await store.delete({ id: 'src/report.mjs#report' })).toBe(2)
    await store.dispose()
    expect(await run()).toMatchObject({ computed: 2, ok: true })
  })

  it('Redis going down never reaches the caller: results stay correct, one warning, errors counted', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const down = await startRedis()
    const storage = createStorage({ driver: redisDriver({ url: down.url, maxRetriesPerRequest: 0, retryStrategy: () => 1000 }) })
    let computed = 0
    const meta = { __smartCache: 1 as const, id: 'src/down.ts#double', fingerprint: 'd'.repeat(64) }
    const double = smartCache(
      async (x: number) => {
        computed++
        return x * 2
      },
      { storage, memory: false, timeout: 1000 },
      meta,
    )
    expect(await double(21)).toBe(42)
    await settled() // the entry is written after the call returns; the next call reads it back
    expect(await double(21)).toBe(42)
    expect(computed).toBe(1)
    await down.stop()
    expect(await double(21)).toBe(42)
    expect(await double(5)).toBe(10)
    expect(computed).toBe(3)
    expect(double.stats.errors).toBe(1) // then the store is skipped until a background probe reaches it (core/breaker.ts)
    expect(warn.mock.calls.filter(([m]) => String(m).includes('[smart-cache] storage'))).toHaveLength(1)
    warn.mockRestore()
    await storage.dispose()
  })
})
