import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { project, withEngine } from './helpers.ts'

const N = 50_000

describe('no recursion limit', () => {
  const deep: Record<string, string> = {
    parentheses: `${'('.repeat(N)}x${')'.repeat(N)}`,
    arrays: `${'['.repeat(N)}x${']'.repeat(N)}`,
    calls: `${'g('.repeat(N)}x${')'.repeat(N)}`,
    objects: `${'{a:'.repeat(N)}x${'}'.repeat(N)}`,
    'binary operators': `x${'+1'.repeat(N)}`,
    conditionals: `${'x?1:'.repeat(N)}0`,
    'arrow functions': `${'y=>'.repeat(N)}x`,
    'unary operators': `${'!'.repeat(N)}x`,
  }
  for (const [name, expr] of Object.entries(deep)) {
    it(`a ${N.toLocaleString('en')}-deep nested expression: ${name}`, async () => {
      const dir = project({
        'a.ts': `const x = 1\nconst g = (v) => v\nexport function f() { return ${expr} }\n`,
        'b.ts': `const x = 2\nconst g = (v) => v\nexport function f() { return ${expr} }\n`,
      })
      await withEngine(dir, async e => {
        const a = await e.fingerprint('a.ts', 'f')
        const b = await e.fingerprint('b.ts', 'f')
        expect(a.hash).toMatch(/^[0-9a-f]{64}$/)
        expect(b.hash).not.toBe(a.hash)
      })
    })
  }

  it('a 5,000-module import chain, then a cycle closing it', async () => {
    const n = 5000
    const files: Record<string, string> = {}
    for (let i = 0; i < n; i++) {
      files[`m${i}.ts`] =
        i + 1 < n
          ? `import { f${i + 1} } from './m${i + 1}'\nexport function f${i}(x: number): number { return f${i + 1}(x) + ${i} }\n`
          : `export function f${i}(x: number): number { return x }\n`
    }
    const dir = project(files)
    await withEngine(dir, async e => {
      const a = await e.fingerprint('m0.ts', 'f0')
      expect(a.deps).toHaveLength(n - 1)
      const tree = await e.explain('m0.ts', 'f0')
      let depth = 0
      for (let t = tree; t.children.length > 0; t = t.children[0]!) depth++
      expect(depth).toBe(n - 1)
      writeFileSync(
        join(dir, `m${n - 1}.ts`),
        `import { f0 } from './m0'\nexport function f${n - 1}(x: number): number { return x > 0 ? f0(x - 1) : 0 }\n`,
      )
      const b = await e.fingerprint('m0.ts', 'f0')
      expect(b.hash).not.toBe(a.hash)
      expect((await e.fingerprint('m2500.ts', 'f2500')).hash).not.toBe(b.hash)
    })
  }, 300_000)
})

describe('errors and warnings', () => {
  it('a syntax error names file:line:col with the parser message and code frame', async () => {
    const dir = project({
      'main.ts': `import { g } from './bad'\nexport const f = () => g()`,
      'bad.ts': `export const g = () => {\n  return 1 +\n}\n`,
    })
    const error = await withEngine(dir, e => e.fingerprint('main.ts', 'f')).catch((err: Error) => err)
    expect(error).toBeInstanceOf(Error)
    const message = (error as Error).message
    expect(message).toMatch(/^\[smart-cache\] syntax error at bad\.ts:3:1: /)
    expect(message).toContain('[bad.ts:3:1]')
    expect(message).toContain('return 1 +')
  })

  it('an import that cannot be resolved gives a fingerprint from its specifier and a warning', async () => {
    const dir = project({ 'main.ts': `import { g } from './missing'\nimport { h } from 'not-installed'\nexport const f = () => g() + h()` })
    await withEngine(dir, async e => {
      const a = await e.fingerprint('main.ts', 'f')
      expect(a.hash).toMatch(/^[0-9a-f]{64}$/)
      const codes = e.warnings.map(w => w.code)
      expect(codes).toEqual(['unresolved-import', 'unresolved-import'])
      expect(e.warnings[0]!.message).toMatch(/^\[smart-cache\] main\.ts:1:1: cannot resolve '\.\/missing'/)
      expect(e.warnings[0]).toMatchObject({ file: 'main.ts', line: 1, column: 1 })
    })
    const other = project({
      'main.ts': `import { g } from './elsewhere'\nimport { h } from 'not-installed'\nexport const f = () => g() + h()`,
    })
    const b = await withEngine(other, async e => (await e.fingerprint('main.ts', 'f')).hash)
    const a = await withEngine(dir, async e => (await e.fingerprint('main.ts', 'f')).hash)
    expect(b).not.toBe(a)
  })

  it('a computed dynamic import is reported as not followed', async () => {
    const dir = project({ 'main.ts': `export const f = (n: string) => import('./x/' + n)` })
    await withEngine(dir, async e => {
      await e.fingerprint('main.ts', 'f')
      expect(e.warnings.map(w => w.code)).toEqual(['untracked-dynamic-import'])
      expect(e.warnings[0]!.message).toContain('main.ts:1:33')
    })
  })

  it('a binary file is a clear error', async () => {
    const dir = project({
      'main.ts': `import { g } from './bin.js'\nexport const f = () => g`,
      'bin.js': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]),
    })
    await expect(withEngine(dir, e => e.fingerprint('main.ts', 'f'))).rejects.toThrow(
      /^\[smart-cache\] bin\.js is a binary file \(NUL byte at offset 4\)/,
    )
  })

  it('a non-UTF-8 file is a clear error', async () => {
    const dir = project({ 'main.ts': Buffer.from('export const f = () => "caf\xE9"', 'latin1') })
    await expect(withEngine(dir, e => e.fingerprint('main.ts', 'f'))).rejects.toThrow(/^\[smart-cache\] main\.ts is not valid UTF-8 text/)
  })

  it('a source file over 4 MB is refused with the reason, not parsed', async () => {
    const dir = project({
      'main.ts': `import { g } from './big.js'\nexport const f = () => g`,
      'big.js': `export const g = 1\n${'//'.padEnd(1023, '.')}\n`.repeat(4200),
    })
    await expect(withEngine(dir, e => e.fingerprint('main.ts', 'f'))).rejects.toThrow(
      /^\[smart-cache\] big\.js is 4\.\d MB; the engine parses source files up to 4 MB\./,
    )
  })

  it('a missing file or export names the place and the fix', async () => {
    const dir = project({ 'main.ts': `export const f = () => 1\nexport const g = 2` })
    await expect(withEngine(dir, e => e.fingerprint('nope.ts', 'f'))).rejects.toThrow(/^\[smart-cache\] cannot find nope\.ts/)
    await expect(withEngine(dir, e => e.fingerprint('main.ts', 'h'))).rejects.toThrow(
      `[smart-cache] main.ts has no export or module-level binding named 'h'. Its exports: f, g.`,
    )
  })

  it('one broken file fails only the calls that reach it', async () => {
    const dir = project({ 'ok.ts': `export const f = () => 1`, 'bad.ts': `export const f = (` })
    await withEngine(dir, async e => {
      const [ok, bad] = await Promise.allSettled([e.fingerprint('ok.ts', 'f'), e.fingerprint('bad.ts', 'f')])
      expect(ok.status).toBe('fulfilled')
      expect(bad.status).toBe('rejected')
      writeFileSync(join(dir, 'bad.ts'), `export const f = () => 2`)
      expect((await e.fingerprint('bad.ts', 'f')).hash).toMatch(/^[0-9a-f]{64}$/)
    })
  })

  it('createFingerprinter needs an absolute root', async () => {
    const { createFingerprinter } = await import('@smart-cache/fingerprint')
    expect(() => createFingerprinter({ root: 'relative/dir' })).toThrow(
      /^\[smart-cache\] createFingerprinter\(\{ root \}\) needs an absolute root/,
    )
  })
})
