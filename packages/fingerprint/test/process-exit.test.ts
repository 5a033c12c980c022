import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { ENGINE_VERSION } from '@smart-cache/fingerprint'

const run = promisify(execFile)
const dist = resolve(import.meta.dirname, '../dist/index.mjs')
const project = mkdtempSync(join(tmpdir(), 'sc-exit-'))
writeFileSync(join(project, 'package.json'), '{"name":"exit-check","type":"module"}')
writeFileSync(join(project, 'main.ts'), "import { add } from './add'\nexport const twice = (n: number) => add(n, n)\n")
writeFileSync(join(project, 'add.ts'), 'export function add(a: number, b: number) { return a + b }\n')
afterAll(() => rmSync(project, { recursive: true, force: true }))

// A build tool that creates an engine and never calls close() must still exit by itself:
// idle parser threads (even one started ahead of time and never used) keep nothing alive.
const script = `
const { createFingerprinter } = await import(${JSON.stringify(new URL(`file://${dist}`).href)})
const engine = createFingerprinter({ root: process.argv[1] })
const fp = await engine.fingerprint('main.ts', 'twice')
console.log(fp.hash)
`

describe('the engine does not keep the process alive', () => {
  it('exits without close(), with a cold and then a warm disk cache', async () => {
    const cold = await run(process.execPath, ['--input-type=module', '-e', script, project], { timeout: 30_000 })
    const warm = await run(process.execPath, ['--input-type=module', '-e', script, project], { timeout: 30_000 })
    expect(cold.stdout.trim()).toMatch(/^[0-9a-f]{64}$/)
    expect(warm.stdout.trim()).toBe(cold.stdout.trim())
    // Never closed, the engine still saved its snapshot when the process ran out of work.
    const dir = join(project, 'node_modules/.cache/smart-cache/engine', ENGINE_VERSION)
    expect(readdirSync(dir).filter(f => f.endsWith('.snapshot'))).toHaveLength(1)
  })
})

// `node --max-old-space-size=8192 node_modules/vite/bin/vite.js build` is how large apps build: Node
// refuses a worker given V8 heap flags or --input-type, so the parser threads must not inherit them.
describe('parser threads start whatever flags the process has', () => {
  const wide = mkdtempSync(join(tmpdir(), 'sc-flags-'))
  const parts = Array.from({ length: 24 }, (_, i) => `p${i}`)
  writeFileSync(join(wide, 'package.json'), '{"name":"flags-check","type":"module"}')
  // One file importing 24: a batch larger than the main thread parses inline, so threads start.
  writeFileSync(
    join(wide, 'main.ts'),
    `${parts.map(p => `import { ${p} } from './${p}'`).join('\n')}\nexport const all = (n: number) => ${parts.map(p => `${p}(n)`).join(' + ')}\n`,
  )
  for (const [i, p] of parts.entries()) writeFileSync(join(wide, `${p}.ts`), `export function ${p}(n: number) { return n * ${i} }\n`)
  afterAll(() => rmSync(wide, { recursive: true, force: true }))
  const once = `
const { createFingerprinter } = await import(${JSON.stringify(new URL(`file://${dist}`).href)})
const engine = createFingerprinter({ root: process.argv[1], cacheDir: false })
const fp = await engine.fingerprint('main.ts', 'all')
await engine.close()
console.log(fp.hash, fp.deps.length)
`

  it('fingerprints under V8 heap flags and --input-type as without them', async () => {
    const plain = await run(process.execPath, ['--input-type=module', '-e', once, wide], { timeout: 30_000 })
    const flagged = await run(
      process.execPath,
      ['--max-old-space-size=2048', '--max-semi-space-size=16', '--stack-size=900', '--input-type=module', '-e', once, wide],
      { timeout: 30_000 },
    )
    expect(plain.stdout.trim()).toMatch(/^[0-9a-f]{64} 24$/)
    expect(flagged.stdout.trim()).toBe(plain.stdout.trim())
    expect(flagged.stderr).toBe('')
  })
})
