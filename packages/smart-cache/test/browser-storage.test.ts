import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { smartCache } from '../src/browser.ts'
import { resetDefaultStorage } from '../src/core/defaults.ts'
import { BROWSER_DB } from '../src/storage/browser.ts'
import { FP, isolate, meta } from './helpers.ts'

// Unit level only: the real-browser test is tests/runtime-browser.test.ts (Chromium + Vite).
describe('browser entry default storage (fake-indexeddb)', () => {
  isolate().warnings()

  it('stores envelopes as bytes in IndexedDB "smart-cache"/"values" and reads them back in a new cache', async () => {
    resetDefaultStorage()
    let computed = 0
    const make = () =>
      smartCache(
        async (n: number) => {
          computed++
          return { n, at: new Date(n) }
        },
        { memory: false },
        meta('src/b.ts#make', FP('e')),
      )
    expect(await make()(3)).toEqual({ n: 3, at: new Date(3) })
    const again = make()
    expect(await again(3)).toEqual({ n: 3, at: new Date(3) })
    expect(computed).toBe(1)
    expect(again.stats).toMatchObject({ hits: 1, errors: 0 })
    const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
      const open = indexedDB.open(BROWSER_DB.dbName)
      open.onerror = () => reject(open.error)
      open.onsuccess = () => {
        const req = open.result.transaction(BROWSER_DB.storeName).objectStore(BROWSER_DB.storeName).getAllKeys()
        req.onsuccess = () => resolve(req.result)
      }
    })
    expect(keys).toHaveLength(1)
    expect(String(keys[0])).toMatch(new RegExp(`^sc1:${FP('e')}:[0-9a-f]{64}$`))
  })
})

describe('browser entry option checks', () => {
  it('an unknown option names every known option; the "did you mean" is Node-only (it stays out of the browser build)', () => {
    expect(() => smartCache(async (x: number) => x, { maxage: 10 } as never)).toThrow(
      /^\[smart-cache\] smartCache\(fn, options\): unknown option "maxage"\. Known options: storage, maxAge, .*, key, name\.$/,
    )
  })
})
