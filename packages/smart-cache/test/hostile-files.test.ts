// Issue 12: what sits at an entry path of the filesystem store (a 3 GiB sparse file, a FIFO, a link,
// a folder) never crashes the process, never hangs it, and never costs the file's size in memory.
// Each scenario runs the built runtime in a child process (test/fixtures/read-entry.mjs) with a kill
// timeout, so that a hang or a native abort is an assertion failure, not a stuck runner.
import { execFile, execFileSync } from 'node:child_process'
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createStorage } from 'unstorage'
import { beforeAll, describe, expect, it } from 'vitest'
import { atomicFsDriver } from '../src/drivers/fs.ts'
import { hashArgs, ready, settled, smartCache } from '../src/node.ts'
import { resetWarnings } from '../src/core/warn.ts'
import { openStore } from '../src/store.ts'
import { FP, isolate, meta, tempDir } from './helpers.ts'

const CHILD = join(import.meta.dirname, 'fixtures', 'read-entry.mjs')
const ID = 'src/sq.ts#sq'
const GiB = 1024 ** 3

interface ChildResult {
  code: number | null
  signal: string | null
  out?: { value: number; stats: Record<string, number>; warnings: string[]; unrelated: boolean; maxRssMiB: number }
  stderr: string
}

/** Runs the child; a child still running after 60 s is killed (and the result says so). */
function runChild(dir: string, fingerprint: string, env: Record<string, string> = {}, maxEntrySize?: number): Promise<ChildResult> {
  const args = [CHILD, dir, fingerprint, ...(maxEntrySize === undefined ? [] : [String(maxEntrySize)])]
  return new Promise(done => {
    execFile(
      process.execPath,
      args,
      { env: { ...process.env, ...env }, timeout: 60_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
        const line = stdout.trim().split('\n').pop()
        done({ code, signal: error?.signal ?? null, out: code === 0 && line ? JSON.parse(line) : undefined, stderr })
      },
    )
  })
}

describe('hostile files at entry paths (real files, sparse files, a real FIFO, links)', { timeout: 120_000 }, () => {
  const dir = tempDir()
  const { warnings } = isolate()
  let entry: (fingerprint: string) => string
  beforeAll(async () => {
    await ready()
    entry = fingerprint => {
      mkdirSync(join(dir, 'sc1', fingerprint), { recursive: true })
      return join(dir, 'sc1', fingerprint, hashArgs([2], ID))
    }
  })

  it('a 3 GiB sparse entry: no crash; refused by its size before reading, with a warning saying so; little memory', async () => {
    execFileSync('truncate', ['-s', '3G', entry(FP('1'))])
    for (const maxEntrySize of [undefined, Number.POSITIVE_INFINITY]) {
      const r = await runChild(dir, FP('1'), {}, maxEntrySize)
      expect(r.stderr).not.toMatch(/Assertion failed/)
      expect(r.code).toBe(0)
      expect(r.out!.value).toBe(4)
      expect(r.out!.stats).toMatchObject({ oversized: 1, hits: 0, misses: 1 })
      const limit = maxEntrySize === undefined ? 16 * 1024 * 1024 : 2 ** 31 - 1
      expect(r.out!.warnings).toEqual([
        expect.stringMatching(
          new RegExp(
            `^\\[smart-cache\\] stored entry of src/sq.ts#sq \\(key sc1:1{64}:[0-9a-f]{64}\\) is ${3 * GiB} bytes, over maxEntrySize ${limit}; it was skipped without being loaded .* Fix: `,
          ),
        ),
      ])
      expect(r.out!.maxRssMiB).toBeLessThan(200)
      console.log(`[reliability] 3 GiB sparse entry, maxEntrySize ${maxEntrySize ?? 'default'}: exit 0, peak RSS ${r.out!.maxRssMiB} MiB`)
      execFileSync('truncate', ['-s', '3G', entry(FP('1'))]) // the first child's result replaced it; plant it again
    }
  })

  it('a 1 GiB entry costs no more than a small one (peak RSS, child process)', async () => {
    execFileSync('truncate', ['-s', '1G', entry(FP('2'))])
    const big = await runChild(dir, FP('2'))
    const small = await runChild(dir, FP('2')) // now a normal hit on the entry the first run wrote
    expect(big.out!.value).toBe(4)
    expect(small.out!.stats).toMatchObject({ hits: 1 })
    expect(big.out!.maxRssMiB).toBeLessThan(small.out!.maxRssMiB + 50)
    console.log(`[reliability] 1 GiB entry: peak RSS ${big.out!.maxRssMiB} MiB (a plain hit: ${small.out!.maxRssMiB} MiB)`)
  })

  it('a FIFO at an entry path: no hang (one libuv thread, an unrelated fs call after it resolves), refused, then replaced', async () => {
    const path = entry(FP('3'))
    execFileSync('mkfifo', [path])
    const r = await runChild(dir, FP('3'), { UV_THREADPOOL_SIZE: '1' })
    expect(r.signal).toBeNull() // not killed by the timeout
    expect(r.code).toBe(0)
    expect(r.out).toMatchObject({ value: 4, unrelated: true })
    expect(r.out!.stats).toMatchObject({ errors: 1, hits: 0 })
    expect(r.out!.warnings[0]).toMatch(
      /^\[smart-cache\] storage read failed for src\/sq.ts#sq \(key sc1:3{64}:[0-9a-f]{64}\): \[smart-cache\] atomicFsDriver: .* is a FIFO \(named pipe\), not a regular file; it was not read\. Fix: remove it/,
    )
    expect(lstatSync(path).isFile()).toBe(true) // the computed result was written over it
  })

  it('a link at an entry path is not followed (to /dev/zero, or to a file elsewhere); a folder is refused', async () => {
    await ready()
    const outside = join(dir, 'outside-secret')
    writeFileSync(outside, 'secret notes')
    symlinkSync('/dev/zero', entry(FP('4')))
    symlinkSync(outside, entry(FP('5')))
    mkdirSync(entry(FP('6')))
    warnings()
    for (const [fp, kind] of [
      [FP('4'), 'a symbolic link'],
      [FP('5'), 'a symbolic link'],
      [FP('6'), 'a folder'],
    ] as const) {
      resetWarnings()
      const sq = smartCache(
        async (n: number) => n * n,
        { storage: createStorage({ driver: atomicFsDriver({ base: dir }) }), memory: false },
        meta(ID, fp),
      )
      expect(await sq(2)).toBe(4)
      await settled() // the write (refused for a folder) happens after the call returns
      expect(sq.stats).toMatchObject({ errors: fp === FP('6') ? 2 : 1, hits: 0 }) // a folder cannot be written over either
      expect(warnings().some(w => w.includes(`is ${kind}, not a regular file; it was not read`))).toBe(true)
    }
    expect(readFileSync(outside, 'utf8')).toBe('secret notes')
  })

  it('the store lists the oversized file, the FIFO and the link, and prune removes them (not what the link points to)', async () => {
    await ready()
    const sq = smartCache(
      async (n: number) => n * n,
      { storage: createStorage({ driver: atomicFsDriver({ base: dir }) }), memory: false },
      meta(ID, FP('7')),
    )
    await sq(1)
    await settled()
    execFileSync('truncate', ['-s', '3G', entry(FP('8'))])
    execFileSync('mkfifo', [entry(FP('9'))])
    const outside = join(dir, 'outside-secret')
    writeFileSync(outside, 'secret notes')
    symlinkSync(outside, entry(FP('a')))
    const store = openStore({ dir })
    const listed = await store.list()
    const byFp = Object.fromEntries(listed.map(e => [e.fingerprint[0], e]))
    expect(byFp['7']).toMatchObject({ id: ID, corrupt: false, oversized: false })
    expect(byFp['8']).toMatchObject({ id: '', corrupt: false, oversized: true, size: 3 * GiB })
    expect(byFp['9']).toMatchObject({ corrupt: true, oversized: false })
    expect(byFp['a']).toMatchObject({ corrupt: true, oversized: false })
    expect(await store.prune()).toBe(3)
    expect((await store.list()).map(e => e.fingerprint[0])).toEqual(['7'])
    expect(readFileSync(outside, 'utf8')).toBe('secret notes')
  })
})
