// Issue 12: the built CLI on a damaged or hostile filesystem store: a 3 GiB sparse entry, a FIFO,
// temp files of killed writers, a linked sc1 folder. Every command runs in a child process with a
// 60 s kill timeout (cache-helpers), so a crash or a hang fails the test instead of stalling it.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { atomicFsDriver } from 'smart-cache/drivers/fs'
import { afterAll, describe, expect, it } from 'vitest'
import { cli, createProject, fill, fp, type Project } from './cache-helpers.ts'

const projects: Project[] = []
afterAll(() => projects.forEach(p => p.remove()))
const json = (r: { stdout: string }) => JSON.parse(r.stdout)
const GiB = 1024 ** 3

/** A project whose store holds 2 sound entries, a 3 GiB sparse file, a FIFO and 2 temp files of a dead writer at entry paths. */
async function damagedProject(): Promise<Project & { values: string }> {
  const p = createProject('hostile')
  projects.push(p)
  const values = join(p.dir, 'node_modules/.cache/smart-cache/values')
  await fill(atomicFsDriver({ base: values }), 'src/a.ts#a', fp('a'), [1, 2])
  const at = (fingerprint: string, name: string) => {
    mkdirSync(join(values, 'sc1', fingerprint), { recursive: true })
    return join(values, 'sc1', fingerprint, name)
  }
  execFileSync('truncate', ['-s', '3G', at(fp('b'), '1'.repeat(64))])
  execFileSync('mkfifo', [at(fp('c'), '2'.repeat(64))])
  const dead = spawnSync(process.execPath, ['-e', '']).pid
  writeFileSync(at(fp('a'), `${'3'.repeat(64)}.${dead}.0.sc-tmp`), 'x'.repeat(1000))
  writeFileSync(at(fp('d'), `${'4'.repeat(64)}.${dead}.1.sc-tmp`), 'x'.repeat(24))
  return Object.assign(p, { values })
}

describe('the CLI on a damaged filesystem store', { timeout: 120_000 }, () => {
  it('ls, stats and prune neither crash on a 3 GiB entry nor hang on a FIFO; they list both and the temp files, and prune removes them', async () => {
    const p = await damagedProject()
    const ls = await cli(['ls', '--json'], { cwd: p.dir })
    expect(ls.stderr).toBe('')
    expect(ls.code).toBe(0)
    const out = json(ls)
    expect(out.functions.map((f: any) => [f.id, f.entries, f.bytes > 0, f.status])).toEqual([
      ['(oversized)', 1, true, 'oversized'],
      ['(corrupt)', 1, false, 'corrupt'],
      ['src/a.ts#a', 2, true, 'unknown'],
    ])
    expect(out.functions[0].bytes).toBe(3 * GiB)
    expect(out.temps).toEqual({ files: 2, bytes: 1024, stale: 2, staleBytes: 1024 })
    const table = (await cli(['ls'], { cwd: p.dir })).stdout
    expect(table).toContain('temp files of interrupted writes: 2 (1 KB), 2 stale (1 KB): `smart-cache prune` removes them')
    const stats = await cli(['stats'], { cwd: p.dir })
    expect(stats.code).toBe(0)
    expect(stats.stdout).toMatch(/oversized\s+1 entry\s+3 GB/)
    expect(stats.stdout).toMatch(/corrupt\s+1 entry/)
    const dry = json(await cli(['prune', '--dry-run', '--json'], { cwd: p.dir }))
    expect(dry).toMatchObject({
      removed: { entries: 2 },
      byReason: { corrupt: { entries: 1 }, oversized: { entries: 1, bytes: 3 * GiB } },
      temps: { files: 2, bytes: 1024 },
    })
    const pruned = await cli(['prune'], { cwd: p.dir })
    expect(pruned.code).toBe(0)
    expect(pruned.stdout).toMatch(/over the size limit\s+1 entry\s+3 GB/)
    expect(pruned.stdout).toContain('deleted 2 stale temp file(s) of interrupted writes, 1 KB')
    const after = json(await cli(['ls', '--json'], { cwd: p.dir }))
    expect(after.functions.map((f: any) => [f.id, f.entries])).toEqual([['src/a.ts#a', 2]])
    expect(after.temps.files).toBe(0)
  })

  it("--max-entry-size sets the limit (the runtime's maxEntrySize); 0 is refused with the fix", async () => {
    const p = await damagedProject()
    const small = json(await cli(['ls', '--json', '--max-entry-size', '100B'], { cwd: p.dir }))
    expect(small.functions.map((f: any) => [f.id, f.entries])).toEqual([
      ['(oversized)', 3],
      ['(corrupt)', 1],
    ])
    const bad = await cli(['ls', '--max-entry-size', '0'], { cwd: p.dir })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^\[smart-cache\] --max-entry-size '0' must be at least 1 byte\. Fix: /)
  })

  it('with sc1 linked to a home folder, prune and clear delete nothing there', async () => {
    const p = createProject('linked')
    projects.push(p)
    const home = join(p.dir, 'home')
    const values = join(p.dir, 'node_modules/.cache/smart-cache/values')
    await fill(atomicFsDriver({ base: join(home, 'elsewhere') }), 'src/a.ts#a', fp('a'), [1]) // a real entry, outside the store
    mkdirSync(join(home, fp('a')), { recursive: true })
    writeFileSync(join(home, fp('a'), '5'.repeat(64)), 'notes named like an entry')
    writeFileSync(join(home, 'notes.txt'), 'notes')
    mkdirSync(values, { recursive: true })
    symlinkSync(home, join(values, 'sc1'))
    for (const args of [['prune', '--max-age', '1ms'], ['clear'], ['clear', 'src/a.ts#a']]) {
      const r = await cli(args, { cwd: p.dir })
      // clear ID finds no entry of that id (the linked folder is not read): exit 1, as for any id with no entries
      expect(r.code, args.join(' ')).toBe(args[1] === 'src/a.ts#a' ? 1 : 0)
    }
    expect(readFileSync(join(home, fp('a'), '5'.repeat(64)), 'utf8')).toBe('notes named like an entry')
    expect(readFileSync(join(home, 'notes.txt'), 'utf8')).toBe('notes')
    expect(readdirSync(join(home, 'elsewhere', 'sc1', fp('a')))).toHaveLength(1)
    expect(existsSync(join(values, 'sc1'))).toBe(true) // the link itself is not a layout name either
  })
})
