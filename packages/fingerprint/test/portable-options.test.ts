// The options that decide fingerprints, as a build records them for the CLI: JSON with no
// absolute path and no define value, read back into options that give the same fingerprints,
// and checked on the way in (a malformed record names the part that is wrong).
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import {
  createFingerprinter,
  defineDigest,
  type FingerprintingOptions,
  fromPortableOptions,
  toPortableOptions,
} from '@smart-cache/fingerprint'
import { project } from './helpers.ts'

const files = {
  'src/main.ts': [
    `import { rate } from '@lib/rate'`,
    `import { base } from '~cfg/base'`,
    `declare const __KEY__: string`,
    `declare const tax: () => number`,
    `export const f = (n: number) => n * rate() + base + __KEY__.length + import.meta.env.VITE_N + tax()`,
  ].join('\n'),
  'src/lib/rate.ts': 'export const rate = () => 2',
  'src/cfg/base.ts': 'export const base = 1',
  'src/tax.ts': 'export const tax = () => 0.2',
}

/** Options as a bundler plugin gives them: absolute alias targets and declaration file, define values. */
function buildOptions(root: string): FingerprintingOptions {
  return {
    resolve: {
      alias: [
        { find: '@lib', replacement: join(root, 'src/lib') },
        { find: /^~cfg\/(.*)$/, replacement: join(root, 'src/cfg/$1') },
        { find: 'virtual-x', replacement: null },
        { find: 'react', replacement: 'preact/compat' },
      ],
      environments: [{ conditions: ['browser', 'production'], mainFields: ['browser', 'module', 'main'] }],
      extensions: ['.ts', '.js'],
      extensionAlias: { '.js': ['.ts', '.js'] },
    },
    defines: { __KEY__: '"s3cr3t-key"', 'import.meta.env.VITE_N': '3' },
    globals: { tax: { from: join(root, 'auto-imports.d.ts'), specifier: './src/tax', name: 'tax' } },
    entries: [join(root, 'src/main.ts')],
  }
}

async function hashOf(root: string, options: FingerprintingOptions): Promise<string> {
  const engine = createFingerprinter({ root, cacheDir: false, ...options })
  try {
    const fp = await engine.fingerprint('src/main.ts', 'f')
    expect(fp.uncacheable).toBeUndefined()
    return fp.hash
  } finally {
    await engine.close()
  }
}

describe('portable engine options', () => {
  it('hold no absolute path and no define value, and are the same for the same build in another folder', () => {
    const a = project(files)
    const b = project(files)
    const record = JSON.stringify(toPortableOptions(buildOptions(a), a))
    expect(record).not.toContain(a)
    expect(record).not.toContain('s3cr3t-key')
    expect(record).toContain(defineDigest('"s3cr3t-key"'))
    expect(JSON.stringify(toPortableOptions(buildOptions(b), b))).toBe(record)
  })

  it('read back (in another folder too), give the fingerprint the original options give; without them it differs', async () => {
    const a = project(files)
    const b = project(files)
    const expected = await hashOf(a, buildOptions(a))
    const record = JSON.parse(JSON.stringify(toPortableOptions(buildOptions(a), a)))
    expect(await hashOf(a, fromPortableOptions(record, a))).toBe(expected)
    expect(await hashOf(b, fromPortableOptions(record, b))).toBe(expected)
    const engine = createFingerprinter({ root: a, cacheDir: false })
    try {
      expect((await engine.fingerprint('src/main.ts', 'f')).hash).not.toBe(expected)
    } finally {
      await engine.close()
    }
  })

  it('a define given by its digest counts as its value', async () => {
    const a = project({ 'main.ts': 'declare const __R__: number\nexport const f = () => __R__' })
    const engine = (defines: FingerprintingOptions['defines']) => createFingerprinter({ root: a, cacheDir: false, defines })
    const hash = async (defines: FingerprintingOptions['defines']) => {
      const e = engine(defines)
      try {
        return (await e.fingerprint('main.ts', 'f')).hash
      } finally {
        await e.close()
      }
    }
    const byValue = await hash({ __R__: '2' })
    expect(await hash({ __R__: { digest: defineDigest('2') } })).toBe(byValue)
    expect(await hash({ __R__: { digest: defineDigest('3') } })).not.toBe(byValue)
  })

  it('globals without `from` (ProvidePlugin), with members, several per key, and undeclaredGlobals read back as given', () => {
    const root = project(files)
    const options: FingerprintingOptions = {
      globals: {
        helper: [
          { specifier: './helper', name: 'a', members: ['b'] },
          { from: join(root, 'shims.ts'), specifier: './shims.ts', name: 'helper' },
        ],
        'process.cwd': { from: join(root, 'shims.ts'), specifier: './shims.ts', name: 'process.cwd' },
      },
      undeclaredGlobals: 'the auto-import plugin may inject it',
    }
    const record = JSON.parse(JSON.stringify(toPortableOptions(options, root)))
    expect(JSON.stringify(record)).not.toContain(root)
    expect(fromPortableOptions(record, root)).toEqual(options)
    expect(() => fromPortableOptions({ globals: { x: [{ specifier: 'a', name: 'b', members: 'c' }] } }, root)).toThrow(
      /^globals\["x"\]\[0\]\.members must be an array$/,
    )
  })

  it('an empty option is left out; every part read back is checked, and the error names the part', () => {
    const root = project(files)
    expect(toPortableOptions({ defines: {}, globals: {} }, root)).toEqual({})
    const bad: Array<[unknown, RegExp]> = [
      ['x', /^options must be an object$/],
      [{ resolv: {} }, /^options has unknown keys \(resolv\)/],
      [{ resolve: { alias: {} } }, /^resolve\.alias must be an array$/],
      [
        { resolve: { alias: [{ find: { regexp: '(', flags: '' }, replacement: 'x' }] } },
        /^resolve\.alias\[0\]\.find is not a valid RegExp/,
      ],
      [{ resolve: { alias: [{ find: 'a', replacement: { path: 1 } }] } }, /^resolve\.alias\[0\]\.replacement\.path must be a string$/],
      [{ resolve: { environments: [{ conditions: 'node' }] } }, /^resolve\.environments\[0\]\.conditions must be an array$/],
      [{ defines: { __R__: '2' } }, /^defines\["__R__"\] must be an object$/],
      [{ defines: { __R__: { digest: 'abc' } } }, /^defines\["__R__"\]\.digest must be 64 hex characters/],
      [{ globals: { tax: { from: 'a.d.ts', specifier: './t' } } }, /^globals\["tax"\]\.name must be a string$/],
    ]
    for (const [value, message] of bad) expect(() => fromPortableOptions(value, root), JSON.stringify(value)).toThrow(message)
  })
})
