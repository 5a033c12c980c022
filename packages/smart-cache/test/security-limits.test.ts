// Issue 6: entries over maxEntrySize are refused with a warning, on write and on read.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { createStorage } from 'unstorage'
import { describe, expect, it } from 'vitest'
import { DEFAULT_MAX_ENTRY_SIZE } from '../src/core/limits.ts'
import { atomicFsDriver } from '../src/drivers/fs.ts'
import { settled, smartCache } from '../src/node.ts'
import { FP, isolate, meta, tempDir } from './helpers.ts'

describe('maxEntrySize', () => {
  const dir = tempDir()
  const { warnings } = isolate()
  const storage = () => createStorage({ driver: atomicFsDriver({ base: dir }) })
  const make = (maxEntrySize: number | undefined, bytes: number) => {
    const f = Object.assign(
      async () => {
        f.calls++
        return new Uint8Array(bytes).fill(7)
      },
      { calls: 0 },
    )
    return Object.assign(smartCache(f, { storage: storage(), maxEntrySize, memory: false }, meta('src/big.ts#big', FP('e'))), { inner: f })
  }

  it('a result over the limit is returned but not stored, with one warning naming the key and the fix', async () => {
    warnings()
    const big = make(1000, 2000)
    expect((await big()).length).toBe(2000)
    expect((await big()).length).toBe(2000)
    expect(big.inner.calls).toBe(2)
    expect(big.stats).toMatchObject({ oversized: 2, bytesWritten: 0 })
    expect(existsSync(join(dir, 'sc1'))).toBe(false)
    const w = warnings().filter(m => m.includes('over maxEntrySize'))
    expect(w).toHaveLength(1)
    expect(w[0]).toMatch(
      /^\[smart-cache\] result of src\/big.ts#big \(key sc1:e{64}:[0-9a-f]{64}\) is \d+ bytes encoded, over maxEntrySize 1000; .* Fix: .*options\.maxEntrySize/,
    )
    const small = make(1000, 10)
    await small()
    await settled() // its entry is written after the call returns
    expect(readdirSync(join(dir, 'sc1', FP('e')))).toHaveLength(1)
  })

  it("a stored entry over the reader's limit is not read (recomputed)", async () => {
    warnings()
    const writer = make(1_000_000, 5000)
    await writer()
    await settled()
    const reader = make(1000, 5000)
    expect((await reader()).length).toBe(5000)
    expect(reader.inner.calls).toBe(1)
    expect(reader.stats).toMatchObject({ oversized: 2, hits: 0 })
    expect(
      warnings().some(
        m => m.includes('stored entry of src/big.ts#big') && m.includes('over maxEntrySize 1000; it was skipped without being loaded'),
      ),
    ).toBe(true)
  })

  it('defaults to 16 MiB; invalid limits are clear errors', async () => {
    expect(DEFAULT_MAX_ENTRY_SIZE).toBe(16 * 1024 * 1024)
    warnings()
    const huge = make(undefined, DEFAULT_MAX_ENTRY_SIZE + 1)
    await huge()
    expect(huge.stats.oversized).toBe(1)
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await expect(make(bad, 1)()).rejects.toThrow(/^\[smart-cache\] src\/big.ts#big: options.maxEntrySize must be a positive integer/)
    }
  })
})
