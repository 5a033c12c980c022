// What esbuild's `inject` and webpack's `ProvidePlugin` turn into imports, as the engine's `globals`
// (the end-to-end proof, with real builds: tests/plugin-injected-globals.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import webpack from 'webpack'
import { esbuildInjectGlobals } from '../src/core/esbuild-inject.js'
import { injectOptionGlobals } from '../src/core/inject-option.js'
import { providedGlobals } from '../src/core/provide-plugin.js'

const root = mkdtempSync(join(tmpdir(), 'sc-injected-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('esbuildInjectGlobals', () => {
  it('lists the value exports of each inject file (found with the extensions), string names included, not `default` or types', () => {
    writeFileSync(
      join(root, 'shims.ts'),
      "export const a = 1\nexport function b() {}\nconst c = 1\nexport { c as 'process.cwd' }\nexport default 1\nexport type T = 1\n",
    )
    const { globals, undeclared } = esbuildInjectGlobals({ absWorkingDir: root, inject: ['./shims'] }, '/elsewhere')
    const from = join(root, 'shims.ts')
    expect({ ...globals }).toEqual({
      a: { from, specifier: './shims.ts', name: 'a' },
      b: { from, specifier: './shims.ts', name: 'b' },
      'process.cwd': { from, specifier: './shims.ts', name: 'process.cwd' },
    })
    expect(undeclared).toBeUndefined()
  })

  it('a package, `export *` or a missing file cannot be listed: undeclared names them', () => {
    writeFileSync(join(root, 'star.js'), "export * from './shims'\n")
    const { globals, undeclared } = esbuildInjectGlobals(
      { absWorkingDir: root, inject: ['./star.js', 'some-package', './missing.js'] },
      root,
    )
    expect(Object.keys(globals)).toEqual([])
    expect(undeclared).toMatch(/`inject` file '\.\/star\.js', 'some-package', '\.\/missing\.js', whose exports smart-cache cannot list/)
  })
})

describe('providedGlobals', () => {
  it("reads webpack's ProvidePlugin instances: a module, an export, a member path; each resolved from the reading file", () => {
    const plugins = [
      new webpack.ProvidePlugin({ _: 'lodash', fn: ['lodash', 'default'], helper: './helper.ts', deep: ['./m', 'a', 'b', 'c'] }),
      new webpack.DefinePlugin({ X: '1' }),
      new webpack.ProvidePlugin({ helper: '/abs/other.ts' }),
    ]
    expect({ ...providedGlobals(plugins) }).toEqual({
      _: [{ specifier: 'lodash', name: '*' }],
      fn: [{ specifier: 'lodash', name: 'default' }],
      helper: [
        { specifier: './helper.ts', name: '*' },
        { specifier: '/abs/other.ts', name: '*' },
      ],
      deep: [{ specifier: './m', name: 'a', members: ['b', 'c'] }],
    })
  })

  it("reads Rspack's (a built-in plugin named ProvidePlugin, its definitions as the first argument)", () => {
    const rspackLike = { name: 'ProvidePlugin', _args: [{ $: ['jquery'] }] }
    expect({ ...providedGlobals([rspackLike, undefined, {}]) }).toEqual({ $: [{ specifier: 'jquery', name: '*' }] })
  })
})

describe('injectOptionGlobals', () => {
  it("reads Rolldown's `transform.inject`: a string is the default export, a pair an export or the namespace; resolved from the reading file", () => {
    const inject = { $: 'jquery', P: ['es6-promise', 'Promise'], fs: ['node:fs', '*'], 'Object.assign': '/abs/assign.js', bad: [1] }
    expect({ ...injectOptionGlobals(inject) }).toEqual({
      $: { specifier: 'jquery', name: 'default' },
      P: { specifier: 'es6-promise', name: 'Promise' },
      fs: { specifier: 'node:fs', name: '*' },
      'Object.assign': { specifier: '/abs/assign.js', name: 'default' },
    })
  })
})
