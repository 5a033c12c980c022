// Issue 12: no value is served for a key it was not written under, signed or not (swapped and copied
// entries, in files and in a real Redis); forged error entries and errors cached by another process
// never reach the caller as a TypeError or as an error it did not ask to cache.
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Redis } from 'ioredis'
import { createStorage, type Storage } from 'unstorage'
import redisDriver from 'unstorage/drivers/redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRedis, type RedisServer } from '../../../tests/helpers/redis.ts'
import { encodeValue } from '../src/core/codec.ts'
import { FLAG_ERROR, FORMAT_VERSION, sealEnvelope } from '../src/core/envelope.ts'
import { atomicFsDriver } from '../src/drivers/fs.ts'
import { hashArgs, ready, settled, smartCache } from '../src/node.ts'
import { openStore } from '../src/store.ts'
import { FP, isolate, meta, tempDir } from './helpers.ts'

const ID = 'src/sq.ts#sq'
const FPR = FP('a')
const keyOf = (n: number) => `sc1:${FPR}:${hashArgs([n], ID)}`

/** `sq(n) = n * n`, counting computations, never keeping results in memory. */
function makeSq(storage: Storage, options: Record<string, unknown> = {}, body?: (n: number) => number) {
  const inner = Object.assign(
    async (n: number) => {
      inner.calls++
      return body ? body(n) : n * n
    },
    { calls: 0 },
  )
  return Object.assign(smartCache(inner, { storage, memory: false, ...options }, meta(ID, FPR)), { inner })
}

describe('entries bind their full key (real files)', () => {
  const dir = tempDir()
  const { warnings } = isolate()
  const storage = () => createStorage({ driver: atomicFsDriver({ base: dir }) })
  const file = (n: number) => join(dir, ...keyOf(n).split(':'))
  beforeAll(() => ready())

  it('two entries swapped on disk: sq(2) is never 9; both are detected corrupt, recomputed and rewritten', async () => {
    warnings()
    const writer = makeSq(storage())
    await writer(2)
    await writer(3)
    await settled() // writes land after the call returns
    renameSync(file(2), join(dir, 'tmp-swap'))
    renameSync(file(3), file(2))
    renameSync(join(dir, 'tmp-swap'), file(3))
    expect((await openStore({ dir }).list()).map(e => e.corrupt)).toEqual([true, true])
    const reader = makeSq(storage())
    expect(await reader(2)).toBe(4)
    expect(await reader(3)).toBe(9)
    expect(reader.stats).toMatchObject({ hits: 0, corrupt: 2, misses: 2 })
    expect(warnings().find(w => w.includes('corrupt entry'))).toMatch(
      /^\[smart-cache\] ignored a corrupt entry of src\/sq.ts#sq \(key sc1:a{64}:[0-9a-f]{64}\): .*checksum mismatch \(damaged, or not written under the key sc1:/,
    )
    await settled()
    expect(await makeSq(storage())(2)).toBe(4) // rewritten: now a hit
  })

  it('an entry copied under another key is a miss, not a wrong value', async () => {
    const writer = makeSq(storage())
    await writer(3)
    await settled()
    copyFileSync(file(3), file(5))
    const reader = makeSq(storage())
    expect(await reader(5)).toBe(25)
    expect(reader.stats).toMatchObject({ hits: 0, corrupt: 1 })
  })

  it('an entry of the previous format version is a quiet miss (no warning, no error counted) and is overwritten', async () => {
    const writer = makeSq(storage())
    await writer(4)
    await settled()
    const bytes = readFileSync(file(4))
    bytes[4] = FORMAT_VERSION - 1
    writeFileSync(file(4), bytes)
    const w = warnings()
    const reader = makeSq(storage())
    expect(await reader(4)).toBe(16)
    expect(reader.stats).toMatchObject({ hits: 0, misses: 1, errors: 0, corrupt: 0 })
    expect(w.filter(m => m.includes('src/sq.ts#sq'))).toEqual([])
    await settled()
    expect(readFileSync(file(4))[4]).toBe(FORMAT_VERSION)
  })

  it('a forged error entry with a null payload is a corrupt entry, not a TypeError', async () => {
    warnings()
    mkdirSync(dirname(file(6)), { recursive: true })
    writeFileSync(
      file(6),
      sealEnvelope({ id: ID, fingerprint: FPR }, encodeValue(null) as Uint8Array, { key: keyOf(6), signer: undefined, flags: FLAG_ERROR }),
    )
    const reader = makeSq(storage(), { cacheErrors: true })
    expect(await reader(6)).toBe(36)
    expect(reader.stats).toMatchObject({ corrupt: 1, hits: 0 })
    expect(warnings().some(w => w.includes('an entry flagged as a cached error holds null, not an error record'))).toBe(true)
  })

  it('cacheErrors: false never serves an error that a cacheErrors: true process stored', async () => {
    const failing = makeSq(storage(), { cacheErrors: true }, () => {
      throw new Error('boom')
    })
    await expect(failing(7)).rejects.toThrow('boom')
    await settled()
    await expect(makeSq(storage(), { cacheErrors: true })(7)).rejects.toThrow('boom') // stored, served to those who cache errors
    const plain = makeSq(storage())
    expect(await plain(7)).toBe(49)
    expect(plain.inner.calls).toBe(1)
    expect(plain.stats).toMatchObject({ hits: 0, errors: 0 })
    await settled()
    expect(await plain.peek(7)).toBe(49) // the value overwrote the error
  })
})

describe('entries bind their full key (a real redis-server)', { timeout: 60_000 }, () => {
  let redis: RedisServer
  let client: Redis
  const { warnings } = isolate()
  const storage = () => createStorage({ driver: redisDriver({ url: `${redis.url}/0`, base: 'app' }) })
  beforeAll(async () => {
    await ready()
    redis = await startRedis()
    client = new Redis(`${redis.url}/0`)
  })
  afterAll(async () => {
    client?.disconnect()
    await redis?.stop()
  })

  it('values swapped or copied between keys in Redis are misses', async () => {
    warnings()
    const s = storage()
    const writer = makeSq(s)
    await writer(2)
    await writer(3)
    await settled()
    const [two, three] = [await client.get(`app:${keyOf(2)}`), await client.get(`app:${keyOf(3)}`)]
    expect(two).toMatch(/^base64:/)
    await client.set(`app:${keyOf(2)}`, three!)
    await client.set(`app:${keyOf(3)}`, two!)
    await client.set(`app:${keyOf(5)}`, three!)
    const reader = makeSq(s)
    expect([await reader(2), await reader(3), await reader(5)]).toEqual([4, 9, 25])
    expect(reader.stats).toMatchObject({ hits: 0, corrupt: 3 })
    await settled()
    await s.dispose()
  })

  it('a 300 MB value is refused after reading at most maxEntrySize of it (GETRANGE), not loaded whole', async () => {
    warnings()
    await client.setrange(`app:${keyOf(9)}`, 300_000_000, 'x') // 300 MB, made by Redis itself
    const s = storage()
    const reader = makeSq(s)
    await reader(1) // connect and warm up before measuring
    globalThis.gc?.()
    const before = process.memoryUsage().rss
    expect(await reader(9)).toBe(81)
    const grown = (process.memoryUsage().rss - before) / 2 ** 20
    expect(reader.stats).toMatchObject({ oversized: 1, hits: 0 })
    expect(
      warnings().some(w =>
        /stored entry of src\/sq.ts#sq \(key sc1:a{64}:[0-9a-f]{64}\) is 22499999\d bytes, over maxEntrySize 16777216; it was skipped/.test(
          w,
        ),
      ),
    ).toBe(true)
    expect(grown).toBeLessThan(120)
    console.log(`[reliability] 300 MB Redis value over maxEntrySize: RSS grew ${grown.toFixed(0)} MiB while refusing it`)
    await settled()
    await s.dispose()
  })
})
