// Issue 6, shared store: the same project built in two folders shares one real redis-server
// (fingerprints are portable); a writer without the secret cannot poison signed readers; Redis
// stopped and restarted mid-run never reaches the caller and the cache resumes.
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { settled, smartCache } from 'smart-cache'
import { createStorage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { installRuntimeSnapshot } from './fixtures/reliability-shared/snapshot.mjs'
import { startRedis, type RedisServer } from './helpers/redis.ts'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'

const exec = promisify(execFile)
interface Once {
  id: string
  fingerprint: string
  computed: number
  ok: boolean
  stats: Record<string, number>
}

/** Builds `src/main.js` with unplugin-smart-cache for esbuild into `dist/main.mjs`. */
async function build(project: TempProject): Promise<string> {
  const esbuild = await import('esbuild')
  const { default: plugin } = await import('unplugin-smart-cache/esbuild')
  await esbuild.build({
    absWorkingDir: project.dir,
    entryPoints: [project.path('src/main.js')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: project.path('dist/main.mjs'),
    external: ['smart-cache', 'unstorage', 'unstorage/*'],
    logLevel: 'silent',
    plugins: [plugin()],
  })
  return project.path('dist/main.mjs')
}

describe('reliability: a store shared through Redis', () => {
  let redis: RedisServer
  const a = createTempProject('reliability-redis-a', { fixture: 'reliability-redis' })
  const b = createTempProject('reliability-redis-b', { fixture: 'reliability-redis' })
  const bundles: Record<string, string> = {}
  beforeAll(async () => {
    redis = await startRedis()
    bundles.a = await build(a)
    bundles.b = await build(b)
    await installRuntimeSnapshot(a.dir)
    await installRuntimeSnapshot(b.dir)
  })
  afterAll(async () => {
    await redis?.stop()
    a.remove()
    b.remove()
  })
  const once = async (which: 'a' | 'b', env: Record<string, string> = {}) => {
    const project = which === 'a' ? a : b
    const { stdout } = await exec(process.execPath, [bundles[which]!], {
      cwd: project.dir,
      env: { ...process.env, REDIS_URL: redis.url, N: '20', SMART_CACHE_SECRET: 'team secret', ...env },
    })
    return JSON.parse(stdout) as Once
  }

  it('two folders, same project: the second hits every entry the first stored; an unsigned writer cannot poison them', async () => {
    expect(a.dir).not.toBe(b.dir)
    const first = await once('a')
    expect(first).toMatchObject({ id: 'src/price.js#price', computed: 20, ok: true })
    const second = await once('b')
    expect(second).toMatchObject({ id: first.id, fingerprint: first.fingerprint, computed: 0, ok: true, stats: { hits: 20, misses: 0 } })

    // A writer without the secret (same id and fingerprint, lying function) overwrites every key.
    const storage = createStorage({ driver: redisDriver({ url: redis.url, base: 'shared' }) })
    const meta = { __smartCache: 1 as const, id: first.id, fingerprint: first.fingerprint }
    const liar = smartCache(async (n: number) => ({ n, cents: -1, lines: ['poison'] }), { storage, mode: 'refresh', memory: false }, meta)
    for (let n = 0; n < 20; n++) await liar(n)
    await settled() // its writes land after each call returns
    expect(liar.stats.bytesWritten).toBeGreaterThan(0)
    await storage.dispose()
    const signed = await once('b')
    expect(signed).toMatchObject({ computed: 20, ok: true, stats: { unsigned: 20, hits: 0 } })
    const healed = await once('a')
    expect(healed).toMatchObject({ computed: 0, ok: true, stats: { hits: 20 } })
    console.log(
      `[reliability] shared redis (vitest run tests/reliability-redis.test.ts): ${JSON.stringify({ processes: 4, folders: 2, entries: 20, crossFolderHits: second.stats.hits, poisonedWrites: 20, poisonedServed: 0, refusedUnsigned: signed.stats.unsigned, wrongValues: 0 })}`,
    )
  })

  it('Redis stopped and restarted mid-run: every call returns the right value, the cache resumes', async () => {
    const server = await startRedis()
    const lines: Array<{ t: number; ok: boolean; hit: boolean; ms: number }> = []
    let final: { stats: Record<string, number> } | undefined
    const child = spawn(process.execPath, [bundles.a!], {
      cwd: a.dir,
      env: { ...process.env, REDIS_URL: server.url, N: '10', MODE: 'loop', DURATION_MS: '9000', SMART_CACHE_SECRET: '' },
    })
    let buffer = ''
    child.stdout.on('data', d => {
      buffer += d
      for (let nl; (nl = buffer.indexOf('\n')) >= 0; buffer = buffer.slice(nl + 1)) {
        const line = JSON.parse(buffer.slice(0, nl))
        if (line.done) final = line
        else lines.push(line)
      }
    })
    let stderr = ''
    child.stderr.on('data', d => (stderr += d))
    const exited = new Promise<number | null>(resolve => child.on('exit', resolve))
    await vi.waitUntil(() => lines.length > 60, { timeout: 20_000, interval: 50 })
    const stoppingAt = Date.now()
    await server.stop()
    const stoppedAt = Date.now() // calls from here on cannot reach Redis
    await new Promise(r => setTimeout(r, 3000))
    const restarted = await startRedis({ port: server.port })
    const restartedAt = Date.now()
    expect(await exited).toBe(0)
    await restarted.stop()
    const before = lines.filter(l => l.t < stoppingAt)
    const outage = lines.filter(l => l.t >= stoppedAt && l.t < restartedAt)
    const after = lines.filter(l => l.t >= restartedAt + 1000)
    expect(lines.every(l => l.ok)).toBe(true)
    expect(before.some(l => l.hit)).toBe(true)
    expect(outage.length).toBeGreaterThan(3)
    expect(outage.some(l => l.hit)).toBe(false)
    expect(after.filter(l => l.hit).length).toBeGreaterThan(5)
    expect(final!.stats.errors).toBeGreaterThan(0)
    expect(stderr.match(/\[smart-cache\] storage/g)?.length ?? 0).toBeLessThanOrEqual(1)
    console.log(
      `[reliability] redis restart (vitest run tests/reliability-redis.test.ts): ${JSON.stringify({ calls: lines.length, duringOutage: outage.length, slowestOutageCallMs: Math.max(...outage.map(l => l.ms)), hitsBefore: before.filter(l => l.hit).length, hitsAfterRestart: after.filter(l => l.hit).length, storageErrors: final!.stats.errors, wrongValues: lines.filter(l => !l.ok).length })}`,
    )
  })
})
