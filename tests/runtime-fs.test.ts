import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { openStore } from 'smart-cache/store'
import { afterAll, describe, expect, it } from 'vitest'
import { createTempProject } from './helpers/temp-project.ts'

const exec = promisify(execFile)

describe('runtime: filesystem cache shared across Node processes', () => {
  const project = createTempProject('runtime-fs', { fixture: 'runtime-fs' })
  afterAll(() => project.remove())
  const run = async (env: Record<string, string> = {}) => {
    const { stdout } = await exec(process.execPath, [project.path('run.mjs')], {
      cwd: project.dir,
      env: { ...process.env, SMART_CACHE_DIR: '', ...env },
    })
    return JSON.parse(stdout) as { computed: number; exact: boolean; fib30: number; stats: Record<string, number> }
  }
  const valuesDir = () => project.path('node_modules', '.cache', 'smart-cache', 'values')

  it('a second process hits what the first stored, every value type round-trips exactly', async () => {
    const first = await run()
    expect(first).toMatchObject({ exact: true, fib30: 832040, computed: 3 + 31 })
    expect(existsSync(join(valuesDir(), 'sc1', 'e'.repeat(64)))).toBe(true)
    const second = await run()
    expect(second).toMatchObject({ exact: true, fib30: 832040, computed: 0 })
    expect(second.stats).toMatchObject({ hits: 3, misses: 0, errors: 0 })
    const store = openStore({ dir: valuesDir() })
    const totals = await store.stats()
    expect(totals.functions.map(f => [f.id, f.entries])).toEqual([
      ['src/fib.mjs#fib', 31],
      ['src/values.mjs#make', 3],
    ])
  })

  it('concurrent processes writing the same keys all return exact values and leave no temp files', async () => {
    const dir = project.path('shared-cache')
    const reports = await Promise.all(Array.from({ length: 4 }, () => run({ SMART_CACHE_DIR: dir, NS: '4,5,6,7' })))
    for (const r of reports) expect(r).toMatchObject({ exact: true, fib30: 832040 })
    const files = readdirSync(join(dir, 'sc1', 'e'.repeat(64)))
    expect(files).toHaveLength(4)
    expect(files.some(f => f.includes('tmp'))).toBe(false)
    expect(await run({ SMART_CACHE_DIR: dir, NS: '4,5,6,7' })).toMatchObject({ computed: 0, exact: true })
  })

  it('SMART_CACHE=off computes and writes nothing; readonly reads but never writes', async () => {
    const dir = project.path('mode-cache')
    expect(await run({ SMART_CACHE_DIR: dir, SMART_CACHE: 'off' })).toMatchObject({ computed: 3 + 2692537, exact: true }) // no memory tier either: naive fib(30)
    expect(existsSync(dir)).toBe(false)
    expect(await run({ SMART_CACHE_DIR: dir, SMART_CACHE: 'readonly' })).toMatchObject({ computed: 34, exact: true }) // memory tier only
    expect(existsSync(dir)).toBe(false)
    await run({ SMART_CACHE_DIR: dir })
    expect(await run({ SMART_CACHE_DIR: dir, SMART_CACHE: 'readonly' })).toMatchObject({ computed: 0 })
    expect(await run({ SMART_CACHE_DIR: dir, SMART_CACHE: 'refresh' })).toMatchObject({ computed: 34, exact: true })
  })
})
