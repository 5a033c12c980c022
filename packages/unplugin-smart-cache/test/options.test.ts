import { describe, expect, it } from 'vitest'
import { resolveOptions } from '../src/core/options.js'
import unplugin from '../src/index.js'

describe('options', () => {
  it('has documented defaults', () => {
    const o = resolveOptions(undefined)
    expect(o.manifest).toBe('smart-cache-manifest.json')
    expect(o.diagnostics.level).toBe('warn')
    expect(o.root).toBeUndefined()
  })

  it.each([
    [{ includ: ['x'] }, /invalid option `includ`: expected no such option \(known: include, exclude, root, manifest, diagnostics, cacheDir\)/],
    [{ include: 3 }, /invalid option `include`: expected a glob, a RegExp or an array of them, got 3/],
    [{ root: '' }, /invalid option `root`/],
    [{ manifest: '/abs/m.json' }, /invalid option `manifest`: expected false or a relative file name ending in \.json/],
    [{ diagnostics: 'loud' }, /invalid option `diagnostics`: expected one of 'warn', 'error', 'off'/],
    [{ diagnostics: { level: 'warn', allow: 'x' } }, /invalid option `diagnostics.allow`/],
    [{ diagnostics: { levle: 'warn' } }, /invalid option `diagnostics.levle`/],
  ])('rejects %j with a clear startup error', (bad, message) => {
    expect(() => resolveOptions(bad as any)).toThrow(message)
    expect(() => unplugin.vite(bad as any)).toThrow(/^\[smart-cache\] /)
  })

  it('resolves a relative root against the working directory', () => {
    expect(resolveOptions({ root: 'sub' }).root).toBe(`${process.cwd()}/sub`)
  })
})
