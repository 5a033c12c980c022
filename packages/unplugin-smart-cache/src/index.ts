import type { UnpluginFactory, UnpluginInstance } from 'unplugin'
import type { Engine } from './core/engine.js'
import type { Options } from './core/options.js'
import type { TransformEnv } from './core/transform.js'
import { dirname } from 'node:path'
import process from 'node:process'
import { createUnplugin } from 'unplugin'
import { createEngine, warningText } from './core/engine.js'
import { relativeId, RUNTIME } from './core/ids.js'
import { FunctionRegistry, manifestJson } from './core/manifest.js'
import { esbuildOutDir, writeManifestFile } from './core/manifest-writer.js'
import { resolveOptions } from './core/options.js'

export type { DiagnosticsLevel, DiagnosticsOptions, Options } from './core/options.js'

const NAME = 'unplugin-smart-cache'

/** A one-off Rollup/Vite/Rolldown build (not watch mode): nothing is watched, the engine can close. */
function isOneOffBuild(context: unknown): boolean {
  return (context as { meta?: { watchMode?: boolean } }).meta?.watchMode === false
}

export const unpluginFactory: UnpluginFactory<Options | undefined, false> = (rawOptions, meta) => {
  const options = resolveOptions(rawOptions)
  let root = options.root
  let env: Promise<TransformEnv> | undefined
  let transformModule: typeof import('./core/transform.js')['transformModule']
  let warned = 0
  const registry = new FunctionRegistry()

  const getEnv = (): Promise<TransformEnv> => {
    env ??= (async () => {
      root ??= process.cwd()
      // The parser, magic-string and the engine load here, not when the bundler config is read.
      const [engine, transform, { DiagnosticsCollector }, { DiagnosticsCache, diagnosticsCacheFile }] = await Promise.all([
        createEngine(root, options.cacheDir, options.engine),
        import('./core/transform.js'),
        import('./core/diagnostics.js'),
        import('./core/diagnostics-cache.js'),
      ])
      transformModule = transform.transformModule
      const diagnosticsCache = new DiagnosticsCache(diagnosticsCacheFile(root, options.cacheDir))
      return { root, engine, options, diagnostics: new DiagnosticsCollector(root), diagnosticsCache }
    })()
    return env
  }

  const prewarm = (): void => {
    getEnv().catch(() => {}) // a failure surfaces, with its message, in the first transform
  }

  const invalidate = async (file: string): Promise<void> => {
    if (!env)
      return
    const e = await env
    e.engine.invalidate(file)
    e.diagnostics.invalidate(file)
  }

  /** The manifest's text, made once per state of the registry (a build asks for it in several hooks). */
  let manifestText: { version: number, json: string | undefined } | undefined
  const manifest = (): string | undefined => {
    if (manifestText?.version !== registry.version)
      manifestText = { version: registry.version, json: options.manifest && registry.size > 0 ? manifestJson(registry.entries()) : undefined }
    return manifestText.json
  }

  /** Rollup and Rolldown: the manifest is an asset of the bundle. */
  function emitManifest(this: { emitFile: (file: { type: 'asset', fileName: string, source: string }) => unknown }): void {
    const json = manifest()
    if (json && options.manifest)
      this.emitFile({ type: 'asset', fileName: options.manifest, source: json })
  }

  return {
    name: NAME,
    enforce: 'pre',
    // Start loading the engine (module, worker thread) now, without holding the build up:
    // it is awaited by the first module that has a mark.
    buildStart() {
      prewarm()
    },
    transform: {
      filter: { id: { include: options.include, exclude: options.exclude }, code: RUNTIME },
      async handler(code, id) {
        const e = await getEnv()
        // The runtime's own modules (a workspace link, outside node_modules) hold no marks.
        if (e.diagnostics.isRuntime(id.replace(/[?#].*$/, '')))
          return null
        let result
        try {
          result = await transformModule(code, id, e)
        }
        catch (error) {
          this.warn(`[smart-cache] internal error while rewriting ${relativeId(e.root, id)}: ${(error as Error).message}. The module is left unchanged; please report this.`)
          return null
        }
        for (const w of e.engine.warnings.slice(warned))
          this.warn(`[smart-cache] ${warningText(w).replace(/^\[smart-cache\]\s*/, '')}`)
        warned = e.engine.warnings.length
        registry.set(id, result?.functions ?? new Map())
        if (!result)
          return null
        // A one-off Rollup/Vite/Rolldown build watches nothing: skip thousands of calls.
        if (!isOneOffBuild(this)) {
          for (const f of result.watchFiles)
            this.addWatchFile(f)
        }
        for (const w of result.warnings)
          this.warn(w.message)
        if (result.errors.length > 0)
          this.error(result.errors.map(x => x.message).join('\n\n'))
        return { code: result.code, map: result.map as any }
      },
    },
    async watchChange(id) {
      await invalidate(id)
    },
    async buildEnd() {
      // A one-off build is done with the engine: save its snapshot (the next build starts warm)
      // and stop its parser threads. It stays usable: threads restart on demand.
      const e = env && await env.catch(() => undefined)
      e?.diagnosticsCache?.save()
      if (isOneOffBuild(this) && e)
        await e.engine.close?.()
      // Rollup, Rolldown and Vite write the manifest with the bundle (generateBundle, writeBundle).
      if (!options.manifest || !['webpack', 'rspack', 'esbuild'].includes(meta.framework))
        return
      const json = manifest()
      if (!json)
        return
      if (meta.framework === 'webpack' || meta.framework === 'rspack') {
        this.emitFile({ type: 'asset', fileName: options.manifest, source: json })
      }
      else if (meta.framework === 'esbuild') {
        const native = this.getNativeBuildContext?.()
        const dir = native?.framework === 'esbuild' ? esbuildOutDir(native.build.initialOptions) : undefined
        if (dir)
          writeManifestFile(dir, options.manifest, json)
      }
    },
    rollup: { generateBundle: emitManifest },
    rolldown: { generateBundle: emitManifest },
    vite: {
      configResolved(config) {
        root ??= config.root
        prewarm()
      },
      // Vite drops emitted assets of SSR builds (`build.ssrEmitAssets`): write beside the output.
      writeBundle(outputOptions, bundle) {
        if (options.manifest && options.manifest in bundle)
          return
        const json = manifest()
        const dir = outputOptions.dir ?? (outputOptions.file && dirname(outputOptions.file))
        if (json && options.manifest && dir)
          writeManifestFile(dir, options.manifest, json)
      },
      async hotUpdate({ file, modules, timestamp }) {
        await invalidate(file)
        if (!root)
          return
        const graph = this.environment.moduleGraph
        const extra = registry.dependents(relativeId(root, file))
          .flatMap(id => [...(graph.getModulesByFile(id.replace(/[?#].*$/, '')) ?? [])])
          .filter(mod => !modules.includes(mod))
        if (extra.length === 0)
          return
        for (const mod of extra)
          graph.invalidateModule(mod, new Set(), timestamp, true)
        return [...modules, ...extra]
      },
    },
    webpack(compiler) {
      root ??= compiler.options.context
    },
    rspack(compiler) {
      root ??= compiler.options.context
    },
    esbuild: {
      config(esbuildOptions) {
        root ??= esbuildOptions.absWorkingDir
      },
    },
  }
}

export const unplugin: UnpluginInstance<Options | undefined, false> = /* #__PURE__ */ createUnplugin(unpluginFactory)

export default unplugin
