import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createStorage } from 'unstorage'
import { describe, expect, it, vi } from 'vitest'
import { atomicFsDriver } from '../src/drivers/fs.ts'
import { fsSyncReader } from '../src/drivers/fs-read-sync.ts'
import { defaultCacheDir, findCacheDir } from '../src/storage/node.ts'
import { tempDir } from './helpers.ts'

describe('atomicFsDriver', () => {
  const dir = tempDir()

  it('stores raw bytes under key folders, lists keys sorted, removes and clears', async () => {
    const s = createStorage({ driver: atomicFsDriver({ base: dir }) })
    await s.setItemRaw('sc1:b:2', new Uint8Array([1, 2, 3]))
    await s.setItemRaw('sc1:a:1', new Uint8Array([4]))
    await s.setItem('other', 'text')
    expect([...(await s.getItemRaw('sc1:b:2'))]).toEqual([1, 2, 3])
    expect(readFileSync(join(dir, 'sc1', 'b', '2'))).toEqual(Buffer.from([1, 2, 3]))
    expect(await s.getKeys()).toEqual(['other', 'sc1:a:1', 'sc1:b:2'])
    expect(await s.getKeys('sc1:b')).toEqual(['sc1:b:2'])
    expect(await s.getItemRaw('sc1:none')).toBeNull()
    expect((await s.getMeta('sc1:a:1')).size).toBe(1)
    await s.removeItem('sc1:a:1')
    expect(await s.hasItem('sc1:a:1')).toBe(false)
    await s.clear()
    expect(readdirSync(dir)).toEqual([])
  })

  it('writes atomically: concurrent writers never leave a torn file or temp files', async () => {
    const s = createStorage({ driver: atomicFsDriver({ base: dir }) })
    const big = (n: number) => new Uint8Array(1 << 20).fill(n)
    const reads: Promise<unknown>[] = []
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        reads.push(s.getItemRaw('k:v').then((b: any) => b && expect(new Set(b).size).toBe(1)))
        return s.setItemRaw('k:v', big(i))
      }),
    )
    await Promise.all(reads)
    const final = (await s.getItemRaw('k:v')) as Uint8Array
    expect(final.length).toBe(1 << 20)
    expect(new Set(final).size).toBe(1)
    expect(readdirSync(join(dir, 'k'))).toEqual(['v'])
  })

  it('a folder removed between two writes (clear, prune, another process) is created again', async () => {
    const s = createStorage({ driver: atomicFsDriver({ base: dir }) })
    await s.setItemRaw('sc1:f:1', new Uint8Array([1]))
    rmSync(join(dir, 'sc1'), { recursive: true })
    await s.setItemRaw('sc1:f:2', new Uint8Array([2]))
    expect(readdirSync(join(dir, 'sc1', 'f'))).toEqual(['2'])
    rmSync(dir, { recursive: true }) // the base folder itself
    await s.setItemRaw('sc1:f:3', new Uint8Array([3]))
    expect([...(await s.getItemRaw('sc1:f:3'))]).toEqual([3])
    expect(readdirSync(join(dir, 'sc1', 'f'))).toEqual(['3'])
  })

  it('refuses keys that would escape the folder', async () => {
    const driver = atomicFsDriver({ base: dir })
    await expect(Promise.resolve().then(() => driver.setItemRaw!('a:..:..:x', new Uint8Array(1), {}))).rejects.toThrow(/refused key/)
    expect(existsSync(join(dir, '..', 'x'))).toBe(false)
  })

  it('default folder: SMART_CACHE_DIR, else nearest package.json root, else the user cache folder', () => {
    expect(defaultCacheDir('/anywhere', { SMART_CACHE_DIR: '/custom' })).toBe('/custom')
    expect(defaultCacheDir(join(import.meta.dirname, 'x'), {})).toBe(
      join(import.meta.dirname, '..', 'node_modules', '.cache', 'smart-cache', 'values'),
    )
    // A folder with no package.json above it (dir is under the OS temp folder): never a node_modules made there.
    const bare = join(dir, 'no-package', 'deeper')
    mkdirSync(bare, { recursive: true })
    expect(defaultCacheDir(bare, { XDG_CACHE_HOME: '/xdg' })).toBe(join('/xdg', 'smart-cache', 'values'))
    expect(defaultCacheDir(bare, {})).toBe(join(homedir(), '.cache', 'smart-cache', 'values'))
    expect(findCacheDir(bare, {}).rule).toMatch(/user cache folder/)
    expect(findCacheDir(join(import.meta.dirname, 'x'), {}).rule).toBe(`nearest package.json: ${join(import.meta.dirname, '..')}`)
    expect(existsSync(join(bare, 'node_modules'))).toBe(false)
  })
})

describe('reads record the access time', () => {
  const dir = tempDir()

  it('a read, synchronous or not, sets an mtime older than touchAfter to now, and leaves a recent one', async () => {
    const driver = atomicFsDriver({ base: dir, touchAfter: 60_000 })
    const s = createStorage({ driver })
    await s.setItemRaw('sc1:a:1', new Uint8Array([1]))
    await s.setItemRaw('sc1:a:2', new Uint8Array([2]))
    const file = (n: number) => join(dir, 'sc1', 'a', String(n))
    const old = new Date(Date.now() - 3_600_000)
    const recent = new Date(Date.now() - 30_000)
    utimesSync(file(1), old, old)
    utimesSync(file(2), recent, recent)
    const read = fsSyncReader(driver)!
    expect(read('sc1:a:1', 100)).toMatchObject({ size: 1 })
    expect(read('sc1:a:2', 100)).toMatchObject({ size: 1 })
    expect(Date.now() - statSync(file(1)).mtimeMs).toBeLessThan(60_000)
    expect(Math.abs(statSync(file(2)).mtimeMs - recent.getTime())).toBeLessThan(1000)
    utimesSync(file(1), old, old)
    expect([...(await s.getItemRaw('sc1:a:1'))]).toEqual([1])
    await vi.waitFor(() => expect(Date.now() - statSync(file(1)).mtimeMs).toBeLessThan(60_000)) // in the background
  })
})
