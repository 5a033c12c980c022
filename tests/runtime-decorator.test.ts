import { execFileSync } from 'node:child_process'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { createTempProject } from './helpers/temp-project.ts'

describe('runtime: standard TypeScript 5 decorators, bundled by esbuild, across two processes', () => {
  const project = createTempProject('runtime-decorator', { fixture: 'runtime-decorator' })
  afterAll(() => project.remove())

  it('caches decorated instance (keyed by [cacheKey]) and static methods; a class without a key is a clear error', async () => {
    await build({
      entryPoints: [project.path('main.ts')],
      outfile: project.path('dist/main.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'es2022',
      packages: 'external',
      logLevel: 'silent',
    })
    const run = () =>
      JSON.parse(
        execFileSync(process.execPath, [project.path('dist/main.mjs')], {
          cwd: project.dir,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }),
      )
    const first = run()
    expect(first).toMatchObject({ area: [24, 24, 36], unit: 5, at: true, computed: 3, unitId: 'src/geo.ts#Geometry.unit' })
    expect(first.plainError).toMatch(/\[smart-cache\] cannot key argument this of twice: a class instance \(Plain\)/)
    const second = run()
    expect(second).toMatchObject({ area: [24, 24, 36], unit: 5, at: true, computed: 0 })
  })
})
