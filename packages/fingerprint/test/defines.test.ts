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

describe('globals from the reading file, member paths, several per name (ProvidePlugin, esbuild inject)', () => {
  it('without `from` the specifier resolves from the file that reads the global; members and each entry count', async () => {
    const dir = project({
      'src/main.ts': `declare const helper: () => number\ndeclare const process: { cwd(): string }\nexport const f = (n: number) => n * helper() + process.cwd().length`,
      'src/helper.ts': 'export const helper = () => 2\nexport const other = { a: { b: 1 } }',
      'shims.ts': 'const cwd = () => "/x"\nconst env = {}\nexport { cwd as "process.cwd", env as "process.env" }',
    })
    const fp = async (globals: Record<string, unknown>) => {
      const engine = createFingerprinter({ root: dir, cacheDir: false, globals: globals as never })
      try {
        const r = await engine.fingerprint('src/main.ts', 'f')
        return { hash: r.hash, deps: r.deps.map(d => `${d.file}#${d.binding}`).sort() }
      } finally {
        await engine.close()
      }
    }
    const shim = join(dir, 'shims.ts')
    const process = {
      'process.cwd': { from: shim, specifier: './shims.ts', name: 'process.cwd' },
      'process.env': [{ from: shim, specifier: './shims.ts', name: 'process.env' }],
    }
    const base = await fp({ helper: { specifier: './helper', name: 'helper' }, ...process })
    expect(base.deps).toEqual(['shims.ts#cwd', 'shims.ts#env', 'src/helper.ts#helper'])
    const members = await fp({ helper: { specifier: './helper', name: 'other', members: ['a', 'b'] }, ...process })
    const otherMembers = await fp({ helper: { specifier: './helper', name: 'other', members: ['a', 'c'] }, ...process })
    expect(members.deps).toContain('src/helper.ts#other')
    expect(otherMembers.hash).not.toBe(members.hash) // the path read is part of the hash
    const renamed = await fp({ helper: { specifier: './helper', name: 'helper' }, 'process.cwd': process['process.cwd'] })
    expect(renamed.hash).not.toBe(base.hash) // which members of the global are replaced counts
    writeFiles(dir, { 'shims.ts': 'const cwd = () => "/y"\nconst env = {}\nexport { cwd as "process.cwd", env as "process.env" }' })
    expect((await fp({ helper: { specifier: './helper', name: 'helper' }, ...process })).hash).not.toBe(base.hash)
  })
})

describe('undeclaredGlobals (a build may inject names it does not list)', () => {
  const fingerprintOf = async (
    root: string,
    options: { undeclaredGlobals?: string; defines?: Record<string, string>; globals?: never },
  ) => {
    const engine = createFingerprinter({ root, cacheDir: false, ...options })
    try {
      return await engine.fingerprint('main.ts', 'f')
    } finally {
      await engine.close()
    }
  }
  const dir = () =>
    project({
      'main.ts': `declare const rateOf: () => number\ndeclare const __X__: number\nconst g = (n: number) => n * rateOf()\nexport const f = (n: number) => g(n) + Math.max(n, __X__) + (globalThis.document ? 1 : 0)\nexport function plain(n: number) { return JSON.stringify([n, arguments.length, new URL('a:b'), process.env.X, typeof window]) }`,
    })
  it('a unit reaching a global no platform defines is uncacheable, naming it and where it is read', async () => {
    const root = dir()
    const why = 'an auto-import plugin may turn into an import: enable its `dts` option'
    const fp = await fingerprintOf(root, { undeclaredGlobals: why, defines: { __X__: '1' } })
    expect(fp.uncacheable).toBe(`it reaches the global 'rateOf' at main.ts:3:30, which ${why}`)
    expect((await fingerprintOf(root, {})).uncacheable).toBeUndefined()
  })
  it('built-in globals, defines and listed globals do not stop it', async () => {
    const root = dir()
    const globals = { rateOf: { from: join(root, 'x.d.ts'), specifier: './main', name: 'f' } } as never
    expect((await fingerprintOf(root, { undeclaredGlobals: 'x', defines: { __X__: '1' }, globals })).uncacheable).toBeUndefined()
    const plain = createFingerprinter({ root, cacheDir: false, undeclaredGlobals: 'x' })
    try {
      expect((await plain.fingerprint('main.ts', 'plain')).uncacheable).toBeUndefined() // arguments, URL, process, window
    } finally {
      await plain.close()
    }
    const withoutDefine = await fingerprintOf(root, { undeclaredGlobals: 'x', globals })
    expect(withoutDefine.uncacheable).toMatch(/^it reaches the global '__X__' at main\.ts:4:/)
  })
})
