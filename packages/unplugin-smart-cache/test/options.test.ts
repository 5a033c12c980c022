import { relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveOptions } from '../src/core/options.js'
import unplugin from '../src/index.js'

describe('options', () => {
  it('has documented defaults', () => {
    const o = resolveOptions(undefined)
    expect(o.manifest).toBe(true)
    expect(o.diagnostics.level).toBe('warn')
    expect(o.root).toBeUndefined()
  })

  it.each([
    [
      { includ: ['x'] },
      /unknown option `includ`\. Did you mean "include"\? Known options: include, exclude, root, manifest, diagnostics, cacheDir\./,
    ],
    [{ cachedir: 'x' }, /unknown option `cachedir`\. Did you mean "cacheDir"\?/],
    [{ colour: 'red' }, /unknown option `colour`\. Known options: /],
    [{ __engine: {} }, /unknown option `__engine`\. Known options: include, exclude, root, manifest, diagnostics, cacheDir\./],
    [{ root: '/no/such/folder' }, /invalid option `root`: expected an existing folder \(\/no\/such\/folder is missing/],
    [{ include: 3 }, /invalid option `include`: expected a glob, a RegExp or an array of them, got 3/],
    [{ root: '' }, /invalid option `root`/],
    [
      { manifest: '/abs/m.json' },
      /invalid option `manifest`: expected true \(outside the output, the default\), false, or a relative file name ending in \.json/,
    ],
    [{ diagnostics: 'loud' }, /invalid option `diagnostics`: expected one of 'warn', 'error', 'off'/],
    [{ diagnostics: { level: 'warn', allow: 'x' } }, /invalid option `diagnostics.allow`/],
    [{ diagnostics: { levle: 'warn' } }, /unknown option `diagnostics.levle`\. Did you mean "level"\?/],
  ])('rejects %j with a clear startup error', (bad, message) => {
    expect(() => resolveOptions(bad as any)).toThrow(message)
    expect(() => unplugin.vite(bad as any)).toThrow(/^\[smart-cache\] /)
  })

  it('resolves a relative root against the working directory', () => {
    const sub = relative(process.cwd(), import.meta.dirname)
    expect(resolveOptions({ root: sub }).root).toBe(import.meta.dirname)
  })
})
