import { join } from 'node:path'

/** The bundlers the semantics tests build with. */
export type Bundler = 'vite' | 'rollup' | 'webpack' | 'esbuild'

/** Where the output runs: `node` (the runtime's Node entry, files) or `browser` (its browser entry, IndexedDB). */
export type Platform = 'node' | 'browser'

export interface Bundled {
  /** The output module (`main.mjs`). */
  file: string
  warnings: string[]
}

/**
 * Builds `src/main.js` of `root` into `dist-<bundler>-<platform>/main.mjs` with unplugin-smart-cache,
 * `smart-cache` left external (the workspace package is resolved at run time). A build error rejects
 * with the bundler's error, whose message holds the plugin's.
 */
export async function bundle(bundler: Bundler, root: string, platform: Platform = 'node'): Promise<Bundled> {
  const outDir = join(root, `dist-${bundler}-${platform}`)
  const input = join(root, 'src/main.js')
  const file = join(outDir, 'main.mjs')
  const warnings: string[] = []
  if (bundler === 'vite') {
    const { build } = await import('vite')
    const { default: plugin } = await import('unplugin-smart-cache/vite')
    const rollupOptions = {
      external: ['smart-cache'],
      output: { entryFileNames: 'main.mjs', format: 'es' as const },
      onwarn: (w: { message: string }) => void warnings.push(w.message),
    }
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [plugin()],
      build:
        platform === 'node'
          ? { ssr: input, outDir, emptyOutDir: true, rollupOptions }
          : { outDir, emptyOutDir: true, minify: false, rollupOptions: { ...rollupOptions, input } },
    })
    return { file, warnings }
  }
  if (bundler === 'rollup') {
    const { rollup } = await import('rollup')
    const { default: plugin } = await import('unplugin-smart-cache/rollup')
    const out = await rollup({ input, external: ['smart-cache'], plugins: [plugin({ root })], onwarn: w => void warnings.push(w.message) })
    await out.write({ dir: outDir, format: 'es', entryFileNames: 'main.mjs' })
    await out.close()
    return { file, warnings }
  }
  if (bundler === 'esbuild') {
    const esbuild = await import('esbuild')
    const { default: plugin } = await import('unplugin-smart-cache/esbuild')
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [input],
      bundle: true,
      platform,
      format: 'esm',
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      external: ['smart-cache'],
      logLevel: 'silent',
      plugins: [plugin()],
    })
    warnings.push(...result.warnings.map(w => w.text))
    return { file, warnings }
  }
  const webpack = (await import('webpack')).default
  const { default: plugin } = await import('unplugin-smart-cache/webpack')
  const stats = await new Promise<any>((resolve, reject) =>
    webpack(
      {
        mode: 'production',
        context: root,
        target: platform === 'node' ? 'node20' : 'web',
        entry: input,
        output: { path: outDir, filename: 'main.mjs', module: true, chunkFormat: 'module', library: { type: 'module' } },
        experiments: { outputModule: true },
        externalsType: 'module',
        externals: { 'smart-cache': 'smart-cache' },
        optimization: { minimize: false },
        plugins: [plugin()],
      },
      (err, s) => (err ? reject(err) : resolve(s)),
    ),
  )
  if (stats.hasErrors()) throw new Error(stats.toString('errors-only'))
  warnings.push(...stats.compilation.warnings.map((w: Error) => w.message))
  return { file, warnings }
}
