// Which recorded engine options `fingerprint` and `explain` use, read from manifests written here
// (a real build's are in tests/cli-build-options.test.ts), and the errors of a malformed record.
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { chooseOptions } from '../src/engine-options.ts'
import { optionChanges } from '../src/options-diff.ts'
import { createProject, fp, type Project } from './cache-helpers.ts'

const projects: Project[] = []
afterAll(() => projects.forEach(p => p.remove()))

const MANIFESTS = 'node_modules/.cache/smart-cache/manifests'

/** A project with one manifest per entry: `functions` ids, and `engine` as the plugin records it (or none). */
function app(manifests: Record<string, { ids: string[]; engine?: unknown; createdAt?: string }>): Project {
  const p = createProject('engine-options')
  projects.push(p)
  for (const [name, m] of Object.entries(manifests)) {
    const functions = Object.fromEntries(m.ids.map(id => [id, { fingerprint: fp('a'), deps: [] }]))
    const createdAt = m.createdAt ?? new Date().toISOString()
    p.write(`${MANIFESTS}/${name}.json`, JSON.stringify({ version: 1, createdAt, ...(m.engine ? { engine: m.engine } : {}), functions }))
  }
  return p
}

const client = { resolve: { alias: [{ find: '@', replacement: { path: 'src' } }], environments: [{ conditions: ['browser'] }] } }
const ssr = { resolve: { environments: [{ conditions: ['node'] }] }, defines: { __R__: { digest: fp('d') } } }

describe('chooseOptions', () => {
  it('no manifest: none, and says why', async () => {
    const p = app({})
    expect(await chooseOptions(p.dir, {}, [join(p.dir, 'src/a.ts')])).toEqual({ options: {}, from: null, missing: 'no-manifest' })
  })

  it('the newest manifest naming the file speaks for it; its paths come back absolute under the root', async () => {
    const p = app({
      dist: { ids: ['src/a.ts#f'], engine: { client }, createdAt: '2026-01-01T00:00:00.000Z' },
      dist__server: { ids: ['src/b.ts#g'], engine: { ssr }, createdAt: '2026-01-02T00:00:00.000Z' },
    })
    const a = await chooseOptions(p.dir, {}, [join(p.dir, 'src/a.ts')])
    expect(a.from).toEqual({ manifest: `${MANIFESTS}/dist.json`, environment: 'client' })
    expect(a.options.resolve?.alias).toEqual([{ find: '@', replacement: join(p.dir, 'src') }])
    const b = await chooseOptions(p.dir, {}, [join(p.dir, 'src/b.ts')])
    expect(b.from?.environment).toBe('ssr')
    expect(b.options.defines).toEqual({ __R__: { digest: fp('d') } })
    expect((await chooseOptions(p.dir, { environment: 'client' }, [join(p.dir, 'src/b.ts')])).from?.environment).toBe('client')
  })

  it('a file no manifest names: the one record when they agree, else an error asking for --environment', async () => {
    const same = app({ a: { ids: ['src/a.ts#f'], engine: { client } }, b: { ids: ['src/b.ts#g'], engine: { client } } })
    expect((await chooseOptions(same.dir, {}, [join(same.dir, 'src/c.ts')])).from?.environment).toBe('client')
    const differ = app({ a: { ids: ['src/a.ts#f'], engine: { client } }, b: { ids: ['src/b.ts#g'], engine: { ssr } } })
    await expect(chooseOptions(differ.dir, {}, [join(differ.dir, 'src/c.ts')])).rejects.toThrow(
      /^\[smart-cache\] no manifest under the root names a cached function of src\/c\.ts, and the builds recorded different engine options \(.*\)\. Fix: pass --environment NAME/,
    )
  })

  it('the newest manifest naming the file has no record (an older plugin): none, not another build’s', async () => {
    const p = app({
      old: { ids: ['src/a.ts#f'], createdAt: '2026-01-02T00:00:00.000Z' },
      other: { ids: ['src/b.ts#g'], engine: { ssr }, createdAt: '2026-01-01T00:00:00.000Z' },
    })
    expect(await chooseOptions(p.dir, {}, [join(p.dir, 'src/a.ts')])).toEqual({ options: {}, from: null, missing: 'not-recorded' })
    // Unless --environment names a build that recorded them.
    expect((await chooseOptions(p.dir, { environment: 'ssr' }, [join(p.dir, 'src/a.ts')])).from?.environment).toBe('ssr')
  })

  it('a malformed record is an error naming the manifest and the fix; a manifest that is not one is skipped with a warning', async () => {
    const shape = app({ dist: { ids: ['src/a.ts#f'], engine: { client: 'browser' } } })
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      await expect(chooseOptions(shape.dir, {}, [join(shape.dir, 'src/a.ts')])).resolves.toMatchObject({
        from: null,
        missing: 'no-manifest',
      })
      expect(stderr).toHaveBeenCalledWith(
        `[smart-cache] warning: skipped the manifest ${MANIFESTS}/dist.json: "engine" must map each environment to its engine options ({ "client": {…} }). Fix: rebuild with the plugin to rewrite the manifest.\n`,
      )
    } finally {
      stderr.mockRestore()
    }
    const inner = app({ dist: { ids: ['src/a.ts#f'], engine: { client: { resolve: { extensions: '.ts' } } } } })
    await expect(chooseOptions(inner.dir, {}, [join(inner.dir, 'src/a.ts')])).rejects.toThrow(
      `[smart-cache] ${join(inner.dir, MANIFESTS, 'dist.json')}: malformed engine options of environment 'client': resolve.extensions must be an array. Fix: rebuild with the plugin`,
    )
    const newer = app({ dist: { ids: ['src/a.ts#f'], engine: { client: { entries: ['src/main.ts'], later: 1 } } } })
    await expect(chooseOptions(newer.dir, {}, [join(newer.dir, 'src/a.ts')])).rejects.toThrow(/options has unknown keys \(.*later\)/)
  })
})

describe('optionChanges', () => {
  it('names each define, global and resolve option that differs, and other options whole', () => {
    const before = { defines: { A: { digest: fp('1') }, B: { digest: fp('2') } }, resolve: client.resolve }
    const after = {
      defines: { A: { digest: fp('3') }, B: { digest: fp('2') }, C: { digest: fp('4') } },
      resolve: ssr.resolve,
      entries: ['src/main.ts'],
    }
    expect(optionChanges(before, after)).toEqual(['defines.A', 'defines.C', 'entries', 'resolve.alias', 'resolve.environments'])
    expect(optionChanges(before, structuredClone(before))).toEqual([])
  })
})
