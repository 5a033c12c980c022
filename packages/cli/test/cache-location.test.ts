// Issue 17, item 2: the default store is found from the nearest package.json above the working
// directory, else the user cache folder; never a node_modules made in a folder that is not a
// package. The runtime and the CLI find the same place by the same rule.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { cli } from './cache-helpers.ts'

const RUNTIME = pathToFileURL(resolve(import.meta.dirname, '../../smart-cache/dist/node.mjs')).href
const home = mkdtempSync(join(tmpdir(), 'smart-cache-location-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

/** A built script (no plugin) that doubles 21 through the cache and prints its stats as JSON. */
const script = join(home, 'script.mjs')
writeFileSync(
  script,
  `import { smartCache, settled } from ${JSON.stringify(RUNTIME)}
const double = smartCache(function double(n) { return n * 2 })
const value = double(21)
await settled()
console.log(JSON.stringify({ value, hits: double.stats.hits, misses: double.stats.misses }))
`,
)

function run(cwd: string, env: Record<string, string>): Promise<{ value: number; hits: number; misses: number }> {
  const full: NodeJS.ProcessEnv = { ...process.env }
  delete full.SMART_CACHE_DIR
  delete full.CACHE_DIR
  Object.assign(full, env)
  return new Promise((done, fail) =>
    execFile(process.execPath, [script], { cwd, env: full, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? fail(new Error(`${error.message}\n${stderr}`)) : done(JSON.parse(stdout.trim().split('\n').pop()!)),
    ),
  )
}

function folder(...parts: string[]): string {
  const dir = join(home, ...parts)
  mkdirSync(dir, { recursive: true })
  return dir
}

describe('where the default store lives', { timeout: 120_000 }, () => {
  it('outside any package: the user cache folder, the same from every folder; the CLI looks there and says so', async () => {
    const xdg = folder('xdg')
    const env = { XDG_CACHE_HOME: xdg }
    const a = folder('bare-a')
    const b = folder('bare-b', 'deeper')
    expect(await run(a, env)).toEqual({ value: 42, hits: 0, misses: 1 })
    expect(await run(b, env)).toEqual({ value: 42, hits: 1, misses: 0 })
    expect(existsSync(join(a, 'node_modules'))).toBe(false)
    expect(existsSync(join(b, 'node_modules'))).toBe(false)
    const values = join(xdg, 'smart-cache', 'values')
    const r = await cli(['stats', '--json'], { cwd: b, env })
    expect(r.stderr).toBe('')
    const report = JSON.parse(r.stdout)
    expect(report.store).toBe(values)
    expect(report.where).toMatch(/user cache folder/)
    expect(report.entries).toBe(1)
    const human = await cli(['stats'], { cwd: a, env })
    expect(human.stdout).toContain(`store: ${values}\nfound by: no writable package folder at or above ${a}: user cache folder`)
  })

  it('inside a package: beside its package.json, from any subfolder; SMART_CACHE_DIR overrides both', async () => {
    const project = folder('project')
    writeFileSync(join(project, 'package.json'), '{ "name": "p", "private": true }')
    const sub = folder('project', 'scripts', 'nested')
    const env = { XDG_CACHE_HOME: folder('xdg-unused') }
    expect(await run(project, env)).toEqual({ value: 42, hits: 0, misses: 1 })
    expect(await run(sub, env)).toEqual({ value: 42, hits: 1, misses: 0 })
    expect(existsSync(join(sub, 'node_modules'))).toBe(false)
    const r = await cli(['stats'], { cwd: sub, env })
    expect(r.stdout).toContain(
      `store: ${join(project, 'node_modules/.cache/smart-cache/values')}\nfound by: nearest package.json: ${project}\n`,
    )
    const custom = folder('custom')
    expect(await run(sub, { ...env, SMART_CACHE_DIR: custom })).toEqual({ value: 42, hits: 0, misses: 1 })
    const c = JSON.parse((await cli(['stats', '--json'], { cwd: sub, env: { ...env, SMART_CACHE_DIR: custom } })).stdout)
    expect([c.store, c.where, c.entries]).toEqual([custom, 'SMART_CACHE_DIR', 1])
  })

  it('a store folder that does not exist is said so: --dir is an error, the default a note', async () => {
    const r = await cli(['ls', '--dir', join(home, 'nope')], { cwd: home })
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/^\[smart-cache\] --dir .*nope: no such folder .*Fix: /)
    const empty = folder('empty-project')
    writeFileSync(join(empty, 'package.json'), '{}')
    const ls = await cli(['ls'], { cwd: empty })
    expect(ls.stdout).toContain('the folder does not exist (nothing cached there yet)')
    expect(ls.stdout).toContain('no cached entries.')
  })
})
