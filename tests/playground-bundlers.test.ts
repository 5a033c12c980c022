// playground/{webpack,esbuild,rollup}: the same program through each bundler's own config file,
// built with the app's `build` script and run with its output; then inspected with the CLI.
import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { readBuildManifest } from './helpers/manifest.ts'
import { createTempDir } from './helpers/temp-project.ts'

const exec = promisify(execFile)
const playground = resolve(import.meta.dirname, '../playground')
const cliBin = resolve(import.meta.dirname, '../packages/cli/bin/smart-cache.mjs')

interface Row {
  call: string
  value: number
  hit: boolean
  ms: number
}
const fingerprints: Record<string, Record<string, string>> = {}

describe.each(['webpack', 'esbuild', 'rollup'])('playground/%s', app => {
  const dir = join(playground, app)
  const cache = createTempDir(`smart-cache-playground-${app}`)
  const start = async () => {
    const { stdout } = await exec(process.execPath, ['dist/main.mjs', '--json'], {
      cwd: dir,
      env: { ...process.env, SMART_CACHE_DIR: cache },
    })
    return stdout
      .trim()
      .split('\n')
      .map(line => JSON.parse(line) as Row)
  }

  it('builds with its own config; the first run computes, a second process hits', async () => {
    await exec('pnpm', ['run', 'build'], { cwd: dir })
    const first = await start()
    expect(first.map(r => [r.call, r.value, r.hit])).toEqual([
      ['countPrimes(40000000)', 2433654, false],
      ['twinPrimes(40000000)', 196753, false],
    ])
    const second = await start()
    expect(second.map(r => [r.call, r.value, r.hit])).toEqual([
      ['countPrimes(40000000)', 2433654, true],
      ['twinPrimes(40000000)', 196753, true],
    ])
    const manifest = readBuildManifest(dir, 'dist')
    fingerprints[app] = Object.fromEntries(Object.entries(manifest.functions).map(([id, f]: [string, any]) => [id, f.fingerprint]))
    expect(Object.keys(fingerprints[app]!)).toEqual(['src/primes.js#countPrimes', 'src/primes.js#twinPrimes'])
  })

  it('the CLI sees the entries as current per the build manifest', async () => {
    const { stdout } = await exec(process.execPath, [cliBin, 'ls', '--json', '--dir', cache], { cwd: dir })
    const ls = JSON.parse(stdout)
    expect(ls.manifest).toBe('node_modules/.cache/smart-cache/manifests/dist.json')
    expect(ls.functions.map((f: any) => [f.id, f.entries, f.status])).toEqual([
      ['src/primes.js#countPrimes', 1, 'current'],
      ['src/primes.js#twinPrimes', 1, 'current'],
    ])
  })
})

describe('one program, three bundlers', () => {
  it('gives the same fingerprints whichever bundler built it', () => {
    expect(Object.keys(fingerprints).sort()).toEqual(['esbuild', 'rollup', 'webpack'])
    expect(fingerprints.esbuild).toEqual(fingerprints.webpack)
    expect(fingerprints.rollup).toEqual(fingerprints.webpack)
  })
})
