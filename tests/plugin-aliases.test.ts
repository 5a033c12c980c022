// The bundler's resolution given to the engine: Vite `resolve.alias` and esbuild `alias`, custom
// export conditions of a linked workspace package (`"source": "./src/index.ts"`, Vite
// `ssr.resolve.conditions`), `helper.js` beside `helper.ts`. Each was a stale value: the engine
// resolved otherwise than the bundler (hashed the specifier, fingerprinted dist/ or helper.ts), so
// an edit of the file the bundle holds kept the old fingerprint and the next run served the value
// computed with the old helper. The plugin now passes each bundler's aliases, conditions and main
// fields to the engine (one engine per Vite environment); the relative import is the control.
import { symlinkSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { readBuildManifest } from './helpers/manifest.ts'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'
import { viteSsrBuild } from './helpers/vite-build.ts'

type Bundler = 'vite' | 'esbuild' | 'webpack' | 'rolldown' | 'rollup'

function app(prefix: string, specifier: string): TempProject {
  return createTempProject(prefix, {
    files: {
      // TypeScript files in plain JavaScript syntax: webpack and Rollup read them without a TS loader.
      'src/main.ts': `import { smartCache } from 'smart-cache'\nimport { scale } from '${specifier}'\nexport const f = smartCache(async (n) => scale(n) + 1)\n`,
      'src/lib/helper.ts': 'export const scale = (n) => n * 2\n',
    },
  })
}

/** The fingerprint the default manifest of `dist/` gives the function `id`. */
function manifestFingerprint(project: TempProject, id: string): string | null {
  return readBuildManifest(project.dir, 'dist').functions[id].fingerprint as string | null
}

/** Builds `src/main.ts` of `project` with `~lib` aliased to `src/lib`; the fingerprint the manifest gives `src/main.ts#f`. */
async function build(bundler: Bundler, project: TempProject): Promise<string | null> {
  if (bundler === 'vite') return (await viteSsrBuild(project, { config: { resolve: { alias: { '~lib': project.path('src/lib') } } } })).fp
  if (bundler === 'webpack') return webpackBuild(project)
  if (bundler === 'rolldown' || bundler === 'rollup') return rollupLikeBuild(bundler, project)
  const { build: esbuild } = await import('esbuild')
  const { default: plugin } = await import('unplugin-smart-cache/esbuild')
  await esbuild({
    absWorkingDir: project.dir,
    entryPoints: ['src/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outdir: 'dist',
    external: ['smart-cache'],
    alias: { '~lib': './src/lib' },
    logLevel: 'silent',
    plugins: [plugin()],
  })
  return manifestFingerprint(project, 'src/main.ts#f')
}

async function webpackBuild(project: TempProject): Promise<string | null> {
  const { default: webpack } = await import('webpack')
  const { default: plugin } = await import('unplugin-smart-cache/webpack')
  const stats = await new Promise<any>((resolve, reject) =>
    webpack(
      {
        mode: 'production',
        context: project.dir,
        target: 'node20',
        entry: './src/main.ts',
        output: { path: project.path('dist'), filename: 'main.mjs', module: true, chunkFormat: 'module', library: { type: 'module' } },
        experiments: { outputModule: true },
        externalsType: 'module',
        externals: { 'smart-cache': 'smart-cache' },
        resolve: { extensions: ['.ts', '.js'], alias: { '~lib': project.path('src/lib') } },
        optimization: { minimize: false },
        plugins: [plugin()],
      },
      (err: Error | null, s: any) => (err ? reject(err) : resolve(s)),
    ),
  )
  if (stats.hasErrors()) throw new Error(stats.toString('errors-only'))
  return manifestFingerprint(project, 'src/main.ts#f')
}

/**
 * Rolldown reads `resolve.alias`; Rollup has no alias option of its own (@rollup/plugin-alias, here
 * a plugin of the same kind, keeps its entries): the engine cannot resolve `~lib/helper`, and the
 * function runs uncached (null) rather than being cached on the specifier.
 */
async function rollupLikeBuild(bundler: 'rolldown' | 'rollup', project: TempProject): Promise<string | null> {
  const { default: plugin } = await import(`unplugin-smart-cache/${bundler}`)
  const aliasPlugin = {
    name: 'alias',
    resolveId: (source: string) => (source.startsWith('~lib/') ? project.path(`src/lib/${source.slice(5)}.ts`) : null),
  }
  const input = project.path('src/main.ts')
  const bundle =
    bundler === 'rolldown'
      ? await (
          await import('rolldown')
        ).rolldown({
          input,
          cwd: project.dir,
          platform: 'node',
          external: ['smart-cache'],
          resolve: { alias: { '~lib': project.path('src/lib') } },
          plugins: [plugin()],
        })
      : await (await import('rollup')).rollup({ input, external: ['smart-cache'], plugins: [aliasPlugin, plugin({ root: project.dir })] })
  const { output } = await bundle.write({ dir: project.path('dist'), format: 'es' })
  await bundle.close()
  if (bundler === 'rolldown') return manifestFingerprint(project, 'src/main.ts#f')
  // No manifest without a fingerprinted function: the meta in the bundle says it.
  const meta = /id: "src\/main\.ts#f", fingerprint: (null|"[0-9a-f]{64}")/.exec(output[0].code)
  if (!meta) throw new Error(`no meta for src/main.ts#f in:\n${output[0].code}`)
  return JSON.parse(meta[1]!) as string | null
}

/** The fingerprints before and after an edit of the helper, each from a build of its own. */
async function beforeAndAfterEdit(bundler: Bundler, project: TempProject): Promise<[string | null, string | null]> {
  const before = await build(bundler, project)
  project.write({ 'src/lib/helper.ts': 'export const scale = (n) => n * 3\n' })
  return [before, await build(bundler, project)]
}

const projects: TempProject[] = []
afterAll(() => {
  for (const p of projects.splice(0)) p.remove()
})

describe.each(['vite', 'esbuild', 'webpack', 'rolldown'] as const)('%s: a helper behind a bundler alias', bundler => {
  it('control: behind a relative import, an edit of the helper changes the fingerprint', async () => {
    const project = app(`plugin-alias-${bundler}-rel`, './lib/helper')
    projects.push(project)
    const [before, after] = await beforeAndAfterEdit(bundler, project)
    expect(before).toMatch(/^[0-9a-f]{64}$/)
    expect(after).not.toBe(before)
  })

  it('behind the alias, the function is cached and an edit of the helper changes the fingerprint', async () => {
    const project = app(`plugin-alias-${bundler}`, '~lib/helper')
    projects.push(project)
    const [before, after] = await beforeAndAfterEdit(bundler, project)
    expect(before).toMatch(/^[0-9a-f]{64}$/)
    expect(after).toMatch(/^[0-9a-f]{64}$/)
    expect(after).not.toBe(before)
  })
})

describe('vite: a linked workspace package read through a custom export condition', () => {
  it('an edit of its source (its dist/ not rebuilt) changes the fingerprint', async () => {
    const pkg = createTempProject('plugin-alias-pkg', {
      files: {
        'package.json': JSON.stringify({
          name: '@ws/util',
          version: '1.0.0',
          type: 'module',
          exports: { '.': { source: './src/index.ts', default: './dist/index.js' } },
        }),
        'src/index.ts': 'export const scale = (n: number) => n * 2\n',
        'dist/index.js': 'export const scale = (n) => n * 2\n',
      },
    })
    const project = app('plugin-alias-conditions', '@ws/util')
    projects.push(pkg, project)
    project.write({ 'node_modules/@ws/.keep': '' })
    symlinkSync(pkg.dir, project.path('node_modules/@ws/util'), 'dir')
    const { defaultServerConditions } = await import('vite')
    const fingerprint = () =>
      viteSsrBuild(project, { config: { ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } } } })
    const before = await fingerprint()
    pkg.write({ 'src/index.ts': 'export const scale = (n: number) => n * 3\n' })
    const after = await fingerprint()
    expect(after.bundled).toContain('n * 3') // the bundle runs the edited source…
    expect(before.fp).toMatch(/^[0-9a-f]{64}$/)
    expect(after.fp).toMatch(/^[0-9a-f]{64}$/) // …and the engine read it: a new fingerprint
    expect(after.fp).not.toBe(before.fp)
  })
})

// The same mismatch without any option: `import './lib/helper.js'` from a JavaScript module, with
// helper.ts beside helper.js (tsc emitting in place). Vite and Node load helper.js; the engine
// tried .ts first and fingerprinted helper.ts. It now takes the file itself when it exists.
describe('vite: a .js import with a .ts file of the same name beside it', () => {
  it('an edit of the .js file the bundle holds changes the fingerprint', async () => {
    const project = createTempProject('plugin-alias-pair', {
      files: {
        'src/main.js': `import { smartCache } from 'smart-cache'\nimport { scale } from './lib/helper.js'\nexport const f = smartCache(async (n) => scale(n) + 1)\n`,
        'src/lib/helper.js': 'export const scale = (n) => n * 2\n',
        'src/lib/helper.ts': 'export const scale = (n: number) => n * 2\n',
      },
    })
    projects.push(project)
    const fingerprint = () => viteSsrBuild(project, { entry: 'src/main.js' })
    const before = await fingerprint()
    project.write({ 'src/lib/helper.js': 'export const scale = (n) => n * 3\n' })
    const after = await fingerprint()
    expect(after.bundled).toContain('n * 3')
    expect(before.fp).toMatch(/^[0-9a-f]{64}$/)
    expect(after.fp).not.toBe(before.fp)
  })
})

describe('rollup: a helper behind an alias plugin (no alias option the plugin can read)', () => {
  it('the function runs uncached: null in both builds, never a fingerprint that ignores the helper', async () => {
    const project = app('plugin-alias-rollup', '~lib/helper')
    projects.push(project)
    expect(await beforeAndAfterEdit('rollup', project)).toEqual([null, null])
  })
})
