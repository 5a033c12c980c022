import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import { describe, expect, it } from 'vitest'
import { unpackDeps } from '@smart-cache/fingerprint'
import { manifestDigest, manifestJson, writtenManifestDigest } from '../src/core/manifest.js'
import { rewriteDeferred, transformModule } from '../src/core/transform.js'
import { env, fakeEngine, tmpProject } from './helpers.js'

function locate(code: string, needle: string): { line: number; column: number } {
  const i = code.indexOf(needle)
  const before = code.slice(0, i)
  return { line: before.split('\n').length, column: i - before.lastIndexOf('\n') - 1 }
}

describe('sourcemaps', () => {
  it('map rewritten code back to the original lines and columns', async () => {
    const root = tmpProject()
    const code = `import { smartCache } from 'smart-cache'
export const a = smartCache(async (n) => {
  return markerA(n)
})
export async function b(n) {
  'use smart-cache'
  return markerB(n)
}
export const o = { async c(n) { 'use smart-cache'; return markerC(n) } }
`
    const out = await transformModule(code, join(root, 'src/m.js'), env(root, fakeEngine()))
    const map = new TraceMap(out!.map as any)
    for (const marker of ['markerA', 'markerB', 'markerC']) {
      const generated = locate(out!.code, marker)
      const original = originalPositionFor(map, generated)
      expect(original, marker).toMatchObject({ ...locate(code, marker), source: expect.stringMatching(/src\/m\.js$/) })
    }
  })
})

describe('sourcemaps of the deferred rewrite (one-off builds)', () => {
  it('map the rewritten calls back to the original lines and columns, after the fingerprints import', () => {
    const root = tmpProject()
    const code = `import { smartCache } from 'smart-cache'
export const a = smartCache(async (n) => {
  return markerA(n)
})
export const b = smartCache(async function b(n) { return markerB(n) }, { maxAge: 1 })
`
    const out = rewriteDeferred(code, join(root, 'src/m.js'), env(root, fakeEngine()), '\0smart-cache-fingerprints:src/m.js')
    expect(out!.ids).toEqual(['src/m.js#a', 'src/m.js#b'])
    expect(out!.code.startsWith('import { f0 as ')).toBe(true)
    const map = new TraceMap(out!.map as any)
    for (const marker of ['markerA', 'markerB']) {
      const original = originalPositionFor(map, locate(out!.code, marker))
      expect(original, marker).toMatchObject({ ...locate(code, marker), source: expect.stringMatching(/src\/m\.js$/) })
    }
  })
})

describe('manifest', () => {
  it('is Contract 3: version, sorted functions, relative paths only', () => {
    const dep = { file: 'src/h.js', binding: 'add', hash: 'b'.repeat(64), line: 3 }
    const other = { file: 'src/i.js', binding: 'mul', hash: 'd'.repeat(64), line: 1 }
    const json = manifestJson(
      [
        ['src/z.js#z', { fingerprint: 'a'.repeat(64), deps: [] }],
        ['src/a.js#a', { fingerprint: 'c'.repeat(64), deps: [dep, other] }],
        ['src/b.js#b', { fingerprint: 'e'.repeat(64), deps: [{ ...other }] }],
      ],
      new Date('2026-11-25T12:00:00.000Z'),
    )
    const m = JSON.parse(json)
    expect(m.version).toBe(2)
    expect(m.createdAt).toBe('2026-11-25T12:00:00.000Z')
    expect(Object.keys(m.functions)).toEqual(['src/a.js#a', 'src/b.js#b', 'src/z.js#z'])
    // Each distinct dependency is one row; functions list runs of rows.
    expect(m.deps).toEqual([
      ['src/h.js', 'add', 'b'.repeat(64), 3],
      ['src/i.js', 'mul', 'd'.repeat(64), 1],
    ])
    expect(m.functions['src/a.js#a'].deps).toEqual([0, 2])
    expect(m.functions['src/b.js#b'].deps).toEqual([1, 1])
    const ids = Object.keys(m.functions)
    expect(
      unpackDeps(
        m.deps,
        ids.map(id => m.functions[id].deps),
      ),
    ).toEqual([[dep, other], [other], []])
  })

  it('a digest of (id, fingerprint, sourceHash) per function: order-free, changed by any of them, none without sourceHash', () => {
    const entry = (fingerprint: string, sourceHash?: string) => ({ fingerprint, sourceHash, deps: [] })
    const a: [string, ReturnType<typeof entry>] = ['src/a.js#a', entry('a'.repeat(64), '1'.repeat(64))]
    const b: [string, ReturnType<typeof entry>] = ['src/b.js#b', entry('b'.repeat(64), '2'.repeat(64))]
    const digest = manifestDigest([a, b])!
    expect(digest).toMatch(/^[0-9a-f]{64}$/)
    expect(manifestDigest([b, a])).toBe(digest)
    expect(manifestDigest([a, ['src/b.js#b', entry('b'.repeat(64), '3'.repeat(64))]])).not.toBe(digest)
    expect(manifestDigest([a, ['src/b.js#b', entry('c'.repeat(64), '2'.repeat(64))]])).not.toBe(digest)
    expect(manifestDigest([a])).not.toBe(digest)
    expect(manifestDigest([a, ['src/b.js#b', entry('b'.repeat(64))]])).toBeUndefined()
    const dir = mkdtempSync(join(tmpdir(), 'sc-manifest-'))
    try {
      const file = join(dir, 'dist.json')
      writeFileSync(file, manifestJson([a, b], new Date(), digest))
      expect(writtenManifestDigest(file)).toBe(digest)
      expect(JSON.parse(readFileSync(file, 'utf8')).digest).toBe(digest)
      writeFileSync(file, manifestJson([a, b], new Date()))
      expect(writtenManifestDigest(file)).toBeUndefined()
      expect(writtenManifestDigest(join(dir, 'missing.json'))).toBeUndefined()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
