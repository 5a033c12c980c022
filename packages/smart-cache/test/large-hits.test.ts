// Large entries read by an async function in a new process: the first is checked with BLAKE3 in
// JavaScript while the WebAssembly one loads, the next ones wait for it; every one is verified.
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { FP, tempDir } from './helpers.ts'

const run = promisify(execFile)
const DIST = join(import.meta.dirname, '..', 'dist')

describe('large hits in a new process', () => {
  const dir = tempDir()
  const child = async () => {
    const code = `
      const { smartCache, settled } = await import(${JSON.stringify(join(DIST, 'node.mjs'))})
      const value = (k) => ({ k, rows: Array.from({ length: 4000 }, (_, j) => ({ j, s: 'row ' + (j * k) })) })
      let computed = 0
      const f = smartCache(async (k) => (computed++, value(k)), { memory: false }, { __smartCache: 1, id: 'src/big.ts#big', fingerprint: '${FP('6')}' })
      let wrong = 0
      for (let k = 0; k < 6; k++) if (JSON.stringify(await f(k)) !== JSON.stringify(value(k))) wrong++
      await settled()
      console.log(JSON.stringify({ wrong, computed, hits: f.stats.hits, corrupt: f.stats.corrupt, errors: f.stats.errors }))`
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], {
      env: { ...process.env, SMART_CACHE_DIR: dir },
      timeout: 60_000,
    })
    return JSON.parse(stdout.trim().split('\n').pop()!)
  }

  it('are all verified, the ones opened after waiting for the WebAssembly BLAKE3 too', async () => {
    expect(await child()).toMatchObject({ wrong: 0, computed: 6, hits: 0, errors: 0 })
    expect(await child()).toMatchObject({ wrong: 0, computed: 0, hits: 6, errors: 0 })
    // Damage every entry: the first is read in JavaScript, the others after waiting for the WebAssembly.
    const folder = join(dir, 'sc1', FP('6'))
    const files = readdirSync(folder).map(name => join(folder, name))
    expect(files).toHaveLength(6)
    for (const file of files) {
      const bytes = readFileSync(file)
      expect(bytes.length).toBeGreaterThan(64 * 1024)
      bytes[bytes.length - 10]! ^= 1
      writeFileSync(file, bytes)
    }
    expect(await child()).toMatchObject({ wrong: 0, computed: 6, hits: 0, corrupt: 6 })
    expect(await child()).toMatchObject({ wrong: 0, computed: 0, hits: 6, corrupt: 0 })
  })
})
