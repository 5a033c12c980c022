// Bundlers that build again without starting over: webpack's and Rspack's persistent caches
// (`cache: { type: 'filesystem' }`, `{ type: 'persistent' }`) restore a module's build while the files it depends on are unchanged, and an
// esbuild context rebuilds without saying which files changed. A fingerprint also depends on
// files other than the module's own (helpers, package versions): after a change, the bundle must
// carry the fingerprint a build from nothing gives, or the runtime would serve results of the old code.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { createTempProject } from './helpers/temp-project.ts'

const project = createTempProject('plugin-persistent-cache', {
  files: {
    'src/main.js': `import { smartCache } from 'smart-cache'\nimport { helper } from './helper.js'\nimport { lib } from 'lib'\nexport const f = smartCache(async (x) => helper(x) + lib(x))\n`,
    'src/helper.js': 'export const helper = (x) => x * 2\n',
  },
})
afterAll(() => project.remove())

function installLib(version: string, body: string): void {
  project.write({
    'node_modules/lib/package.json': JSON.stringify({ name: 'lib', version, type: 'module', exports: './index.js' }),
    'node_modules/lib/index.js': `export const lib = (x) => ${body}\n`,
  })
}

type Packer = 'webpack' | 'rspack'

/** A production build with the bundler's persistent cache in `.<bundler>-cache`; the fingerprint the bundle gives `src/main.js#f`. */
async function build(bundler: Packer): Promise<string> {
  const create: any = bundler === 'webpack' ? (await import('webpack')).default : (await import('@rspack/core')).rspack
  const { default: plugin } =
    bundler === 'webpack' ? await import('unplugin-smart-cache/webpack') : await import('unplugin-smart-cache/rspack')
  const cacheDir = project.path(`.${bundler}-cache`)
  const compiler = create({
    mode: 'production',
    context: project.dir,
    target: 'node20',
    entry: './src/main.js',
    cache:
      bundler === 'webpack'
        ? { type: 'filesystem', cacheDirectory: cacheDir }
        : { type: 'persistent', storage: { type: 'filesystem', directory: cacheDir } },
    output: {
      path: project.path(`dist-${bundler}`),
      filename: 'main.mjs',
      module: true,
      chunkFormat: 'module',
      library: { type: 'module' },
    },
    ...(bundler === 'webpack' ? { experiments: { outputModule: true } } : {}),
    externalsType: 'module',
    externals: { 'smart-cache': 'smart-cache' },
    optimization: { minimize: false },
    plugins: [plugin()],
  })
  const stats: any = await new Promise((resolve, reject) =>
    compiler.run((error: Error | null, s: unknown) => (error ? reject(error) : resolve(s))),
  )
  await new Promise(resolve => compiler.close(resolve)) // writes the persistent cache
  if (stats.hasErrors()) throw new Error(stats.toString('errors-only'))
  const code = readFileSync(project.path(`dist-${bundler}/main.mjs`), 'utf8')
  const found = /id: "src\/main\.js#f",\s*fingerprint: "([0-9a-f]{64})"/.exec(code)
  expect(found, 'the bundle carries a fingerprint').not.toBeNull()
  return found![1]!
}

describe.each<Packer>(['webpack', 'rspack'])('%s with its persistent cache', bundler => {
  it('a package update changes the fingerprint in the next build, as a build without the cache gives it', async () => {
    installLib('1.0.0', 'x + 1')
    const first = await build(bundler)
    expect(await build(bundler)).toBe(first) // served from the persistent cache, same fingerprint
    installLib('1.0.1', 'x + 2')
    const afterUpdate = await build(bundler)
    expect(afterUpdate).not.toBe(first)
    rmSync(project.path(`.${bundler}-cache`), { recursive: true, force: true })
    rmSync(project.path('node_modules/.cache'), { recursive: true, force: true })
    expect(await build(bundler)).toBe(afterUpdate)
  })
})

describe('an esbuild context', () => {
  const app = createTempProject('plugin-esbuild-rebuild', {
    files: {
      'src/main.js': `import { smartCache } from 'smart-cache'\nimport { helper } from './helper.js'\nexport const f = smartCache(async (x) => helper(x))\n`,
      'src/helper.js': 'export const helper = (x) => x * 2\n',
    },
  })
  afterAll(() => app.remove())

  const fingerprintIn = (file: string) => /fingerprint: "([0-9a-f]{64})"/.exec(readFileSync(app.path(file), 'utf8'))![1]!

  async function options(outfile: string) {
    const { default: plugin } = await import('unplugin-smart-cache/esbuild')
    return {
      absWorkingDir: app.dir,
      entryPoints: ['src/main.js'],
      bundle: true,
      format: 'esm' as const,
      platform: 'node' as const,
      outfile,
      external: ['smart-cache'],
      plugins: [plugin()],
      logLevel: 'silent' as const,
    }
  }

  it('rebuilds with the new fingerprint after a helper is edited, the one a build from nothing gives', async () => {
    const esbuild = await import('esbuild')
    const context = await esbuild.context(await options('dist/main.mjs'))
    try {
      await context.rebuild()
      const first = fingerprintIn('dist/main.mjs')
      await context.rebuild()
      expect(fingerprintIn('dist/main.mjs')).toBe(first)
      writeFileSync(app.path('src/helper.js'), 'export const helper = (x) => x * 3\n')
      await context.rebuild()
      const edited = fingerprintIn('dist/main.mjs')
      expect(edited).not.toBe(first)
      rmSync(app.path('node_modules/.cache'), { recursive: true, force: true })
      await esbuild.build(await options('dist/fresh.mjs'))
      expect(fingerprintIn('dist/fresh.mjs')).toBe(edited)
    } finally {
      await context.dispose()
    }
  })
})

describe('Rollup watch mode', () => {
  const app = createTempProject('plugin-watch-package', {
    files: {
      'src/main.js': `import { smartCache } from 'smart-cache'\nimport { lib } from 'lib'\nimport { note } from './note.js'\nexport const f = smartCache(async (x) => lib(x))\nexport const g = () => note\n`,
      'src/note.js': `export const note = 'first'\n`,
      'node_modules/lib/package.json': JSON.stringify({ name: 'lib', version: '1.0.0', type: 'module', exports: './index.js' }),
      'node_modules/lib/index.js': 'export const lib = (x) => x + 1\n',
    },
  })
  afterAll(() => app.remove())

  it('a package updated while watching: the next rebuild carries the fingerprint a build from nothing gives', async () => {
    const { watch } = await import('rollup')
    const { default: plugin } = await import('unplugin-smart-cache/rollup')
    const outputs: string[] = []
    let wake: (() => void) | undefined
    const watcher = watch({
      input: app.path('src/main.js'),
      external: ['smart-cache'],
      plugins: [plugin({ root: app.dir })],
      output: { file: app.path('dist/main.mjs'), format: 'es' },
      watch: { buildDelay: 50 },
    })
    watcher.on('event', event => {
      if (event.code === 'BUNDLE_END') void event.result.close()
      if (event.code === 'END' || event.code === 'ERROR') {
        outputs.push(event.code === 'END' ? readFileSync(app.path('dist/main.mjs'), 'utf8') : `error ${String(event.error)}`)
        wake?.()
      }
    })
    /** The next build's output; a rebuild is asked for again every 2 s (a watcher may miss a write while settling), 15 times at most. */
    async function nextBuild(touch?: () => void): Promise<string> {
      const count = outputs.length
      for (let i = 0; outputs.length === count; i++) {
        if (i > 15) throw new Error('no rebuild')
        touch?.()
        await new Promise<void>(resolve => {
          wake = resolve
          setTimeout(resolve, 2_000).unref()
        })
      }
      expect(outputs.at(-1)).not.toMatch(/^error/)
      return outputs.at(-1)!
    }
    const fingerprint = (code: string) => /fingerprint: (?:"([0-9a-f]{64})"|(\w+))/.exec(code)
    const fingerprintOf = (code: string) => {
      const m = fingerprint(code)!
      return m[1] ?? new RegExp(`const ${m[2]} = "([0-9a-f]{64})"`).exec(code)![1]!
    }
    try {
      const first = fingerprintOf(await nextBuild())
      // npm update: node_modules is not watched; the next rebuild comes from an edit elsewhere.
      app.write({
        'node_modules/lib/package.json': JSON.stringify({ name: 'lib', version: '1.0.1', type: 'module', exports: './index.js' }),
        'node_modules/lib/index.js': 'export const lib = (x) => x + 2\n',
      })
      let n = 0
      const rebuilt = await nextBuild(() => writeFileSync(app.path('src/note.js'), `export const note = 'edit ${n++}'\n`))
      // lib is an external here (no resolve plugin), loaded at run time: the new code runs next.
      const updated = fingerprintOf(rebuilt)
      expect(updated).not.toBe(first)
      const { rollup } = await import('rollup')
      rmSync(app.path('node_modules/.cache'), { recursive: true, force: true })
      const fresh = await rollup({
        input: app.path('src/main.js'),
        external: ['smart-cache'],
        plugins: [plugin({ root: app.dir })],
        onwarn: () => {},
      })
      const { output } = await fresh.generate({ format: 'es' })
      await fresh.close()
      expect(fingerprintOf(output[0].code)).toBe(updated)
    } finally {
      await watcher.close()
    }
  })
})
