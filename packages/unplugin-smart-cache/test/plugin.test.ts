import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rollup } from 'rollup'
import { describe, expect, it } from 'vitest'
import { cachedManifestFile } from '../src/core/manifest-writer.js'
import { withEngine } from '../src/core/options.js'
import plugin from '../src/rollup.js'
import { fakeEngine, hashOf, tmpProject } from './helpers.js'

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

describe('the plugin in a real Rollup build (fake engine)', () => {
  it('rewrites, and writes the manifest outside the deployed output, beside the engine cache (issue 17)', async () => {
    const root = project({ 'src/main.js': MAIN })
    const { code } = await build(root)
    expect(code).toContain(`fingerprint: "${hashOf('src/main.js#f')}"`)
    const manifest = JSON.parse(readFileSync(join(root, 'node_modules/.cache/smart-cache/manifests/dist.json'), 'utf8'))
    expect(manifest.functions['src/main.js#f'].fingerprint).toBe(hashOf('src/main.js#f'))
    expect(readdirSync(join(root, 'dist'))).toEqual(['main.js'])
    expect(cachedManifestFile(root, join(root, 'dist/server'))).toBe(
      join(root, 'node_modules/.cache/smart-cache/manifests/dist__server.json'),
    )
  })

  it('closes the engine at the end of a one-off build (which saves its snapshot)', async () => {
    const root = project({ 'src/main.js': MAIN })
    let closed = 0
    const engine = Object.assign(fakeEngine(), { close: () => void closed++ })
    await build(root, {}, engine)
    expect(closed).toBe(1)
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

  it('warns about an unresolvable import in reach, with the real engine', async () => {
    const root = project({
      'src/main.js': `import { smartCache } from 'smart-cache'\nimport { spook } from 'ghost-package'\nexport const f = smartCache(async (x) => spook(x))\n`,
    })
    const { warnings, code } = await build(root, {}, null)
    expect(code).toMatch(/fingerprint: "[0-9a-f]{64}"/)
    expect(warnings.some(w => w.includes('[smart-cache]') && w.includes('ghost-package'))).toBe(true)
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
