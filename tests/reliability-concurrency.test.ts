// Issue 6, concurrency: identical calls fired at the same moment in several processes sharing one
// filesystem store give one consistent value everywhere, and each process computes a key at most once.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installRuntimeSnapshot } from './fixtures/reliability-shared/snapshot.mjs'
import { createTempProject } from './helpers/temp-project.ts'

const exec = promisify(execFile)
interface Report {
  pid: number
  computed: number[]
  calls: number
  correct: boolean
  shared: boolean
  digests: string[]
  stats: Record<string, number>
}

describe('reliability: concurrent identical calls across and within processes', () => {
  const project = createTempProject('reliability-concurrency', { fixture: 'reliability-concurrency' })
  beforeAll(() => installRuntimeSnapshot(project.dir))
  afterAll(() => project.remove())
  const run = async (env: Record<string, string>) => {
    const { stdout } = await exec(process.execPath, [project.path('run.mjs')], {
      cwd: project.dir,
      env: { ...process.env, SMART_CACHE_DIR: project.path('cache'), KEYS: '8', CALLS: '25', ...env },
    })
    return JSON.parse(stdout) as Report
  }

  it('4 processes x 8 keys x 25 simultaneous calls: one consistent value, at most one computation per key per process', async () => {
    const PROCESSES = 4
    const startAt = String(Date.now() + 1500)
    const reports = await Promise.all(Array.from({ length: PROCESSES }, () => run({ START_AT: startAt })))
    for (const r of reports) {
      expect(r).toMatchObject({ correct: true, shared: true, calls: 200 })
      for (const n of r.computed) expect(n).toBeLessThanOrEqual(1)
    }
    for (let k = 0; k < 8; k++) expect(new Set(reports.map(r => r.digests[k])).size).toBe(1)
    const computations = reports.reduce((sum, r) => sum + r.computed.reduce((a, b) => a + b, 0), 0)
    expect(computations).toBeGreaterThanOrEqual(8)
    const after = await run({ START_AT: '0' })
    expect(after).toMatchObject({ correct: true, shared: true, computed: Array(8).fill(0) })
    expect(after.digests).toEqual(reports[0]!.digests)
    const counts = {
      processes: PROCESSES + 1,
      calls: PROCESSES * 200 + 200,
      computations,
      maxPerKeyPerProcess: Math.max(...reports.flatMap(r => r.computed)),
      wrongValues: 0,
      inconsistentKeys: 0,
    }
    console.log(`[reliability] concurrency (vitest run tests/reliability-concurrency.test.ts): ${JSON.stringify(counts)}`)
  })
})
