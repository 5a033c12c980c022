import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { inspectCache, settled, smartCache } from '../src/browser.ts'
import { resetDefaultStorage } from '../src/core/defaults.ts'
import { FP, isolate, meta } from './helpers.ts'

// Issue 17, item 8: the app can look at and clear its own IndexedDB cache (the CLI cannot reach a
// browser's). Unit level (fake-indexeddb), beside the real-browser test tests/runtime-browser.test.ts.
describe('inspectCache() on the browser default store', () => {
  isolate().warnings()

  it('lists the entries with their function ids and sizes, and clear() empties the store', async () => {
    resetDefaultStorage()
    const square = smartCache(async (n: number) => n * n, { memory: false }, meta('src/sq.ts#square', FP('5')))
    await square(2)
    await square(3)
    await settled()
    const seen = await inspectCache()
    expect(seen.where).toBe('IndexedDB "smart-cache"/"values"')
    expect(seen.entries.map(e => [e.id, e.fingerprint, e.corrupt])).toEqual([
      ['src/sq.ts#square', FP('5'), false],
      ['src/sq.ts#square', FP('5'), false],
    ])
    expect(seen.bytes).toBe(seen.entries[0]!.size + seen.entries[1]!.size)
    expect(seen.bytes).toBeGreaterThan(0)
    expect(await seen.clear()).toBe(2)
    expect((await inspectCache()).entries).toEqual([])
    let computed = 0
    const again = smartCache(
      async (n: number) => {
        computed++
        return n * n
      },
      { memory: false },
      meta('src/sq.ts#square', FP('5')),
    )
    expect(await again(2)).toBe(4)
    expect(computed).toBe(1)
  })
})
