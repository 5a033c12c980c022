// The built CLI against a real redis-server (started on a free port by the test).
import { openStore } from 'smart-cache/store'
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRedis, type RedisServer } from '../../../tests/helpers/redis.ts'
import { cli, createProject, fill, fp, manifest, type Project } from './cache-helpers.ts'

const DAY = 86_400_000

describe('the CLI on a Redis store', { timeout: 60_000 }, () => {
  let redis: RedisServer
  let project: Project
  let storageUrl: string
  const driver = () => redisDriver({ url: `${redis.url}/0`, base: 'app' })
  beforeAll(async () => {
    redis = await startRedis()
    project = createProject('redis')
    storageUrl = `${redis.url}/0?base=app`
  })
  afterAll(async () => {
    await redis?.stop()
    project?.remove()
  })

  async function reset() {
    const storage = createStorage({ driver: driver() })
    await storage.clear()
    await fill(storage as any, 'src/report.ts#report', fp('a'), [1, 2, 3])
    await fill(storage as any, 'src/report.ts#report', fp('b'), [1], { at: Date.now() - 30 * DAY })
    await fill(storage as any, 'src/other.ts#other', fp('c'), [1], { at: Date.now() - 30 * DAY })
    await storage.setItem('app-owned-key', 'not a cache entry')
    await storage.dispose()
    project.write('dist/smart-cache-manifest.json', manifest({ 'src/report.ts#report': fp('a'), 'src/other.ts#other': fp('c') }))
  }

  it('ls and stats read the entries under the base prefix', async () => {
    await reset()
    const ls = await cli(['ls', '--json', '--storage', storageUrl], { cwd: project.dir })
    expect(ls.stderr).toBe('')
    const out = JSON.parse(ls.stdout)
    expect(out.store).toBe(`redis ${redis.url}/0 (base app)`)
    expect(out.functions.map((f: any) => [f.id, f.fingerprint[0], f.entries, f.status])).toEqual([
      ['src/other.ts#other', 'c', 1, 'current'],
      ['src/report.ts#report', 'a', 3, 'current'],
      ['src/report.ts#report', 'b', 1, 'stale'],
    ])
    const stats = JSON.parse((await cli(['stats', '--json', '--storage', storageUrl], { cwd: project.dir })).stdout)
    expect(stats).toMatchObject({ entries: 5, functions: 2 })
  })

  it('prune --max-age deletes the stale and the idle entries, leaves keys that are not cache entries', async () => {
    await reset()
    const r = JSON.parse((await cli(['prune', '--max-age', '7d', '--json', '--storage', storageUrl], { cwd: project.dir })).stdout)
    expect(r.byReason).toMatchObject({ unnamed: { entries: 1 }, age: { entries: 1 } })
    const store = openStore({ storage: driver() })
    expect((await store.list()).map(e => e.fingerprint[0])).toEqual(['a', 'a', 'a'])
    await store.dispose()
    const storage = createStorage({ driver: driver() })
    expect(await storage.getItem('app-owned-key')).toBe('not a cache entry')
    await storage.dispose()
  })

  it('a smart-cache.config.mjs can name the Redis store; clear empties it', async () => {
    await reset()
    project.write(
      'smart-cache.config.mjs',
      `export default { storage: { driver: 'redis', url: ${JSON.stringify(`${redis.url}/0`)}, base: 'app' } }\n`,
    )
    try {
      const cleared = await cli(['clear', 'src/other.ts#other'], { cwd: project.dir })
      expect(cleared.stdout).toContain('src/other.ts#other: deleted 1 entry')
      const all = JSON.parse((await cli(['clear', '--json'], { cwd: project.dir })).stdout)
      expect(all.deleted).toEqual({ '*': 4 })
    } finally {
      project.write('smart-cache.config.mjs', 'export default {}\n')
    }
  })

  it('a Redis that is down fails fast with one message naming the store and the fix', async () => {
    const down = await startRedis()
    await down.stop()
    const started = Date.now()
    const r = await cli(['ls', '--storage', `${down.url}/0`], { cwd: project.dir })
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      new RegExp(`^\\[smart-cache\\] cannot use the store redis ${down.url.replace(/[.]/g, '\\.')}/0: .*Fix: check that it is reachable`),
    )
    expect(r.stderr).not.toContain('    at ')
    expect(Date.now() - started).toBeLessThan(15_000)
  })
})
