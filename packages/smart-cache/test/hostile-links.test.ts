// Issue 12: deleting never follows a link and only removes names of the store's own layout.
// Real folders and real symbolic links: a fake home folder holds what must survive.
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStorage } from 'unstorage'
import { beforeAll, describe, expect, it } from 'vitest'
import { atomicFsDriver } from '../src/drivers/fs.ts'
import { hashArgs, ready, settled, smartCache } from '../src/node.ts'
import { openStore } from '../src/store.ts'
import { FP, isolate, meta, tempDir } from './helpers.ts'

const ID = 'src/sq.ts#sq'

/** A fake home folder: notes, docs, keys, and a file named like a cache entry. */
function fakeHome(root: string, entryName: string): { dir: string; files: () => Record<string, string> } {
  const dir = join(root, 'home')
  const files = {
    'notes.txt': 'notes',
    'docs/plan.md': 'plan',
    '.ssh/id_ed25519': 'private key',
    [`${FP('1')}/${entryName}`]: 'not an entry',
  }
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  const read = () =>
    Object.fromEntries(
      Object.keys(files).map(rel => [rel, existsSync(join(dir, rel)) ? readFileSync(join(dir, rel), 'utf8') : '(deleted)']),
    )
  expect(read()).toEqual(files)
  return { dir, files: read }
}

describe('deleting never follows a link (real symlinks, a fake home)', () => {
  const root = tempDir()
  const { warnings } = isolate()
  let entryName: string
  beforeAll(async () => {
    await ready()
    entryName = hashArgs([2], ID)
  })
  const values = () => join(root, 'values')
  const storage = () => createStorage({ driver: atomicFsDriver({ base: values() }) })
  const sq = (fp: string) => smartCache(async (n: number) => n * n, { storage: storage(), memory: false }, meta(ID, fp))

  it('fn.clear() with its fingerprint folder linked to the home folder deletes nothing there', async () => {
    warnings()
    const home = fakeHome(root, entryName)
    mkdirSync(join(values(), 'sc1'), { recursive: true })
    symlinkSync(home.dir, join(values(), 'sc1', FP('0')))
    const f = sq(FP('0'))
    expect(await f(2)).toBe(4) // the write through the link is refused (a storage error), the value is right
    await settled() // that write is attempted after the call returns
    await f.clear()
    expect(home.files()).toEqual(fakeHome(root, entryName).files())
    expect(readdirSync(home.dir).sort()).toEqual(['.ssh', FP('1'), 'docs', 'notes.txt'])
  })

  it('with `sc1` itself a link: list sees nothing, and prune, clear, delete and fn.clear() delete nothing outside', async () => {
    warnings()
    const home = fakeHome(root, entryName)
    mkdirSync(values(), { recursive: true })
    symlinkSync(home.dir, join(values(), 'sc1'))
    const store = openStore({ dir: values() })
    expect(await store.list()).toEqual([])
    expect(await store.prune({ maxIdle: 0 })).toBe(0)
    expect(await store.clear()).toBe(0)
    expect(await store.delete({ fingerprint: FP('1') })).toBe(0)
    await sq(FP('1')).clear()
    // the driver itself refuses to unlink through the link
    const driver = atomicFsDriver({ base: values() })
    await expect(Promise.resolve().then(() => driver.removeItem!(`sc1:${FP('1')}:${entryName}`, {}))).rejects.toThrow(
      /^\[smart-cache\] atomicFsDriver: refused to delete .*: a folder on its path is a symbolic link.* Fix: remove the link/,
    )
    expect(home.files()).toEqual({
      'notes.txt': 'notes',
      'docs/plan.md': 'plan',
      '.ssh/id_ed25519': 'private key',
      [`${FP('1')}/${entryName}`]: 'not an entry',
    })
  })

  it('fn.clear() and store.clear() remove only names of the layout, not other files in the folder', async () => {
    const f = sq(FP('2'))
    await f(2)
    await f(3)
    await settled()
    const folder = join(values(), 'sc1', FP('2'))
    writeFileSync(join(folder, 'README.txt'), 'kept')
    mkdirSync(join(folder, 'sub'))
    writeFileSync(join(folder, 'sub', entryName), 'kept too')
    await f.clear()
    expect(readdirSync(folder).sort()).toEqual(['README.txt', 'sub'])
    await f(2)
    await settled()
    expect(await openStore({ dir: values() }).clear()).toBe(1)
    expect(readdirSync(folder).sort()).toEqual(['README.txt', 'sub'])
    expect(readFileSync(join(folder, 'sub', entryName), 'utf8')).toBe('kept too')
  })

  it("unstorage's storage.clear() on the driver removes a link under the folder, not its target", async () => {
    const home = fakeHome(root, entryName)
    mkdirSync(join(values(), 'sc1'), { recursive: true })
    symlinkSync(home.dir, join(values(), 'sc1', FP('3')))
    symlinkSync(home.dir, join(values(), 'top-link'))
    await storage().clear()
    expect(readdirSync(values())).toEqual([])
    expect(home.files()).toEqual({
      'notes.txt': 'notes',
      'docs/plan.md': 'plan',
      '.ssh/id_ed25519': 'private key',
      [`${FP('1')}/${entryName}`]: 'not an entry',
    })
  })
})
