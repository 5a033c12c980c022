// Real builds with each bundler, real output run in Node: the issue 4 scenario.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import { createFingerprinter } from '@smart-cache/fingerprint'
import { afterAll, describe, expect, it } from 'vitest'
import { readBuildManifest } from './helpers/manifest.ts'
import { runBuilt } from './helpers/run-built.ts'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'

type Bundler = 'vite' | 'rollup' | 'webpack' | 'esbuild' | 'rolldown' | 'rspack'

interface Report {
  fib: { value: number; id: string; fingerprint: string; hits: number; misses: number }
  total: { value: number; computed: number; length: number; name: string }
}

/** Builds `src/main.js` of the project into `dist-<bundler>/`; returns the output file and warnings. */
async function build(bundler: Bundler, root: string): Promise<{ file: string; warnings: string[] }> {
  const outDir = join(root, `dist-${bundler}`)
  const input = join(root, 'src/main.js')
  const warnings: string[] = []
  if (bundler === 'vite') {
    const { build } = await import('vite')
    const { default: plugin } = await import('unplugin-smart-cache/vite')
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [plugin()],
      build: {
        ssr: input,
        outDir,
        emptyOutDir: true,
        sourcemap: true,
        rollupOptions: { external: ['smart-cache'], output: { entryFileNames: 'main.mjs' }, onwarn: w => void warnings.push(w.message) },
      },
    })
    return { file: join(outDir, 'main.mjs'), warnings }
  }
  if (bundler === 'rollup' || bundler === 'rolldown') {
    const create: (o: object) => Promise<any> =
      bundler === 'rollup' ? (await import('rollup')).rollup : ((await import('rolldown')).rolldown as any)
    const { default: plugin } =
      bundler === 'rollup' ? await import('unplugin-smart-cache/rollup') : await import('unplugin-smart-cache/rolldown')
    const bundle = await create({
      input,
      external: ['smart-cache'],
      plugins: [plugin({ root })],
      onwarn: (w: { message: string }) => void warnings.push(w.message),
    })
    await bundle.write({ dir: outDir, format: 'es', entryFileNames: 'main.mjs', sourcemap: true })
    await bundle.close()
    return { file: join(outDir, 'main.mjs'), warnings }
  }
  if (bundler === 'esbuild') {
    const esbuild = await import('esbuild')
    const { default: plugin } = await import('unplugin-smart-cache/esbuild')
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [input],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      external: ['smart-cache'],
      sourcemap: true,
      logLevel: 'silent',
      plugins: [plugin()],
    })
    warnings.push(...result.warnings.map(w => w.text))
    return { file: join(outDir, 'main.mjs'), warnings }
  }
  const webpack: any = bundler === 'webpack' ? (await import('webpack')).default : (await import('@rspack/core')).rspack
  const { default: plugin } =
    bundler === 'webpack' ? await import('unplugin-smart-cache/webpack') : await import('unplugin-smart-cache/rspack')
  const stats = await new Promise<any>((resolve, reject) =>
    webpack(
      {
        mode: 'production',
        context: root,
        target: 'node20',
        entry: input,
        devtool: 'source-map',
        output: { path: outDir, filename: 'main.mjs', module: true, chunkFormat: 'module', library: { type: 'module' } },
        experiments: { outputModule: true },
        externalsType: 'module',
        externals: { 'smart-cache': 'smart-cache' },
        optimization: { minimize: false },
        plugins: [plugin()],
      },
      (err: Error | null, s: any) => (err ? reject(err) : resolve(s)),
    ),
  )
  if (stats.hasErrors()) throw new Error(stats.toString('errors-only'))
  warnings.push(...stats.compilation.warnings.map((w: Error) => w.message))
  return { file: join(outDir, 'main.mjs'), warnings }
}

function run(project: TempProject, file: string): Report {
  return runBuilt<Report>(project, file)
}

function manifestOf(file: string): any {
  const outDir = join(file, '..')
  return readBuildManifest(join(outDir, '..'), outDir)
}

const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))
const fingerprints: Record<string, Record<string, string>> = {}

describe.each<Bundler>(['vite', 'rollup', 'webpack', 'esbuild', 'rolldown', 'rspack'])('%s', bundler => {
  const project = createTempProject(`plugin-${bundler}`, { fixture: 'plugin-app' })
  projects.push(project)
  const deep = project.path('src/helpers/deep.js')

  it('builds, and a second process hits the cache; recursion went through it on the first run', async () => {
    const { file, warnings } = await build(bundler, project.dir)
    expect(warnings.filter(w => w.includes('[smart-cache]'))).toEqual([])
    const first = run(project, file)
    expect(first.fib).toMatchObject({ value: 75025, id: 'src/math.js#fib', misses: 26 })
    expect(first.total).toEqual({ value: 10, computed: 1, length: 1, name: 'total' })
    const second = run(project, file)
    expect(second.fib).toMatchObject({ value: 75025, hits: 1, misses: 0, fingerprint: first.fib.fingerprint })
    expect(second.total.computed).toBe(0)
    const manifest = manifestOf(file)
    expect(Object.keys(manifest.functions)).toEqual(['src/math.js#fib', 'src/math.js#total'])
    expect(manifest.functions['src/math.js#fib'].fingerprint).toBe(first.fib.fingerprint)
    expect(manifest.functions['src/math.js#fib'].deps.map((d: any) => `${d.file}#${d.binding}`)).toEqual(
      expect.arrayContaining(['src/helpers/deep.js#plus', 'src/helpers/sum.js#add']),
    )
    expect(JSON.stringify(manifest)).not.toContain(project.dir)
    fingerprints[bundler] = Object.fromEntries(Object.entries(manifest.functions).map(([id, f]: [string, any]) => [id, f.fingerprint]))
  })

  it('recomputes after a transitive helper changes, and hits after a comment-only edit', async () => {
    const before = manifestOf(join(project.dir, `dist-${bundler}`, 'main.mjs')).functions['src/math.js#fib'].fingerprint
    writeFileSync(deep, readFileSync(deep, 'utf8').replace('return a + b', 'return b + a'))
    const edited = await build(bundler, project.dir)
    const afterEdit = run(project, edited.file)
    expect(afterEdit.fib.fingerprint).not.toBe(before)
    expect(afterEdit.fib).toMatchObject({ value: 75025, misses: 26 })
    expect(afterEdit.total.computed).toBe(1)

    writeFileSync(deep, readFileSync(deep, 'utf8').replace('return b + a', '// only a comment\n  return b + a /* and here */'))
    const commented = await build(bundler, project.dir)
    const afterComment = run(project, commented.file)
    expect(afterComment.fib).toMatchObject({ fingerprint: afterEdit.fib.fingerprint, hits: 1, misses: 0 })
    expect(afterComment.total.computed).toBe(0)
  })

  it('maps the output back to the original source lines', async () => {
    const out = join(project.dir, `dist-${bundler}`, 'main.mjs')
    const code = readFileSync(out, 'utf8')
    const map = new TraceMap(readFileSync(`${out}.map`, 'utf8'))
    const original = readFileSync(project.path('src/math.js'), 'utf8').split('\n')
    // the loop sits in the body of the rewritten `total`; the body of `fib` is on line 5
    for (const [needle, line] of [
      ['for (const x of xs)', original.findIndex(l => l.includes('for (const x of xs)')) + 1],
      ['n < 2', 5],
    ] as const) {
      const at = code.indexOf(needle)
      expect(at, needle).toBeGreaterThan(-1)
      const before = code.slice(0, at)
      const pos = originalPositionFor(map, { line: before.split('\n').length, column: at - before.lastIndexOf('\n') - 1 })
      expect(pos.source, needle).toMatch(/src\/math\.js$/)
      expect(pos.line, needle).toBe(line)
    }
  })
})

describe('one engine', () => {
  it('every bundler carries the fingerprint the engine gives for FILE#EXPORT', async () => {
    expect(Object.keys(fingerprints).sort()).toEqual(['esbuild', 'rolldown', 'rollup', 'rspack', 'vite', 'webpack'])
    const project = createTempProject('plugin-engine', { fixture: 'plugin-app' })
    projects.push(project)
    // Given the entry the bundlers build from: its top-level code runs fib and total, which writes a global.
    const engine = createFingerprinter({ root: project.dir, cacheDir: false, entries: ['src/main.js'] })
    const expected = {
      'src/math.js#fib': (await engine.fingerprint('src/math.js', 'fib')).hash,
      'src/math.js#total': (await engine.fingerprint('src/math.js', 'total')).hash,
    }
    for (const bundler of Object.keys(fingerprints)) expect(fingerprints[bundler], bundler).toEqual(expected)
    // The CLI fingerprints with the options the build recorded (its entries among them).
    await build('esbuild', project.dir)
    const cli = join(import.meta.dirname, '../packages/cli/bin/smart-cache.mjs')
    const printed = execFileSync(
      process.execPath,
      [cli, 'fingerprint', '--json', '--root', project.dir, 'src/math.js#fib', 'src/math.js#total'],
      { cwd: project.dir, encoding: 'utf8' },
    )
    expect(JSON.parse(printed)).toEqual(expected)
  })
})
