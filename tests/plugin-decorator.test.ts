// The decorator and the directive on methods through the plugin, with real TypeScript 5 standard
// decorators lowered by esbuild, run twice in Node with the real runtime.
import { execFileSync } from 'node:child_process'
import { build } from 'esbuild'
import plugin from 'unplugin-smart-cache/esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { createTempProject } from './helpers/temp-project.ts'
import { readBuildManifest } from './helpers/manifest.ts'

describe('plugin: method decorator and method directive (esbuild, TypeScript decorators)', () => {
  const project = createTempProject('plugin-decorator', { fixture: 'plugin-decorator' })
  afterAll(() => project.remove())

  it('gives methods their ids and fingerprints, keys `this`, and a second process hits', async () => {
    await build({
      absWorkingDir: project.dir,
      entryPoints: [project.path('src/main.ts')],
      outdir: project.path('dist'),
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'es2022',
      external: ['smart-cache'],
      logLevel: 'silent',
      plugins: [plugin()],
    })
    const run = () =>
      JSON.parse(
        execFileSync(process.execPath, [project.path('dist/main.mjs')], {
          env: { ...process.env, SMART_CACHE_DIR: project.path('.values') },
          encoding: 'utf8',
        }),
      )
    const manifest = readBuildManifest(project.dir, 'dist')
    expect(Object.keys(manifest.functions)).toEqual(['src/geo.ts#Geometry.area', 'src/geo.ts#Geometry.perimeter'])
    const first = run()
    expect(first).toMatchObject({ values: [12, 12, 18, 8, 12, 12], computed: 4, id: 'src/geo.ts#Geometry.area', perimeterLength: 2 })
    expect(first.fingerprint).toBe(manifest.functions['src/geo.ts#Geometry.area'].fingerprint)
    const second = run()
    expect(second).toMatchObject({ values: [12, 12, 18, 8, 12, 12], computed: 0 })
  })
})
