// The globals auto-import plugins declare (the end-to-end proof: tests/plugin-build-constants.test.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { autoImportGlobals, autoImportUndeclared, mergeGlobals, pluginNames, tappedNames } from '../src/core/auto-imports.js'

const root = mkdtempSync(join(tmpdir(), 'sc-auto-imports-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('autoImportGlobals', () => {
  it("reads unplugin-auto-import's and Nuxt's declarations: named, default and namespace imports, each from its file", () => {
    writeFileSync(
      join(root, 'auto-imports.d.ts'),
      `export {}\ndeclare global {\n  const ref: typeof import('vue')['ref']\n  const rateOf: typeof import("./src/utils/rate")["rateOf"]\n  const dayjs: typeof import('dayjs')['default']\n}\n`,
    )
    mkdirSync(join(root, '.nuxt/types'), { recursive: true })
    writeFileSync(
      join(root, '.nuxt/types/imports.d.ts'),
      `declare global {\n  const useFoo: typeof import('../../composables/foo')['useFoo']\n  const lodash: typeof import('lodash')\n  const ref: typeof import('other')['ref']\n}\n`,
    )
    const globals = autoImportGlobals(root)
    expect({ ...globals }).toEqual({
      ref: { from: join(root, 'auto-imports.d.ts'), specifier: 'vue', name: 'ref' }, // the first declaration wins
      rateOf: { from: join(root, 'auto-imports.d.ts'), specifier: './src/utils/rate', name: 'rateOf' },
      dayjs: { from: join(root, 'auto-imports.d.ts'), specifier: 'dayjs', name: 'default' },
      useFoo: { from: join(root, '.nuxt/types/imports.d.ts'), specifier: '../../composables/foo', name: 'useFoo' },
      lodash: { from: join(root, '.nuxt/types/imports.d.ts'), specifier: 'lodash', name: '*' },
    })
  })

  it('no declaration files: no globals', () => {
    expect(Object.keys(autoImportGlobals(join(root, 'nothing-here')))).toEqual([])
  })
})

describe('autoImportUndeclared, pluginNames, tappedNames', () => {
  it('an auto-import plugin among the plugins (nested, falsy entries, webpack taps) gives the reason and the fix', () => {
    const names = pluginNames([[{ name: 'vite:x' }, null, false], [{ name: 'unplugin-auto-import' }]])
    expect(names).toEqual(['vite:x', 'unplugin-auto-import'])
    expect(autoImportUndeclared(names)).toMatch(
      /^the auto-import plugin 'unplugin-auto-import' may turn into an import .*enable its `dts` option/,
    )
    expect(autoImportUndeclared(tappedNames({ make: { taps: [{ name: 'unimport' }] }, done: { taps: [] } }))).toMatch(/'unimport'/)
    expect(autoImportUndeclared(['vite:x', 'auto-import'])).toBeUndefined()
    expect(autoImportUndeclared(['inject'])).toMatch(/^@rollup\/plugin-inject may turn into an import .*`transform\.inject`/)
  })
})

describe('mergeGlobals', () => {
  it('a name in both sources stands for both entries', () => {
    const a = { x: { specifier: 'a', name: 'x' } }
    const b = { x: [{ specifier: 'b', name: 'x' }], y: { specifier: 'b', name: 'y' } }
    expect({ ...mergeGlobals(a, b) }).toEqual({ x: [a.x, b.x[0]], y: b.y })
  })
})
