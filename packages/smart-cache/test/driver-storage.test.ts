// The browser build's storage over one driver (issue 17: without unstorage's createStorage): it
// must read and write exactly what createStorage({ driver }) does over the same driver, so the two
// builds share entries.
import { createStorage, type Driver } from 'unstorage'
import memoryDriver from 'unstorage/drivers/memory'
import { describe, expect, it } from 'vitest'
import { driverStorage } from '../src/storage/driver-storage.ts'

/** A driver with string items only (no raw methods): raw values travel as unstorage's `base64:` strings. */
function stringDriver(): Driver & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  return {
    name: 'strings',
    data,
    hasItem: key => data.has(key),
    getItem: key => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: key => void data.delete(key),
    getKeys: () => [...data.keys()],
  }
}

describe('driverStorage', () => {
  for (const [name, make] of [
    ['a driver with raw methods (memory)', () => memoryDriver()],
    ['a driver of strings only', () => stringDriver()],
  ] as const) {
    it(`reads what createStorage wrote and the reverse, over ${name}`, async () => {
      const driver = make()
      const theirs = createStorage({ driver })
      const ours = driverStorage(driver)
      const bytes = new Uint8Array(40_000).map((_, i) => (i * 31) & 0xff)
      await theirs.setItemRaw('sc1:abc:1', bytes)
      await ours.setItemRaw('/sc1/abc/2', bytes.subarray(1)) // a key as unstorage normalizes it: sc1:abc:2
      await theirs.setItem('sc1:abc:2$', { meta: 1 }) // a meta item: never listed as a key
      await theirs.setItemRaw('other:x', new Uint8Array([1]))
      expect(new Uint8Array((await ours.getItemRaw('sc1:abc:1')) as ArrayLike<number>)).toEqual(bytes)
      expect(new Uint8Array((await theirs.getItemRaw('sc1:abc:2')) as ArrayLike<number>)).toEqual(bytes.subarray(1))
      expect((await ours.getKeys('sc1')).sort()).toEqual(await theirs.getKeys('sc1'))
      expect(await ours.getKeys('sc1:abc')).toEqual(['sc1:abc:1', 'sc1:abc:2'])
      expect([await ours.hasItem('sc1:abc:1'), await ours.hasItem('sc1:nope')]).toEqual([true, false])
      await ours.removeItem('sc1:abc:1')
      expect(await theirs.getItemRaw('sc1:abc:1')).toBeNull()
      expect(ours.getMount('sc1:').driver).toBe(driver)
      await expect(ours.getItemRaw('sc1:..:x')).rejects.toThrow(/Invalid key/)
    })
  }
})
