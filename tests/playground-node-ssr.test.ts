// playground/node-ssr: a Vite SSR build run with Node; the cache persists on the filesystem across restarts.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from './helpers/ports.ts'
import { stopChild } from './helpers/redis.ts'
import { readBuildManifest } from './helpers/manifest.ts'
import { createTempDir } from './helpers/temp-project.ts'

const exec = promisify(execFile)
const dir = resolve(import.meta.dirname, '../playground/node-ssr')
const cache = createTempDir('smart-cache-playground-ssr')
const servers: ChildProcess[] = []
afterAll(async () => {
  await Promise.all(servers.map(s => stopChild(s)))
})

/** Runs the app's `start` command (node dist/server.mjs) on a free port; resolves when it listens. */
async function startServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['dist/server.mjs'], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), SMART_CACHE_DIR: cache },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  servers.push(child)
  let output = ''
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start: ${output}`)), 20_000)
    const check = (d: Buffer) => {
      output += d
      if (!output.includes('listening on')) return
      clearTimeout(timer)
      done()
    }
    child.stdout!.on('data', check)
    child.stderr!.on('data', (d: Buffer) => (output += d))
    child.once('exit', code => fail(new Error(`server exited with ${code}: ${output}`)))
  })
  return { url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) }
}

const rows = async (url: string) =>
  (await (await fetch(`${url}/data.json`)).json()) as Array<{ call: string; value: unknown; hit: boolean }>

describe('playground/node-ssr', () => {
  it('computes on the first request, hits from memory on the next, and from the filesystem after a restart', async () => {
    await exec('pnpm', ['run', 'build'], { cwd: dir })
    expect(Object.keys(readBuildManifest(dir, 'dist').functions)).toEqual([
      'src/numbers.ts#largestPrimeGap',
      'src/numbers.ts#longestCollatz',
    ])
    const one = await startServer()
    const first = await rows(one.url)
    expect(first.map(r => [r.call, r.hit])).toEqual([
      ['longestCollatz(500_000)', false],
      ['largestPrimeGap(5_000_000)', false],
    ])
    expect(first[0]!.value).toEqual({ start: 410011, length: 449 })
    expect((await rows(one.url)).map(r => r.hit)).toEqual([true, true])
    await one.stop()

    const two = await startServer()
    const html = await (await fetch(`${two.url}/`)).text()
    expect(html.match(/<tr data-hit="true">/g)).toHaveLength(2)
    expect(html).toContain('<td>hit</td>')
    expect((await rows(two.url)).map(r => r.value)).toEqual(first.map(r => r.value))
    await two.stop()
  })
})
