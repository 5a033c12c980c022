// Globals a bundler turns into imports from its own options: esbuild's `inject` (every export of
// an inject file replaces the free global of its name) and webpack's and Rspack's `ProvidePlugin`
// (a free use of a key becomes `require(request)`, then the properties after it). Each case builds
// `src/main.ts`, whose cached `f` calls a helper through such a global, runs the bundle (the first
// run stores f(5)), edits only the helper, builds and runs again: the second run must print what
// the new build computes. Before the plugin passed these to the engine (`globals`), each printed
// the first build's value: the engine saw a global name, and the helper's edit kept f's fingerprint.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { manifestFileFor, readBuildManifest } from './helpers/manifest.ts'
import { runBuilt } from './helpers/run-built.ts'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'

const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))

/** `entry`: `f` cached over `expr` (which reads the injected global), and a top-level call printing f(5). */
function app(prefix: string, expr: string, files: Record<string, string>, entry = 'src/main.ts'): TempProject {
  const param = entry.endsWith('.ts') ? 'n: number' : 'n'
  const project = createTempProject(`injected-${prefix}`, {
    files: {
      [entry]: `import { smartCache } from 'smart-cache'\nexport const f = smartCache(async (${param}) => n * ${expr})\nconsole.log(JSON.stringify(await f(5)))\n`,
      ...files,
    },
  })
  projects.push(project)
  return project
}

interface Run {
  /** f's fingerprint in the default manifest (null: no fingerprint, it runs uncached). */
  fp: string | null
  printed: number
  bundled: string
  warnings: string[]
}

/** Runs `dist/main.mjs` with the project's own store; what it printed last. */
function run(project: TempProject, built: Omit<Run, 'printed' | 'fp'>, id = 'src/main.ts#f'): Run {
  const printed = runBuilt(project, 'dist/main.mjs')
  // A build with no fingerprint at all writes no manifest.
  const manifest = existsSync(manifestFileFor(project.dir, 'dist')) ? readBuildManifest(project.dir, 'dist') : undefined
  const fp = manifest?.functions[id]?.fingerprint ?? null
  return { ...built, fp, printed }
}

/** The esbuild build of `src/main.ts` to `dist/main.mjs` (Node, ESM, smart-cache external) with `inject` and the plugin. */
function esbuildOptions(project: TempProject, inject: string[], plugin: import('esbuild').Plugin): import('esbuild').BuildOptions {
  return {
    absWorkingDir: project.dir,
    entryPoints: ['src/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: 'dist/main.mjs',
    external: ['smart-cache'],
    logLevel: 'silent',
    inject,
    plugins: [plugin],
  }
}

async function esbuildRun(project: TempProject, inject: string[]): Promise<Run> {
  const esbuild = await import('esbuild')
  const { default: plugin } = await import('unplugin-smart-cache/esbuild')
  const result = await esbuild.build(esbuildOptions(project, inject, plugin({ manifest: true })))
  return run(project, { bundled: readFileSync(project.path('dist/main.mjs'), 'utf8'), warnings: result.warnings.map(w => w.text) })
}

async function webpackRun(
  project: TempProject,
  bundler: 'webpack' | 'rspack',
  provide: Record<string, string | string[]>,
  extra: { plugins?: unknown[]; rules?: unknown[] } = {},
): Promise<Run> {
  const { default: plugin } =
    bundler === 'webpack' ? await import('unplugin-smart-cache/webpack') : await import('unplugin-smart-cache/rspack')
  const lib: any = bundler === 'webpack' ? (await import('webpack')).default : (await import('@rspack/core')).rspack
  const config = {
    mode: 'production',
    context: project.dir,
    target: 'node20',
    entry: './src/main.js',
    output: { path: project.path('dist'), filename: 'main.mjs', module: true, chunkFormat: 'module', library: { type: 'module' } },
    experiments: { outputModule: true },
    externalsType: 'module',
    externals: { 'smart-cache': 'smart-cache' },
    optimization: { minimize: false },
    module: { rules: extra.rules ?? [] },
    plugins: [plugin({ manifest: true }), new lib.ProvidePlugin(provide), ...(extra.plugins ?? [])],
  }
  const stats = await new Promise<any>((resolve, reject) => lib(config, (err: Error | null, s: any) => (err ? reject(err) : resolve(s))))
  if (stats.hasErrors()) throw new Error(stats.toString('errors-only'))
  const warnings = stats.compilation.warnings.map((w: Error) => w.message)
  return run(project, { bundled: readFileSync(project.path('dist/main.mjs'), 'utf8'), warnings }, 'src/main.js#f')
}

async function rolldownRun(project: TempProject, inject: Record<string, string | [string, string]>): Promise<Run> {
  const { rolldown } = await import('rolldown')
  const { default: plugin } = await import('unplugin-smart-cache/rolldown')
  const warnings: string[] = []
  const out = await rolldown({
    input: project.path('src/main.ts'),
    cwd: project.dir,
    platform: 'node',
    external: ['smart-cache'],
    transform: { inject },
    plugins: [plugin({ manifest: true })],
    onLog: (_level, log) => void warnings.push(log.message),
  })
  await out.write({ dir: project.path('dist'), format: 'esm', entryFileNames: 'main.mjs' })
  await out.close()
  return run(project, { bundled: readFileSync(project.path('dist/main.mjs'), 'utf8'), warnings })
}

async function viteRun(project: TempProject, inject: Record<string, string | [string, string]>): Promise<Run> {
  const { build } = await import('vite')
  const { default: plugin } = await import('unplugin-smart-cache/vite')
  await build({
    root: project.dir,
    configFile: false,
    logLevel: 'silent',
    plugins: [plugin({ manifest: true })],
    build: {
      ssr: 'src/main.ts',
      outDir: 'dist',
      rolldownOptions: { external: ['smart-cache'], transform: { inject }, output: { entryFileNames: 'main.mjs' } },
    },
  })
  return run(project, { bundled: readFileSync(project.path('dist/main.mjs'), 'utf8'), warnings: [] })
}

/** The first run computes with rate 2; the second, after the helper's edit, must print the new build's result and have a new fingerprint. */
function expectSecondRunSeesChange(before: Run, after: Run, marker: string): void {
  expect(before.printed).toBe(10)
  expect(before.fp).toMatch(/^[0-9a-f]{64}$/)
  expect(after.bundled).toContain(marker) // the new build holds the new helper…
  expect(after.fp).not.toBe(before.fp)
  expect(after.printed).toBe(15) // …and the run computes with it (stale: 10, the first build's value)
}

describe('esbuild `inject`: the exports of an inject file are imports of every free use of their names', () => {
  it('a helper an inject file provides, edited, changes the fingerprint and the value', async () => {
    const project = app('esbuild', 'rateOf()', {
      'src/globals.d.ts': 'declare const rateOf: () => number\n',
      'shims/rate.ts': 'export const rateOf = () => 2\n',
    })
    const before = await esbuildRun(project, ['./shims/rate.ts'])
    project.write({ 'shims/rate.ts': 'export const rateOf = () => 3\n' })
    const after = await esbuildRun(project, ['./shims/rate.ts'])
    expectSecondRunSeesChange(before, after, '=> 3')
  })

  it('a dotted export (`export { x as "Math.rate" }`), and a helper the inject file imports, count too', async () => {
    const project = app('esbuild-dotted', 'Math.rate()', {
      'src/globals.d.ts': 'interface Math { rate(): number }\n',
      'shims/math.ts': "import { base } from './base'\nconst rate = () => base\nexport { rate as 'Math.rate' }\n",
      'shims/base.ts': 'export const base = 2\n',
    })
    const before = await esbuildRun(project, ['./shims/math'])
    project.write({ 'shims/base.ts': 'export const base = 3\n' })
    const after = await esbuildRun(project, ['./shims/math'])
    expectSecondRunSeesChange(before, after, 'base = 3')
  })

  it('an inject file whose exports are not read (a package): a global nothing defines leaves f uncached, with a warning naming it', async () => {
    const pkg = (rate: number) => ({
      'node_modules/rate-shim/package.json': JSON.stringify({ name: 'rate-shim', type: 'module', main: 'index.js' }),
      'node_modules/rate-shim/index.js': `export const rateOf = () => ${rate}\n`,
    })
    const project = app('esbuild-package', 'rateOf()', { 'src/globals.d.ts': 'declare const rateOf: () => number\n', ...pkg(2) })
    const before = await esbuildRun(project, ['rate-shim'])
    project.write(pkg(3))
    const after = await esbuildRun(project, ['rate-shim'])
    expect([before.fp, after.fp]).toEqual([null, null])
    expect([before.printed, after.printed]).toEqual([10, 15])
    const warning = after.warnings.find(w => w.includes("the global 'rateOf' at src/main.ts:2:"))
    expect(warning).toMatch(/runs uncached.*`inject` file 'rate-shim'/s)
  })
})

describe('esbuild context: a rebuild reads the inject files again', () => {
  it('a name an inject file starts to export between two rebuilds counts from that rebuild on (stale: the first engine did not know it)', async () => {
    // f reads the global `rateOf`, set by setup code at first; then the inject file provides it.
    const project = app('esbuild-context', 'rateOf()', {
      'src/globals.d.ts': 'declare var rateOf: () => number\n',
      'src/setup.ts': 'globalThis.rateOf ??= () => 2\n',
      'shims/rate.ts': 'export const unused = 0\n',
    })
    project.write({ 'src/main.ts': `import './setup'\n${readFileSync(project.path('src/main.ts'), 'utf8')}` })
    const esbuild = await import('esbuild')
    const { default: plugin } = await import('unplugin-smart-cache/esbuild')
    const ctx = await esbuild.context(esbuildOptions(project, ['./shims/rate.ts'], plugin({ manifest: true })))
    try {
      const rebuild = async () => {
        const result = await ctx.rebuild()
        return run(project, { bundled: readFileSync(project.path('dist/main.mjs'), 'utf8'), warnings: result.warnings.map(w => w.text) })
      }
      const before = await rebuild()
      project.write({ 'shims/rate.ts': 'export const rateOf = () => 3\n' })
      const after = await rebuild()
      expectSecondRunSeesChange(before, after, '=> 3')
    } finally {
      await ctx.dispose()
    }
  })
})

describe.each(['webpack', 'rspack'] as const)('%s `ProvidePlugin`: a free use of a key is a require of its request', bundler => {
  it('a helper given by absolute path, edited, changes the fingerprint and the value', async () => {
    const project = app(`${bundler}-provide`, 'rateOf()', { 'src/helpers/rate.js': 'export const rateOf = () => 2\n' }, 'src/main.js')
    const provide = { rateOf: [join(project.dir, 'src/helpers/rate.js'), 'rateOf'] }
    const before = await webpackRun(project, bundler, provide)
    project.write({ 'src/helpers/rate.js': 'export const rateOf = () => 3\n' })
    const after = await webpackRun(project, bundler, provide)
    expectSecondRunSeesChange(before, after, '=> 3')
  })

  it('a relative request (resolved from the module that reads it) with a member path, edited, changes the fingerprint and the value', async () => {
    const project = app(
      `${bundler}-provide-members`,
      'rates.value',
      { 'src/rates.js': 'export const table = { base: { value: 2 } }\n' },
      'src/main.js',
    )
    const provide = { rates: ['./rates.js', 'table', 'base'] }
    const before = await webpackRun(project, bundler, provide)
    project.write({ 'src/rates.js': 'export const table = { base: { value: 3 } }\n' })
    const after = await webpackRun(project, bundler, provide)
    expectSecondRunSeesChange(before, after, 'value: 3')
  })
})

describe.each(['webpack', 'rspack'] as const)('%s with an auto-import plugin and no declarations', bundler => {
  it('a helper it injects, edited, changes the value: f runs uncached, with a warning naming the global', async () => {
    const project = app(`${bundler}-auto-import`, 'rateOf()', { 'src/utils/rate.js': 'export const rateOf = () => 2\n' }, 'src/main.js')
    // What unplugin makes of an auto-import plugin there: a loader that adds the import, and hooks tapped under its name.
    project.write({
      'auto-import-loader.cjs': `module.exports = code => code.includes('rateOf(') ? "import { rateOf } from './utils/rate.js'\\n" + code : code\n`,
    })
    const extra = {
      plugins: [{ apply: (compiler: any) => compiler.hooks.make.tap('unplugin-auto-import', () => {}) }],
      rules: [{ test: /main\.js$/, use: [{ loader: project.path('auto-import-loader.cjs') }] }],
    }
    const before = await webpackRun(project, bundler, {}, extra)
    project.write({ 'src/utils/rate.js': 'export const rateOf = () => 3\n' })
    const after = await webpackRun(project, bundler, {}, extra)
    expect([before.fp, after.fp]).toEqual([null, null])
    expect([before.printed, after.printed]).toEqual([10, 15])
    expect(after.warnings.join('\n')).toMatch(
      /the global 'rateOf' at src\/main\.js:2:\d+, which the auto-import plugin 'unplugin-auto-import'/,
    )
  })
})

describe.each([
  ['rolldown', rolldownRun],
  ['vite', viteRun],
] as const)('%s `transform.inject` (the API of @rollup/plugin-inject): a free use of a key gets an import', (name, build) => {
  it('a default export (a relative specifier, resolved from the module that uses it) and a named one, edited, change the fingerprint and the value', async () => {
    const project = app(`${name}-inject`, '(rateOf() + half.value)', {
      'src/globals.d.ts': 'declare const rateOf: () => number\ndeclare const half: { value: number }\n',
      'src/rate.ts': 'export default () => 1.5\n',
      'src/half.ts': 'export const half = { value: 0.5 }\n',
    })
    const inject = { rateOf: './rate.ts', half: ['./half.ts', 'half'] as [string, string] }
    const before = await build(project, inject)
    project.write({ 'src/rate.ts': 'export default () => 2.5\n' })
    const after = await build(project, inject)
    expectSecondRunSeesChange(before, after, '=> 2.5')
  })
})
