// Build-time replacements (`defines`): a bundler replaces `__RATE__`, `process.env.X` and
// `import.meta.env.X` with code before the program runs, so a function reading one depends on
// its value. Proven on the engine: the value changes the fingerprint of what reads it, and of
// nothing else.
import { describe, expect, it } from 'vitest'
import { createFingerprinter } from '@smart-cache/fingerprint'
import { join } from 'node:path'
import { project, writeFiles } from './helpers.ts'

async function hashOf(root: string, defines: Record<string, string> | undefined, target = 'main.ts#f'): Promise<string> {
  const engine = createFingerprinter({ root, cacheDir: false, ...(defines ? { defines } : {}) })
  try {
    const [file, name] = target.split('#') as [string, string]
    return (await engine.fingerprint(file, name)).hash
  } finally {
    await engine.close()
  }
}

const files = {
  'main.ts': [
    `import { rate } from './rate'`,
    `declare const __RATE__: number`,
    `export const f = (n: number) => n * rate()`,
    `export const g = (n: number) => n + 1`,
    `export const env = () => import.meta.env.VITE_MODE`,
    `export const node = () => process.env.NODE_ENV === 'production'`,
  ].join('\n'),
  'rate.ts': `declare const __RATE__: number\nexport const rate = () => __RATE__`,
}

describe('defines', () => {
  it('a define a function reaches (through a helper) counts by its value; one it never reads does not', async () => {
    const dir = project(files)
    const two = await hashOf(dir, { __RATE__: '2', __OTHER__: '1' })
    expect(await hashOf(dir, { __RATE__: '3', __OTHER__: '1' })).not.toBe(two)
    expect(await hashOf(dir, { __RATE__: '2', __OTHER__: '9' })).toBe(two)
    // g reads no define: its fingerprint is the one without any
    expect(await hashOf(dir, { __RATE__: '3' }, 'main.ts#g')).toBe(await hashOf(dir, undefined, 'main.ts#g'))
  })

  it('import.meta.env.X and process.env.X count by the entries under them', async () => {
    const dir = project(files)
    const dev = await hashOf(dir, { 'import.meta.env.VITE_MODE': '"dev"' }, 'main.ts#env')
    expect(await hashOf(dir, { 'import.meta.env.VITE_MODE': '"prod"' }, 'main.ts#env')).not.toBe(dev)
    const prod = await hashOf(dir, { 'process.env.NODE_ENV': '"production"' }, 'main.ts#node')
    expect(await hashOf(dir, { 'process.env.NODE_ENV': '"development"' }, 'main.ts#node')).not.toBe(prod)
    expect(await hashOf(dir, { 'process.env.NODE_ENV': '"development"' }, 'main.ts#env')).toBe(await hashOf(dir, undefined, 'main.ts#env'))
  })

  it('a local of the same name is not the global a define replaces', async () => {
    const dir = project({ 'main.ts': `export const f = (__RATE__: number) => __RATE__ * 2` })
    expect(await hashOf(dir, { __RATE__: '3' })).toBe(await hashOf(dir, undefined))
  })

  it('import.meta.url is not import.meta.env; import.meta itself may be read for its env', async () => {
    const dir = project({
      'main.ts': `export const url = () => import.meta.url.length\nexport const whole = () => { const m = import.meta; return m.env.VITE_X }`,
    })
    const env = (v: string) => ({ 'import.meta.env.VITE_X': v })
    expect(await hashOf(dir, env('"a"'), 'main.ts#url')).toBe(await hashOf(dir, env('"b"'), 'main.ts#url'))
    expect(await hashOf(dir, env('"a"'), 'main.ts#whole')).not.toBe(await hashOf(dir, env('"b"'), 'main.ts#whole'))
  })
})

describe('globals (an auto-import plugin turns a global name into an import)', () => {
  it('a unit reading the global depends on the export it stands for; without the mapping it does not', async () => {
    const dir = project({
      'main.ts': `declare const rateOf: () => number\nexport const f = (n: number) => n * rateOf()`,
      'src/utils/rate.ts': 'export const rateOf = () => 2',
    })
    const globals = { rateOf: { from: join(dir, 'auto-imports.d.ts'), specifier: './src/utils/rate', name: 'rateOf' } }
    const hash = async (withGlobals: boolean) => {
      const engine = createFingerprinter({ root: dir, cacheDir: false, ...(withGlobals ? { globals } : {}) })
      try {
        const fp = await engine.fingerprint('main.ts', 'f')
        return { hash: fp.hash, deps: fp.deps.map(d => `${d.file}#${d.binding}`) }
      } finally {
        await engine.close()
      }
    }
    const before = await hash(true)
    expect(before.deps).toEqual(['src/utils/rate.ts#rateOf'])
    const plain = await hash(false)
    writeFiles(dir, { 'src/utils/rate.ts': 'export const rateOf = () => 3' })
    expect((await hash(true)).hash).not.toBe(before.hash)
    expect((await hash(false)).hash).toBe(plain.hash) // the engine alone cannot know what the name is
  })
})
