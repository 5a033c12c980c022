// The built CLI against a real filesystem store filled by the runtime.
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { atomicFsDriver } from 'smart-cache/drivers/fs'
import { openStore } from 'smart-cache/store'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { ageFiles, cli, createProject, fill, fp, manifest, type Project } from './cache-helpers.ts'

const DAY = 86_400_000
const projects: Project[] = []
afterAll(() => projects.forEach(p => p.remove()))

/** A project whose default store (node_modules/.cache/smart-cache/values) holds:
 *  fib@A ×2 (current), fib@B ×1 (old), plain@C ×1 (no manifest names it); dist/ manifest names fib@A. */
async function project(): Promise<Project & { values: string }> {
  const p = createProject('fs')
  projects.push(p)
  const values = join(p.dir, 'node_modules/.cache/smart-cache/values')
  const storage = atomicFsDriver({ base: values })
  await fill(storage, 'src/math.ts#fib', fp('a'), [1, 2], { at: Date.now() - 3 * DAY })
  await fill(storage, 'src/math.ts#fib', fp('b'), [1])
  await fill(storage, 'plain', fp('c'), [1], { size: 1000, at: Date.now() - 10 * DAY })
  p.write('dist/smart-cache-manifest.json', manifest({ 'src/math.ts#fib': fp('a') }))
  return Object.assign(p, { values })
}

const json = (r: { stdout: string }) => JSON.parse(r.stdout)

describe('ls / stats on the default filesystem store', { timeout: 60_000 }, () => {
  let p: Project & { values: string }
  beforeEach(async () => {
    p = await project()
  })

  it('ls --json: one row per function and fingerprint, with status from the newest manifest', async () => {
    const r = await cli(['ls', '--json'], { cwd: p.dir })
    expect(r.stderr).toBe('')
    const out = json(r)
    expect(out.store).toBe(p.values)
    expect(out.manifest).toBe('dist/smart-cache-manifest.json')
    expect(out.functions.map((f: any) => [f.id, f.fingerprint[0], f.entries, f.status])).toEqual([
      ['plain', 'c', 1, 'unknown'],
      ['src/math.ts#fib', 'a', 2, 'current'],
      ['src/math.ts#fib', 'b', 1, 'stale'],
    ])
    expect(out.functions[0].bytes).toBeGreaterThan(1000)
    expect(Date.now() - out.functions[1].lastAccess).toBeLessThan(60_000)
  })

  it('ls prints a table; the newest manifest wins, --manifest overrides', async () => {
    const table = (await cli(['ls'], { cwd: p.dir })).stdout
    expect(table).toMatch(/src\/math\.ts#fib\s+aaaaaaaaaaaa\s+2\s+[\d.]+ B\s+(just now|\d+\w* ago)\s+current/)
    expect(table).toMatch(/src\/math\.ts#fib\s+bbbbbbbbbbbb\s+1 .*stale/)
    p.write('old/smart-cache-manifest.json', manifest({ 'src/math.ts#fib': fp('b') }))
    const old = json(await cli(['ls', '--json', '--manifest', 'old/smart-cache-manifest.json'], { cwd: p.dir }))
    expect(old.functions.filter((f: any) => f.status === 'current').map((f: any) => f.fingerprint[0])).toEqual(['b'])
  })

  it('a broken manifest found under the root is skipped with a warning naming it (ls, stats); prune refuses to guess', async () => {
    // Before: one truncated manifest of another build (a killed build, a hand edit) failed every command.
    p.write('other/dist/smart-cache-manifest.json', '{ "version": 2, "functi')
    const ls = await cli(['ls', '--json'], { cwd: p.dir })
    expect(ls.code).toBe(0)
    expect(ls.stderr).toMatch(
      /^\[smart-cache\] warning: skipped the manifest other\/dist\/smart-cache-manifest\.json: not valid JSON .*Fix: rebuild/,
    )
    expect(json(ls).functions.find((f: any) => f.fingerprint[0] === 'a').status).toBe('current')
    expect((await cli(['stats', '--json'], { cwd: p.dir })).code).toBe(0)
    const prune = await cli(['prune', '--max-age', '1d', '--dry-run'], { cwd: p.dir })
    expect(prune.code).toBe(1)
    expect(prune.stderr).toMatch(/other\/dist\/smart-cache-manifest\.json: not valid JSON .*Fix: rebuild/)
  })

  it('stats: totals by status and per function', async () => {
    const s = json(await cli(['stats', '--json'], { cwd: p.dir }))
    expect(s).toMatchObject({ entries: 4, functions: 2, errors: 0, hitRatio: null })
    expect(s.byStatus.current.entries).toBe(2)
    expect(s.byStatus.stale.entries).toBe(1)
    expect(s.byStatus.unknown.entries).toBe(1)
    expect(s.perFunction.map((f: any) => [f.id, f.fingerprints, f.entries])).toEqual([
      ['plain', 1, 1],
      ['src/math.ts#fib', 2, 3],
    ])
    const text = (await cli(['stats'], { cwd: p.dir })).stdout
    expect(text).toContain('2 function(s)')
    expect(text).toMatch(/stale\s+1 entry/)
  })

  it('SMART_CACHE_DIR and --dir pick another folder', async () => {
    const other = join(p.dir, 'elsewhere')
    await fill(atomicFsDriver({ base: other }), 'x#y', fp('d'), [1, 2, 3])
    for (const r of [
      await cli(['ls', '--json'], { cwd: p.dir, env: { SMART_CACHE_DIR: other } }),
      await cli(['ls', '--json', '--dir', 'elsewhere'], { cwd: p.dir }),
    ])
      expect(json(r).functions.map((f: any) => [f.id, f.entries])).toEqual([['x#y', 3]])
  })
})

describe('prune', { timeout: 60_000 }, () => {
  it('--dry-run reports and deletes nothing; then deletes corrupt and old-fingerprint entries, keeps unknown ids', async () => {
    const p = await project()
    const bad = join(p.values, 'sc1', fp('a'), fp('9'))
    writeFileSync(bad, 'not an envelope')
    const dry = await cli(['prune', '--dry-run', '--json'], { cwd: p.dir })
    expect(json(dry)).toMatchObject({
      dryRun: true,
      removed: { entries: 2 },
      byReason: { corrupt: { entries: 1 }, unnamed: { entries: 1 } },
      kept: { entries: 3 },
    })
    expect(existsSync(bad)).toBe(true)
    const real = await cli(['prune'], { cwd: p.dir })
    expect(real.stdout).toMatch(/deleted 2 entries, freed [\d.]+ \w?B/)
    expect(real.stdout).toMatch(/old fingerprint\s+1 entry/)
    expect(real.stdout).toMatch(/corrupt\s+1 entry/)
    const left = await openStore({ dir: p.values }).list()
    expect(left.map(e => [e.id, e.fingerprint[0]])).toEqual([
      ['plain', 'c'],
      ['src/math.ts#fib', 'a'],
      ['src/math.ts#fib', 'a'],
    ])
  })

  it('--max-age deletes entries unused for longer; --max-size then drops least recently used first', async () => {
    const p = await project()
    const now = Date.now()
    ageFiles(p.values, now - 10 * DAY, path => path.includes(fp('c')))
    const aged = json(await cli(['prune', '--max-age', '7d', '--json'], { cwd: p.dir }))
    expect(aged.byReason.age.entries).toBe(1)
    expect((await openStore({ dir: p.values }).list()).map(e => e.id)).toEqual(['src/math.ts#fib', 'src/math.ts#fib'])

    const store = openStore({ dir: p.values })
    const [older, newer] = await store.list()
    ageFiles(p.values, now - 2 * DAY, path => path.endsWith(older!.argsHash))
    ageFiles(p.values, now - DAY, path => path.endsWith(newer!.argsHash))
    const sized = json(await cli(['prune', '--max-size', `${newer!.size}`, '--json'], { cwd: p.dir }))
    expect(sized.byReason.size.entries).toBe(1)
    expect((await store.list()).map(e => e.key)).toEqual([newer!.key])
  })

  it('rejects bad durations and sizes, naming the flag and the fix', async () => {
    const p = await project()
    for (const [flag, value] of [
      ['--max-age', '7'],
      ['--max-age', 'soon'],
      ['--max-size', '5 parsecs'],
      ['--max-size', 'lots'],
    ]) {
      const r = await cli(['prune', flag!, value!], { cwd: p.dir })
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(new RegExp(`^\\[smart-cache\\] ${flag} '${value}' is not a (duration|size)\\. Fix: `))
      expect(r.stderr).not.toContain('    at ')
    }
    expect(readdirSync(join(p.values, 'sc1'))).toHaveLength(3)
  })

  it('without any manifest keeps every sound entry and says why', async () => {
    const p = createProject('nomanifest')
    projects.push(p)
    const dir = join(p.dir, 'values')
    await fill(atomicFsDriver({ base: dir }), 'f', fp('a'), [1])
    await fill(atomicFsDriver({ base: dir }), 'f', fp('b'), [1])
    const r = await cli(['prune', '--dir', 'values'], { cwd: p.dir })
    expect(r.stdout).toContain('deleted 0 entries')
    expect(r.stdout).toContain('no build manifest found')
  })
})

describe('clear', { timeout: 60_000 }, () => {
  it('clear ID deletes that function only; clear deletes everything', async () => {
    const p = await project()
    const one = await cli(['clear', 'src/math.ts#fib', 'nope#x'], { cwd: p.dir })
    expect(one.stdout).toContain('src/math.ts#fib: deleted 3 entries')
    expect(one.stderr).toContain('no entries for nope#x')
    expect((await openStore({ dir: p.values }).list()).map(e => e.id)).toEqual(['plain'])
    const all = await cli(['clear', '--json'], { cwd: p.dir })
    expect(json(all).deleted).toEqual({ '*': 1 })
    expect(await openStore({ dir: p.values }).list()).toEqual([])
  })
})

describe('config file, help and errors', { timeout: 60_000 }, () => {
  it('smart-cache.config.json { dir } is used when no flag is given; flags win', async () => {
    const p = await project()
    await fill(atomicFsDriver({ base: join(p.dir, 'shared') }), 'cfg#fn', fp('e'), [1])
    p.write('smart-cache.config.json', JSON.stringify({ dir: 'shared' }))
    expect(json(await cli(['ls', '--json'], { cwd: p.dir })).functions.map((f: any) => f.id)).toEqual(['cfg#fn'])
    expect(json(await cli(['ls', '--json', '--dir', p.values], { cwd: p.dir })).functions).toHaveLength(3)
  })

  it('every command has --help', async () => {
    const p = await project()
    const commands = ['ls', 'stats', 'prune', 'clear', 'explain', 'fingerprint']
    const results = await Promise.all(commands.map(command => cli([command, '--help'], { cwd: p.dir })))
    for (const [i, command] of commands.entries()) {
      const r = results[i]!
      expect(r.code, command).toBe(0)
      expect(r.stdout).toContain(`$ smart-cache ${command}`)
      expect(r.stdout).toContain('--help')
    }
  })

  it('bad storage flags and manifests fail with the fix, no stack', async () => {
    const p = await project()
    p.write('broken.json', '{ nope')
    const cases: Array<[string[], RegExp]> = [
      [['ls', '--storage', 'mongodb://x'], /only redis:\/\/ and rediss:\/\/ URLs are understood\. Fix: use --dir/],
      [['ls', '--storage', 'not a url'], /is not a URL\. Fix: use redis:\/\//],
      [['ls', '--storage', 'redis://127.0.0.1:1/0', '--dir', 'x'], /Fix: pass only one of them/],
      [['ls', '--manifest', 'missing.json'], /cannot read manifest .*missing\.json\. Fix: pass the path/],
      [['ls', '--manifest', 'broken.json'], /broken\.json: not valid JSON .*Fix: rebuild/],
      [['ls', '--config', 'nope.config.json'], /cannot load the config .*Fix:/],
      [['ls', '--bogus'], /Unknown option `--bogus`\. Fix: see `smart-cache ls --help`\./],
      [['prune', '--max-size'], /option `--max-size <size>` value is missing\. Fix: see `smart-cache prune --help`\./],
    ]
    const results = await Promise.all(cases.map(([args]) => cli(args, { cwd: p.dir })))
    for (const [i, [args, message]] of cases.entries()) {
      const r = results[i]!
      expect(r.code, args.join(' ')).toBe(1)
      expect(r.stderr).toMatch(/^\[smart-cache\] /)
      expect(r.stderr).toMatch(message)
      expect(r.stderr).not.toContain('    at ')
    }
  })
})
