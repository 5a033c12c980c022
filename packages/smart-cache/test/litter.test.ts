// Issue 12: failed writes clean up after themselves, the sweep runs after failed writes too, and the
// store sees (counts) and removes (prune, clear) temp files left by killed writers anywhere in it.
import { execFile, spawnSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStorage } from 'unstorage'
import { afterAll, describe, expect, it } from 'vitest'
import { resetSweeps } from '../src/drivers/fs-temp.ts'
import { atomicFsDriver } from '../src/drivers/fs.ts'
import { settled, smartCache } from '../src/node.ts'
import { openStore } from '../src/store.ts'
import { FP, isolate, meta, tempDir } from './helpers.ts'

const CHILD = join(import.meta.dirname, 'fixtures', 'write-many.mjs')
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!

/** Every temp file under `dir`. */
function temps(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(name => name.endsWith('.sc-tmp'))
}

/** A 1 MiB tmpfs when this machine lets us mount one (root in a privileged container), else undefined. */
function mountTmpfs(): { dir: string; unmount(): void } | undefined {
  if (process.getuid?.() !== 0) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'smart-cache-full-'))
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]).status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    return undefined
  }
  return {
    dir,
    unmount: () => {
      spawnSync('umount', [dir])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

describe('temp files of failed and interrupted writes', { timeout: 120_000 }, () => {
  const dir = tempDir()
  const { warnings } = isolate()

  it("40 writes to a full disk leave no temp file, and the sweep still removes a dead writer's orphan", async () => {
    const tmpfs = mountTmpfs()
    const base = tmpfs?.dir ?? dir
    try {
      const folder = join(base, 'sc1', FP('f'))
      mkdirSync(folder, { recursive: true })
      writeFileSync(join(folder, `${'0'.repeat(64)}.${deadPid()}.0.sc-tmp`), 'orphan of a killed writer')
      // A full tmpfs when we may mount one; else the kernel's file-size limit (EFBIG), as real a write failure.
      const command = tmpfs ? `exec "$0" "$@"` : 'ulimit -f 64; exec "$0" "$@"'
      const out = await new Promise<string>((done, fail) =>
        execFile(
          'bash',
          ['-c', command, process.execPath, CHILD, base, FP('f'), '40', String(100_000)],
          { timeout: 60_000, killSignal: 'SIGKILL' },
          (error, stdout) => (error ? fail(error) : done(stdout)),
        ),
      )
      const result = JSON.parse(out.trim().split('\n').pop()!)
      expect(result.wrong).toBe(0)
      expect(result.stats.errors).toBeGreaterThanOrEqual(25) // most writes failed (ENOSPC, or EFBIG)
      expect(result.warnings[0]).toMatch(
        /^\[smart-cache\] storage write failed for src\/fill.ts#fill \(key sc1:f{64}:[0-9a-f]{64}\): (ENOSPC|EFBIG)/,
      )
      expect(temps(base)).toEqual([])
      console.log(
        `[reliability] full disk (${tmpfs ? '1 MiB tmpfs' : 'ulimit -f 64'}): 40 writes, ${result.stats.errors} failed, 0 temp files left, orphan swept`,
      )
    } finally {
      tmpfs?.unmount()
    }
  })

  it("the store counts temp files anywhere in it; prune and clear remove the stale ones, never a live writer's", async () => {
    resetSweeps()
    warnings()
    const storage = createStorage({ driver: atomicFsDriver({ base: dir }) })
    await smartCache(async (n: number) => n, { storage }, meta('src/a.ts#a', FP('a')))(1)
    await settled() // its entry is written after the call returns
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      const plant = (rel: string, pid: number, text = 'partial') => {
        mkdirSync(join(dir, rel, '..'), { recursive: true })
        writeFileSync(join(dir, `${rel}.${pid}.0.sc-tmp`), text)
      }
      plant(`sc1/${FP('a')}/${'1'.repeat(64)}`, deadPid(), 'x'.repeat(100))
      plant(`sc1/${FP('b')}/${'2'.repeat(64)}`, deadPid(), 'x'.repeat(50)) // a folder no one writes to again
      plant(`sc1/${FP('c')}/${'3'.repeat(64)}`, live.pid!)
      const store = openStore({ dir })
      expect((await store.stats()).temps).toEqual({ files: 3, bytes: 157, stale: 2, staleBytes: 150 })
      expect(await store.temps()).toMatchObject({ files: 3, stale: 2 })
      expect(await store.prune()).toBe(0) // no entry to prune, but the two stale temp files go
      expect(temps(dir)).toEqual([`sc1/${FP('c')}/${'3'.repeat(64)}.${live.pid}.0.sc-tmp`])
      plant(`sc1/${FP('d')}/${'4'.repeat(64)}`, deadPid())
      expect(await store.clear()).toBe(1)
      expect(temps(dir)).toHaveLength(1)
      expect(await store.sweep()).toEqual({ files: 0, bytes: 0 })
    } finally {
      live.kill('SIGKILL')
    }
  })
})

afterAll(resetSweeps)
