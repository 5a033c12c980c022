import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rollup, type RollupCache } from 'rollup'
import { describe, expect, it, vi } from 'vitest'
import { cachedManifestFile } from '../src/core/manifest-writer.js'
import { withEngine } from '../src/core/options.js'
import { unpluginFactory } from '../src/index.js'
import plugin from '../src/rollup.js'
import { bundledFingerprint, fakeEngine, hashOf, runModule, runtimeLog, tmpProject } from './helpers.js'

function project(files: Record<string, string>): string {
  const root = tmpProject()
  for (const [rel, code] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true })
    writeFileSync(join(root, rel), code)
  }
  return root
}

async function build(root: string, options: object = {}, engine: ReturnType<typeof fakeEngine> | null = fakeEngine()) {
  const warnings: string[] = []
  const bundle = await rollup({
    input: join(root, 'src/main.js'),
    external: ['smart-cache', 'ghost-package'],
    plugins: [plugin(engine ? withEngine({ root, cacheDir: false, ...options }, engine) : { root, cacheDir: false, ...options })],
    onwarn: w => void warnings.push(w.message),
  })
  await bundle.write({ dir: join(root, 'dist'), format: 'es' })
  await bundle.close()
  return { warnings, code: readFileSync(join(root, 'dist/main.js'), 'utf8') }
}

const MAIN = `import { smartCache } from 'smart-cache'\nexport const f = smartCache(async (x) => x + 1)\n`

describe('a one-off build does not wait for the engine (fingerprints in a module of their own)', () => {
  const DEP = `export const dep = (x) => x * 2\n`
  const USES_DEP = `import { smartCache } from 'smart-cache'\nimport { dep } from './dep.js'\nexport const f = smartCache(async (x) => dep(x))\n`

  it('the bundler loads the modules a marked module imports before the engine has answered', async () => {
    const root = project({ 'src/main.js': USES_DEP, 'src/dep.js': DEP })
    const order: string[] = []
    let depLoaded!: () => void
    const loaded = new Promise<void>(resolve => (depLoaded = resolve))
    const engine = fakeEngine()
    const answer = engine.fingerprint.bind(engine)
    // The engine answers once the bundler has loaded dep.js. Were the bundler held until the
    // answer (the rewrite of main.js waiting for it), the timer alone would release it: a
    // bound on a failure, not on the time a pass takes.
    engine.fingerprint = async (file, name) => {
      const timer = new Promise<void>(resolve => setTimeout(resolve, 10_000).unref())
      await Promise.race([loaded, timer])
      order.push('fingerprint')
      return answer(file, name)
    }
    const spy = {
      name: 'spy',
      load(id: string) {
        if (id.endsWith('dep.js')) {
          order.push('dep.js loaded')
          depLoaded()
        }
        return null
      },
    }
    const bundle = await rollup({
      input: join(root, 'src/main.js'),
      external: ['smart-cache'],
      plugins: [plugin(withEngine({ root, cacheDir: false }, engine)), spy],
    })
    const { output } = await bundle.generate({ format: 'es' })
    await bundle.close()
    expect(order).toEqual(['dep.js loaded', 'fingerprint'])
    expect(bundledFingerprint(output[0].code, 'src/main.js#f')).toBe(hashOf('src/main.js#f'))
  })

  it('a function the engine fails on gets `fingerprint: null` (the runtime runs it uncached), with the same warning as a blocking rewrite', async () => {
    const root = project({
      'src/main.js': `import { smartCache } from 'smart-cache'\nexport const f = smartCache(async (x) => x + 1)\nexport const g = smartCache(async (x) => x + 2)\n`,
    })
    const { code, warnings } = await build(root, {}, fakeEngine({}, ['src/main.js#g']))
    expect(bundledFingerprint(code, 'src/main.js#f')).toBe(hashOf('src/main.js#f'))
    expect(bundledFingerprint(code, 'src/main.js#g')).toBeNull()
    expect(warnings.filter(w => w.includes('the fingerprint engine failed for src/main.js#g') && w.includes('runs uncached'))).toHaveLength(
      1,
    )
    const mod = await runModule(root, 'dist/run.mjs', code)
    expect(await mod.f(1)).toBe(2)
    expect(await mod.g(1)).toBe(3)
    // The runtime got both metas, g's without a fingerprint: never cached on its own source.
    expect((await runtimeLog(root)).map(m => [m?.id, m?.fingerprint])).toEqual([
      ['src/main.js#f', hashOf('src/main.js#f')],
      ['src/main.js#g', null],
    ])
  })

  it('only Rollup, Rolldown and Vite get the fingerprints module hooks (esbuild and webpack would call them for every import)', () => {
    const hooks = unpluginFactory(undefined, { framework: 'esbuild', versions: {} }) as Record<string, any>
    expect(hooks.resolveId).toBeUndefined()
    expect(hooks.load).toBeUndefined()
    for (const key of ['rollup', 'rolldown', 'vite']) expect(Object.keys(hooks[key])).toEqual(expect.arrayContaining(['resolveId', 'load']))
  })

  it("Rollup's cache (the JavaScript API's `cache` option) never keeps a marked module's old rewrite", async () => {
    const root = project({ 'src/main.js': USES_DEP, 'src/dep.js': DEP })
    const options = (cache?: RollupCache) => ({
      input: join(root, 'src/main.js'),
      external: ['smart-cache'],
      cache,
      plugins: [plugin({ root, cacheDir: join(root, '.cache') })],
    })
    const first = await rollup(options())
    const before = bundledFingerprint((await first.generate({ format: 'es' })).output[0].code, 'src/main.js#f')
    await first.close()
    writeFileSync(join(root, 'src/dep.js'), `export const dep = (x) => x * 3\n`)
    const second = await rollup(options(first.cache))
    const after = bundledFingerprint((await second.generate({ format: 'es' })).output[0].code, 'src/main.js#f')
    await second.close()
    expect(before).toMatch(/^[0-9a-f]{64}$/)
    expect(after).toMatch(/^[0-9a-f]{64}$/)
    expect(after).not.toBe(before)
  })

  it('a warm one-off build serves the same output as the cold one, from the build cache', async () => {
    const root = project({ 'src/main.js': USES_DEP, 'src/dep.js': DEP })
    const cold = await build(root, { cacheDir: join(root, '.cache') })
    const warm = await build(root, { cacheDir: join(root, '.cache') })
    expect(cold.code).toMatch(/const f0 = "[0-9a-f]{64}";/) // the deferred form…
    expect(warm.code).toBe(cold.code) // …served again
  })
})

describe('the plugin in a real Rollup build (fake engine)', () => {
  it('rewrites, and writes the manifest outside the deployed output, beside the engine cache (issue 17)', async () => {
    const root = project({ 'src/main.js': MAIN })
    const { code } = await build(root)
    expect(bundledFingerprint(code, 'src/main.js#f')).toBe(hashOf('src/main.js#f'))
    const manifest = JSON.parse(readFileSync(join(root, 'node_modules/.cache/smart-cache/manifests/dist.json'), 'utf8'))
    expect(manifest.functions['src/main.js#f'].fingerprint).toBe(hashOf('src/main.js#f'))
    expect(readdirSync(join(root, 'dist'))).toEqual(['main.js'])
    expect(cachedManifestFile(root, join(root, 'dist/server'))).toBe(
      join(root, 'node_modules/.cache/smart-cache/manifests/dist__server.json'),
    )
  })

  it('a default manifest that cannot be written warns once and never fails the build (read-only cache folder)', async () => {
    const root = project({ 'src/main.js': MAIN })
    // What a read-only node_modules/.cache does to the write (EACCES), also as root: the file is a folder (EISDIR).
    mkdirSync(join(root, 'node_modules/.cache/smart-cache/manifests/dist.json'), { recursive: true })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const { code } = await build(root)
      expect(bundledFingerprint(code, 'src/main.js#f')).toBe(hashOf('src/main.js#f'))
      await build(root)
      const said = warn.mock.calls.map(args => String(args[0])).filter(m => m.includes('cannot write the build manifest'))
      expect(said).toHaveLength(1)
      expect(said[0]).toMatch(/^\[smart-cache\] .*EISDIR.*Fix: .*`manifest: false`/)
    } finally {
      warn.mockRestore()
    }
    // A manifest asked for beside the output is an output file: a failure there still fails the build.
    const named = project({ 'src/main.js': MAIN })
    mkdirSync(join(named, 'dist/meta.json'), { recursive: true })
    await expect(build(named, { manifest: 'meta.json' })).rejects.toThrow()
  })

  it('closes the engine at the end of a one-off build (which saves its snapshot)', async () => {
    const root = project({ 'src/main.js': MAIN })
    let closed = 0
    const engine = Object.assign(fakeEngine(), { close: () => void closed++ })
    await build(root, {}, engine)
    expect(closed).toBe(1)
  })

  it('a one-off build saves while the bundle is rendered: closeBundle waits for the save', async () => {
    const root = project({ 'src/main.js': MAIN })
    const steps: string[] = []
    let release!: () => void
    const gate = new Promise<void>(resolve => (release = resolve))
    const engine = Object.assign(fakeEngine(), {
      // The save ends only once the test says so: were buildEnd waiting for it, rollup() would never resolve.
      close: async () => {
        await gate
        steps.push('saved')
      },
    })
    const bundle = await rollup({
      input: join(root, 'src/main.js'),
      external: ['smart-cache'],
      plugins: [plugin(withEngine({ root, cacheDir: false }, engine))],
    })
    steps.push('build done')
    await bundle.generate({ format: 'es' })
    const closed = bundle.close().then(() => steps.push('closed'))
    release()
    await closed
    expect(steps).toEqual(['build done', 'saved', 'closed'])
  })

  it('honours manifest: false and a custom manifest name (opt-in: beside the output)', async () => {
    const off = project({ 'src/main.js': MAIN })
    await build(off, { manifest: false })
    expect(existsSync(join(off, 'node_modules/.cache/smart-cache/manifests'))).toBe(false)
    expect(readdirSync(join(off, 'dist'))).toEqual(['main.js'])
    const named = project({ 'src/main.js': MAIN })
    await build(named, { manifest: 'meta/cache.json' })
    expect(existsSync(join(named, 'dist/meta/cache.json'))).toBe(true)
  })

  it('forwards engine warnings (an unresolvable import in reach) as build warnings', async () => {
    const root = project({ 'src/main.js': MAIN })
    const engine = fakeEngine()
    ;(engine.warnings as unknown[]).push({ code: 'unresolved-import', message: "[smart-cache] src/main.js:1:1: cannot resolve './gone'" })
    const { warnings } = await build(root, {}, engine)
    expect(warnings.find(w => w.includes('[smart-cache] src/main.js:1:1: cannot resolve'))).toBeDefined()
    expect(warnings.filter(w => w.includes('cannot resolve'))).toHaveLength(1)
  })

  it('an unresolvable import in reach: warns, and the function runs uncached (real engine)', async () => {
    const root = project({
      'src/main.js': `import { smartCache } from 'smart-cache'\nimport { spook } from 'ghost-package'\nexport const f = smartCache(async (x) => spook(x))\n`,
    })
    const { warnings, code } = await build(root, {}, null)
    // The engine cannot see what `spook` does: the function runs uncached, and the build says why.
    expect(bundledFingerprint(code, 'src/main.js#f')).toBeNull()
    expect(warnings.some(w => w.includes('[smart-cache]') && w.includes("cannot resolve 'ghost-package'"))).toBe(true)
    expect(warnings.some(w => w.includes('src/main.js#f runs uncached') && w.includes("'ghost-package'"))).toBe(true)
  })

  it('fails the build on impurity with diagnostics: error, naming file:line:col', async () => {
    const root = project({
      'src/main.js': `import { smartCache } from 'smart-cache'\nexport const f = smartCache(async () => Math.random())\n`,
    })
    await expect(build(root, { diagnostics: 'error' })).rejects.toThrow(
      /\[smart-cache\] cached function src\/main\.js#f reads Math\.random\(\) at src\/main\.js:2:41/,
    )
    const { warnings } = await build(root)
    expect(warnings.some(w => w.includes('reads Math.random()'))).toBe(true)
  })

  it('leaves a syntax error to the bundler', async () => {
    const root = project({ 'src/main.js': `import { smartCache } from 'smart-cache'\nexport const f = smartCache(async (x) => x +)\n` })
    const error = await build(root).catch((e: any) => e)
    expect(error).toBeInstanceOf(Error)
    expect(error.code).toBe('PARSE_ERROR')
    expect(error.plugin).toBeUndefined()
  })

  it('skips modules outside include / inside exclude', async () => {
    const root = project({ 'src/main.js': MAIN })
    const { code } = await build(root, { exclude: [/main\.js$/] })
    expect(code).not.toContain('__smartCache')
  })
})
