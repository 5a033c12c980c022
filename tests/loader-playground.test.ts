// playground/node-loader: the shared program run by plain Node through its own `start` script
// (`node --import smart-cache/register src/main.js`), no bundler.
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { createTempDir } from './helpers/temp-project.ts'

const exec = promisify(execFile)
const dir = resolve(import.meta.dirname, '../playground/node-loader')
const values = createTempDir('loader-playground')

describe('playground/node-loader', () => {
  it("computes in the first process and hits in the next, with the plugin's ids and fingerprints", async () => {
    const env = { ...process.env, SMART_CACHE_DIR: values, NODE_OPTIONS: '' }
    const start = async () =>
      (await exec('pnpm', ['--silent', 'start', '--json'], { cwd: dir, env })).stdout
        .trim()
        .split('\n')
        .map(line => JSON.parse(line))
    const first = await start()
    expect(first.map(r => [r.call, r.value, r.hit])).toEqual([
      ['countPrimes(40000000)', 2433654, false],
      ['twinPrimes(40000000)', 196753, false],
    ])
    const second = await start()
    expect(second.map(r => r.hit)).toEqual([true, true])
    const { stdout } = await exec(
      process.execPath,
      [
        '--import',
        'smart-cache/register',
        '--input-type=module',
        '-e',
        `import { countPrimes } from './src/primes.js'; console.log(countPrimes.id, countPrimes.fingerprint)`,
      ],
      { cwd: dir, env },
    )
    const [id, fingerprint] = stdout.trim().split(' ')
    expect(id).toBe('src/primes.js#countPrimes')
    const cli = resolve(import.meta.dirname, '../packages/cli/bin/smart-cache.mjs')
    expect(JSON.parse((await exec(process.execPath, [cli, 'fingerprint', '--json', id!], { cwd: dir, env })).stdout)[id!]).toBe(fingerprint)
  })
})
