// Crash safety of the fs driver: temp files orphaned by killed writers are swept by the next writer.
import { spawnSync, spawn } from 'node:child_process'
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStorage } from 'unstorage'
import { afterEach, describe, expect, it } from 'vitest'
import { resetSweeps, STALE_TEMP_MS } from '../src/drivers/fs-temp.ts'
import { atomicFsDriver } from '../src/drivers/fs.ts'
import { tempDir } from './helpers.ts'

describe('orphaned temp files', () => {
  const dir = tempDir()
  afterEach(resetSweeps)

  it('are removed by the next write to their folder: dead writers at once, live ones only when stale', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      mkdirSync(join(dir, 'a'))
      const orphan = `x.${dead}.0.sc-tmp`
      const writing = `y.${live.pid}.0.sc-tmp`
      const stale = `z.${live.pid}.1.sc-tmp`
      for (const name of [orphan, writing, stale]) writeFileSync(join(dir, 'a', name), 'partial')
      const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000
      utimesSync(join(dir, 'a', stale), old, old)
      const storage = createStorage({ driver: atomicFsDriver({ base: dir }) })
      expect(await storage.getKeys('a')).toEqual([])
      await storage.setItemRaw('a:k', new Uint8Array([1]))
      expect(readdirSync(join(dir, 'a')).sort()).toEqual(['k', writing])
      expect(await storage.getKeys()).toEqual(['a:k'])
    } finally {
      live.kill('SIGKILL')
    }
  })
})
