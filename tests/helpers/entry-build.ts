// Builds one entry module of a project with unplugin-smart-cache under a real bundler and returns
// the manifest the plugin wrote beside the output (Contract 3). Unlike bundle.ts, the entry, the
// plugin's cacheDir and what stays external are the caller's.
import { join } from 'node:path'
import type { Bundler } from './bundle.ts'
import { readBuildManifest } from './manifest.ts'

export interface EntryBuild {
  /** Absolute project root (the bundler's root and the plugin's). */
  root: string
  /** Root-relative path of the entry module. */
  entry: string
  /** The plugin's `cacheDir` (engine disk cache and build cache). */
  cacheDir: string | false
  /** Whether an import of the entry is left to run time instead of bundled (the runtime always is). */
  external: (source: string) => boolean
}

export interface ManifestFunction {
  fingerprint: string
  deps: Array<{ file: string; binding: string; hash: string; line: number }>
}

export interface Built {
  functions: Record<string, ManifestFunction>
  warnings: string[]
}

type Builder = (b: EntryBuild, outDir: string, warnings: string[]) => Promise<void>

const isExternal = (b: EntryBuild, source: string): boolean => source === 'smart-cache' || b.external(source)

const vite: Builder = async (b, outDir, warnings) => {
  const { build } = await import('vite')
  const { default: plugin } = await import('unplugin-smart-cache/vite')
  await build({
    root: b.root,
    configFile: false,
    logLevel: 'silent',
    plugins: [plugin({ cacheDir: b.cacheDir })],
    // A build's JSX (vitest's NODE_ENV=test would otherwise select `<source>/jsx-dev-runtime`).
    oxc: { jsx: { development: false } },
    build: {
      ssr: join(b.root, b.entry),
      outDir,
      emptyOutDir: true,
      rollupOptions: {
        external: s => isExternal(b, s),
        output: { entryFileNames: 'main.mjs' },
        onwarn: w => void warnings.push(w.message),
      },
    },
  })
}

const rollup: Builder = async (b, outDir, warnings) => {
  const { rollup } = await import('rollup')
  const { default: plugin } = await import('unplugin-smart-cache/rollup')
  const out = await rollup({
    input: join(b.root, b.entry),
    external: s => isExternal(b, s),
    plugins: [plugin({ root: b.root, cacheDir: b.cacheDir })],
    onwarn: w => void warnings.push(w.message),
  })
  await out.write({ dir: outDir, format: 'es', entryFileNames: 'main.mjs' })
  await out.close()
}

const esbuild: Builder = async (b, outDir, warnings) => {
  const esbuild = await import('esbuild')
  const { default: plugin } = await import('unplugin-smart-cache/esbuild')
  const externals: import('esbuild').Plugin = {
    name: 'case-externals',
    setup: build =>
      build.onResolve({ filter: /.*/ }, a =>
        a.kind !== 'entry-point' && isExternal(b, a.path) ? { path: a.path, external: true } : undefined,
      ),
  }
  const result = await esbuild.build({
    absWorkingDir: b.root,
    entryPoints: [join(b.root, b.entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
    write: true,
    plugins: [plugin({ cacheDir: b.cacheDir }), externals],
  })
  warnings.push(...result.warnings.map(w => w.text))
}

const webpack: Builder = async (b, outDir, warnings) => {
  const webpack = (await import('webpack')).default
  const { default: plugin } = await import('unplugin-smart-cache/webpack')
  const entry = join(b.root, b.entry)
  const stats = await new Promise<any>((resolve, reject) =>
    webpack(
      {
        mode: 'production',
        context: b.root,
        target: 'node20',
        entry,
        output: { path: outDir, filename: 'main.mjs', module: true, chunkFormat: 'module', library: { type: 'module' } },
        experiments: { outputModule: true },
        externalsType: 'module',
        externals: [({ request }, cb) => (request && request !== entry && isExternal(b, request) ? cb(undefined, request) : cb())],
        // As a TypeScript project configures webpack (its defaults, .js .json .wasm, resolve no
        // extensionless TypeScript import: the engine, told them, could not either). No
        // process.env.NODE_ENV define: fingerprints are compared with an engine given none.
        resolve: { extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'] },
        optimization: { minimize: false, nodeEnv: false },
        plugins: [plugin({ cacheDir: b.cacheDir })],
      },
      (err, s) => (err ? reject(err) : resolve(s)),
    ),
  )
  if (stats.hasErrors()) throw new Error(stats.toString('errors-only'))
  warnings.push(...stats.compilation.warnings.map((w: Error) => w.message))
}

const builders: Record<Bundler, Builder> = { vite, rollup, esbuild, webpack }

/** Builds `b.entry` into `<root>/dist-<bundler>/` and reads the manifest written there. */
export async function buildEntry(bundler: Bundler, b: EntryBuild): Promise<Built> {
  const outDir = join(b.root, `dist-${bundler}`)
  const warnings: string[] = []
  await builders[bundler](b, outDir, warnings)
  const manifest = readBuildManifest(b.root, outDir)
  return { functions: manifest.functions, warnings }
}
