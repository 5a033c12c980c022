// playground/seed-fib: the seed's benchmark, run through the app's own `build` and `start` scripts.
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const exec = promisify(execFile)
const dir = resolve(import.meta.dirname, '../playground/seed-fib')

describe('playground/seed-fib', () => {
  it('first run computes each fib(n) once, a second process computes nothing; both agree with the naive fib', async () => {
    await exec('pnpm', ['run', 'build'], { cwd: dir })
    const env = { ...process.env, FIB_N: '27' }
    const { stdout } = await exec(process.execPath, ['start.mjs', '--json'], { cwd: dir, env })
    const { first, second } = JSON.parse(stdout)
    expect(first).toMatchObject({ n: 27, cached: 196418, uncached: 196418, computed: 28 })
    expect(second).toMatchObject({ n: 27, cached: 196418, computed: 0 })
    expect(second.uncached).toBeUndefined()
    const text = (await exec('pnpm', ['start'], { cwd: dir, env })).stdout
    expect(text).toMatch(/total time uncached: +[\d.]+ms {3}naive fib\(27\)/)
    expect(text).toMatch(/total time cached, first run: +[\d.]+ms {3}28 calls computed/)
    expect(text).toMatch(/total time cached, second run \(new proc\): +[\d.]+ms {3}0 calls computed/)
    expect(text).toContain('difference: 0   (fib(27) = 196418)')
    expect(text).toMatch(/second run vs uncached: \d+x faster/)
  })
})
