import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createFingerprinter, fromPortableOptions, toPortableOptions } from '../src/index.ts'
import type { FingerprinterOptions } from '../src/types.ts'
import { tempDir, writeFiles } from './helpers.ts'

/** Setup done from the program's entry, in a module the function's own module never imports. */
const app = (rate: number, mainTail = 'console.log(price(5))'): Record<string, string> => ({
  'src/config.ts': `export const config = { rate: 1 }`,
  'src/setup.ts': `import { config } from './config'\nconfig.rate = ${rate}`,
  'src/price.ts': `import { config } from './config'\nexport const price = (n: number) => n * config.rate\nexport const twice = (n: number) => n * 2`,
  'src/main.ts': `import './setup'\nimport { price } from './price'\n${mainTail}`,
})

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** The fingerprint of `src/price.ts#<name>` in a fresh project, with the engine options given. */
async function fp(files: Record<string, string>, options: Partial<FingerprinterOptions>, name = 'price') {
  const root = tempDir()
  dirs.push(root)
  writeFiles(root, files)
  const engine = createFingerprinter({ root, cacheDir: false, ...options })
  try {
    const out = await engine.fingerprint('src/price.ts', name)
    return { hash: out.hash, deps: out.deps.map(d => `${d.file}#${d.binding}`), warnings: engine.warnings.map(w => w.code) }
  } finally {
    await engine.close()
  }
}

describe('entries: setup code loaded by the program, not by the function', () => {
  const entries = ['src/main.ts']

  it('without entries, setup in a module the function never loads is not seen (the documented limit)', async () => {
    expect((await fp(app(2), {})).hash).toBe((await fp(app(3), {})).hash)
  })

  it('with entries, an edit of the setup changes the fingerprint of the function reading what it writes', async () => {
    const before = await fp(app(2), { entries })
    const after = await fp(app(3), { entries })
    expect(after.hash).not.toBe(before.hash)
    expect(before.deps).toContain('src/setup.ts#(top level)')
  })

  it('absolute and root-relative entries are the same option', async () => {
    const root = tempDir()
    dirs.push(root)
    writeFiles(root, app(2))
    const hashWith = async (e: string[]) => {
      const engine = createFingerprinter({ root, cacheDir: false, entries: e })
      try {
        return (await engine.fingerprint('src/price.ts', 'price')).hash
      } finally {
        await engine.close()
      }
    }
    expect(await hashWith([join(root, 'src/main.ts')])).toBe(await hashWith(['src/main.ts']))
  })

  it('unrelated entry code and setup of what the function does not read keep the fingerprint', async () => {
    const base = await fp(app(2), { entries })
    // The entry's own top-level code (mounting an app) writes nothing the function reads.
    expect((await fp(app(2, `console.log(price(5), 'edited')\ndocument.title = 'x'`), { entries })).hash).toBe(base.hash)
    // A function that does not read config is not changed by the setup.
    expect((await fp(app(2), { entries }, 'twice')).hash).toBe((await fp(app(3), { entries }, 'twice')).hash)
  })

  it('an entry that passes a cached function to a helper (timing, reporting) does not change it', async () => {
    const runtime = {
      'node_modules/smart-cache/package.json': JSON.stringify({
        name: 'smart-cache',
        version: '1.0.0',
        type: 'module',
        exports: './index.js',
      }),
      'node_modules/smart-cache/index.js': `export function smartCache(fn) { return fn }`,
    }
    const withRuntime = (call: string): Record<string, string> => ({
      ...app(2),
      ...runtime,
      'src/price.ts': `import { smartCache } from 'smart-cache'\nimport { config } from './config'\nexport const price = smartCache(async (n: number) => n * config.rate)`,
      'src/report.ts': `export async function timed(name: string, fn: (n: number) => Promise<number>, n: number) { const t = performance.now(); const v = await fn(n); console.log(name, v, performance.now() - t) }`,
      'src/main.ts': `import './setup'\nimport { price } from './price'\nimport { timed } from './report'\n${call}`,
    })
    const base = await fp(withRuntime(`await timed('price', price, 5)`), { entries })
    expect((await fp(withRuntime(`await timed('price(6)', price, 6)`), { entries })).hash).toBe(base.hash)
    expect(base.deps).not.toContain('src/main.ts#(top level)')
  })

  it('with entries, no cross-module-write warning: the write is counted', async () => {
    expect((await fp(app(2), { entries })).warnings).not.toContain('cross-module-write')
  })

  it('stored answers are kept apart by entries and re-checked against the setup file', async () => {
    const root = tempDir()
    const cacheDir = tempDir()
    dirs.push(root, cacheDir)
    writeFiles(root, app(2))
    const run = async (options: Partial<FingerprinterOptions>) => {
      const engine = createFingerprinter({ root, cacheDir, ...options })
      try {
        return (await engine.fingerprint('src/price.ts', 'price')).hash
      } finally {
        await engine.close()
      }
    }
    const without = await run({})
    const withEntries = await run({ entries })
    expect(withEntries).not.toBe(without) // not served the answer stored without entries
    expect(await run({ entries })).toBe(withEntries) // served from the stored answers
    expect(await run({})).toBe(without)
    writeFiles(root, { 'src/setup.ts': `import { config } from './config'\nconfig.rate = 3 // edited later` })
    const edited = await run({ entries })
    expect(edited).not.toBe(withEntries)
    expect(edited).toBe((await fp(app(3), { entries })).hash)
  })

  it('as a build records them for the CLI: root-relative, and read back they give the same fingerprint', async () => {
    const root = tempDir()
    dirs.push(root)
    writeFiles(root, app(2))
    const record = JSON.parse(JSON.stringify(toPortableOptions({ entries: [join(root, 'src/main.ts'), 'src/main.ts'] }, root)))
    expect(record).toEqual({ entries: ['src/main.ts'] })
    const engine = createFingerprinter({ root, cacheDir: false, ...fromPortableOptions(record, root) })
    try {
      expect((await engine.fingerprint('src/price.ts', 'price')).hash).toBe((await fp(app(2), { entries })).hash)
    } finally {
      await engine.close()
    }
    expect(() => fromPortableOptions({ entries: 'src/main.ts' }, root)).toThrow(/^entries must be an array$/)
  })

  it('rejects entries that are not a list of paths, naming the option', () => {
    const root = tempDir()
    dirs.push(root)
    expect(() => createFingerprinter({ root, entries: 'src/main.ts' as unknown as string[] })).toThrow(/\[smart-cache\].*entries/)
  })
})
