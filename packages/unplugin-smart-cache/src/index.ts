import type { UnpluginFactory, UnpluginInstance, UnpluginOptions } from 'unplugin'
import type { BundlerOptions, Engine } from './core/engine.js'
import type { Options } from './core/options.js'
import type { CachedEnv } from './core/cached.js'
import type { TransformOutput } from './core/transform-output.js'
import type { TransformEnv } from './core/transform.js'
import process from 'node:process'
import { createUnplugin } from 'unplugin'
import { BuildCache, buildCacheFile, digest } from './core/build-cache.js'
import { transformFromCache } from './core/cached.js'
import { DeferredFingerprints, FINGERPRINTS_MODULE, fingerprintsModule, fingerprintsSource } from './core/deferred.js'
import { createEngine, fingerprintingOptions, warningText } from './core/engine.js'
import { EngineRecord } from './core/engine-record.js'
import { toPortableOptions } from '@smart-cache/fingerprint'
import { esbuildResolve, viteResolve, webpackResolve, type WebpackResolveConfig } from './core/bundler-resolve.js'
import { viteDefines } from './core/bundler-defines.js'
import { autoImportGlobals, autoImportUndeclared, mergeGlobals, pluginNames } from './core/auto-imports.js'
import { esbuildInjectGlobals } from './core/esbuild-inject.js'
import { injectOptionGlobals } from './core/inject-option.js'
import { esbuildEntries, rollupEntries, viteEntries } from './core/bundler-entries.js'
import { isScriptFile, relativeId, RUNTIME, fileOfId } from './core/ids.js'
import { idleSaver } from './core/idle-save.js'
import { originalPositions } from './core/original-position.js'
import { FunctionRegistry } from './core/manifest.js'
import { ManifestOutput, outputDir, type OutputPlace } from './core/manifest-output.js'
import { esbuildOutDir, writeManifestFile } from './core/manifest-writer.js'
import { resolveOptions } from './core/options.js'
import { RuntimeFiles } from './core/runtime-dir.js'
import {
  isOneOffBuild,
  type Platform,
  rebuildEveryTime,
  viteConsumer,
  viteEnvironmentName,
  viteInject,
  type WebpackLikeOptions,
  webpackBundlerOptions,
  webpackPlatform,
} from './core/bundler-context.js'

type TransformModule = (typeof import('./core/transform.js'))['transformModule']
type RewriteDeferred = (typeof import('./core/transform.js'))['rewriteDeferred']
/** What every environment's rewrite shares. */
type Shared = Omit<CachedEnv, 'engine'> & { runtime: RuntimeFiles }
/** An environment's engine with the shared parts: enough for a module the last build rewrote the same way. */
type Base = CachedEnv & { runtime: RuntimeFiles; environment: string }
/** The transform code, loaded once. */
type TransformCode = { diagnostics: TransformEnv['diagnostics']; transformModule: TransformModule; rewriteDeferred: RewriteDeferred }
/** An environment's full rewrite. */
type Full = { env: TransformEnv; transformModule: TransformModule; rewriteDeferred: RewriteDeferred }
/** A module rewritten before its fingerprints are known (see core/deferred.ts). */
type EarlyRewrite = { code: string; map: object | string; ids: string[] }

export type { DiagnosticsLevel, DiagnosticsOptions, Options } from './core/options.js'

const NAME = 'unplugin-smart-cache'

/** The warning of a rewrite that failed unexpectedly. */
function internalError(e: CachedEnv, id: string, error: unknown, outcome = 'The module is left unchanged'): string {
  return `[smart-cache] internal error while rewriting ${relativeId(e.root, id)}: ${(error as Error).message}. ${outcome}; please report this.`
}

/** What the plugin uses of a Vite dev environment's module graph. */
interface ModuleGraphLike {
  getModulesByFile(file: string): Set<object> | undefined
  invalidateModule(mod: object, seen: Set<object>, timestamp: number, isHmr: boolean): void
}

/** The hooks' context, as far as {@link report} uses it. */
interface ReportContext {
  warn: (message: string | { message: string; id: string }) => void
  error: (message: string | { message: string; id: string }) => void
  /** The module the messages are about, when it is not the hook's own. */
  about?: string
}

export const unpluginFactory: UnpluginFactory<Options | undefined, boolean> = (rawOptions, meta) => {
  const options = resolveOptions(rawOptions)
  let root = options.root
  let shared: Promise<Shared> | undefined
  /** Per environment (Vite: client, ssr…; '' elsewhere): its engine, which resolves imports with that environment's conditions. */
  const bases = new Map<string, Promise<Base>>()
  const fulls = new Map<string, Promise<Full>>()
  let transformCode: Promise<TransformCode> | undefined
  /** Each engine's warnings reported so far. */
  const warned = new WeakMap<Engine, number>()
  const registry = new FunctionRegistry()
  /** The options each environment's engine was created with, recorded in the manifest for the CLI. */
  const engineRecord = new EngineRecord()
  /** Where the output runs, when the bundler says (esbuild `platform`, webpack `target`); Vite says it per module. */
  let platform: Platform | undefined
  /** How the bundler resolves imports in an environment (its aliases and conditions) and what it replaces at build time, read when its engine starts; Rollup has neither. */
  let bundlerOptions: ((environment: string) => BundlerOptions) | undefined
  /** The environment a hook runs for (Vite's `this.environment`, or its `ssr` flag); '' for other bundlers. */
  const environmentOf = (context: unknown, hookOptions?: unknown): string =>
    meta.framework === 'vite' ? viteEnvironmentName(context, hookOptions) : ''

  /** What every environment shares: the root, the build cache, the runtime's files. */
  const getShared = (): Promise<Shared> => {
    shared ??= (async () => {
      root ??= process.cwd()
      const cache = new BuildCache(buildCacheFile(root, options.cacheDir))
      // A cold build rewrites every marked module: load the parser and magic-string now, while
      // the bundler starts, not when the first marked module waits for them.
      if (!cache.exists()) queueMicrotask(() => void loadTransform().catch(() => {})) // once `shared` is set: it awaits it
      return { root, options, cache, runtime: new RuntimeFiles(root) }
    })()
    return shared
  }

  /** What an environment's engine is given of the bundler, with the auto-imports declared now (read again at each rebuild). */
  const bundlerFacts = (root: string, environment: string): BundlerOptions => {
    const fromBundler = bundlerOptions?.(environment)
    return { ...fromBundler, globals: mergeGlobals(autoImportGlobals(root), fromBundler?.globals) }
  }
  /** Each started engine's bundler facts, portable (compared at a rebuild). */
  const factsKeys = new Map<string, string>()
  const factsKey = (root: string, bundler: BundlerOptions): string =>
    JSON.stringify(toPortableOptions(fingerprintingOptions(bundler), root))

  /** The engine and the build cache: enough for a module the last build rewrote the same way. */
  const getBase = (environment: string): Promise<Base> => {
    let base = bases.get(environment)
    if (!base) {
      base = (async () => {
        const s = await getShared()
        const bundler = bundlerFacts(s.root, environment)
        factsKeys.set(environment, factsKey(s.root, bundler))
        engineRecord.set(environment, fingerprintingOptions(bundler))
        const engine: Engine = await createEngine(s.root, options.cacheDir, options.engine, bundler)
        return { ...s, engine, environment }
      })()
      bases.set(environment, base)
    }
    return base
  }

  /** The engines started so far (those that failed to start left out). */
  const startedBases = async (): Promise<Base[]> =>
    (await Promise.all([...bases.values()].map(b => b.catch(() => undefined)))).filter((b): b is Base => b !== undefined)

  /**
   * A rebuild: an engine whose bundler facts changed (an export added to an esbuild inject file,
   * new auto-import declarations) is replaced by one given the new facts; the others check every
   * file and folder they know again.
   */
  const refreshEngines = async (): Promise<void> => {
    for (const b of await startedBases()) {
      if (factsKeys.get(b.environment) === factsKey(b.root, bundlerFacts(b.root, b.environment))) {
        b.engine.recheck?.()
        continue
      }
      bases.delete(b.environment)
      fulls.delete(b.environment)
      await b.engine.close?.()
    }
  }

  /** The parser, magic-string and the purity scan, loaded once by the first module the cache cannot serve. */
  const loadTransform = (): Promise<TransformCode> => {
    transformCode ??= (async () => {
      const [s, transform, { DiagnosticsCollector }] = await Promise.all([
        getShared(),
        import('./core/transform.js'),
        import('./core/diagnostics.js'),
      ])
      const diagnostics = new DiagnosticsCollector(s.root)
      return { diagnostics, transformModule: transform.transformModule, rewriteDeferred: transform.rewriteDeferred }
    })()
    return transformCode
  }

  /** An environment's engine with the transform code. */
  const getFull = (environment: string): Promise<Full> => {
    let full = fulls.get(environment)
    if (!full) {
      full = Promise.all([getBase(environment), loadTransform()]).then(([b, t]) => ({
        env: { ...b, diagnostics: t.diagnostics },
        transformModule: t.transformModule,
        rewriteDeferred: t.rewriteDeferred,
      }))
      fulls.set(environment, full)
    }
    return full
  }

  /** Long-lived builds (dev, watch): the engines' and the build cache's new entries, saved while idle. */
  const saveSoon = idleSaver(async () => {
    const started = await startedBases()
    await started[0]?.cache.save()
    for (const b of started) await b.engine.save?.()
  })

  const prewarm = (environment: string): void => {
    getBase(environment).catch(() => {}) // a failure surfaces, with its message, in the first transform
  }

  const deferred = new DeferredFingerprints()
  /** Builds started by this plugin instance (watch mode and esbuild contexts rebuild with the same one). */
  let builds = 0
  /** The caches' save and the engine's close of a one-off build, started by buildEnd, awaited by closeBundle. */
  let closing: Promise<void> | undefined
  async function awaitClosing(): Promise<void> {
    const pending = closing
    closing = undefined
    await pending
  }

  /**
   * The module rewritten from the build cache, or in full; in a one-off build (`defer`), a module
   * the cache cannot serve is rewritten at once, its fingerprints left to a module of ours that
   * the bundler loads while it goes on with the rest of the app (see core/deferred.ts).
   */
  const rewrite = async (
    code: string,
    id: string,
    b: CachedEnv,
    defer: boolean,
    environment: string,
  ): Promise<TransformOutput | EarlyRewrite | null> => {
    // A module transformed again while its fingerprints are pending (two Vite environments at once) waits for them.
    const named = defer ? fingerprintsSource(b.root, id) : undefined
    const source = named && !deferred.has(named) ? named : undefined
    const cached = await transformFromCache(code, id, b)
    if (cached !== undefined) {
      const early = source && cached?.deferred?.source === source ? cached.deferred : undefined
      if (!early || !source) return cached
      deferred.set(source, { moduleId: id, ids: early.ids, full: Promise.resolve(cached) })
      return early
    }
    const f = await getFull(environment)
    const rewritten = f.transformModule(code, id, f.env)
    const early = source ? f.rewriteDeferred(code, id, f.env, source) : undefined
    if (!early || !source) return rewritten
    const full = rewritten.then(out => {
      // Kept beside the full rewrite (only if that one was kept): a warm build gives the same output.
      if (out)
        b.cache.setDeferred(relativeId(b.root, id), digest(code), { source, code: early.code, map: early.map.toString(), ids: early.ids })
      return out
    })
    deferred.set(source, { moduleId: id, ids: early.ids, full })
    return early
  }

  /** What a module's rewrite tells the build: the engine's new warnings, the rewrite's warnings and errors, its manifest entries. */
  function report(ctx: ReportContext, e: Base, id: string, result: TransformOutput | null, consumer: Platform | undefined): void {
    for (const w of e.engine.warnings.slice(warned.get(e.engine) ?? 0))
      ctx.warn(`[smart-cache] ${warningText(w).replace(/^\[smart-cache\]\s*/, '')}`)
    warned.set(e.engine, e.engine.warnings.length)
    registry.set(id, result?.functions ?? new Map(), e.environment)
    if (!result) return
    // From `load` of the fingerprints module, messages name the rewritten module, as from its `transform`.
    const about = (message: string) => (ctx.about ? { message, id: ctx.about } : message)
    for (const w of result.warnings) ctx.warn(about(w.message))
    const errors = consumer === 'browser' || platform === 'browser' ? [...result.errors, ...result.syncMarks] : result.errors
    if (errors.length > 0) ctx.error(about(errors.map(x => x.message).join('\n\n')))
  }

  /** A file changed (watch, dev): the engine and the purity scan forget it. */
  const invalidate = async (file: string): Promise<void> => {
    for (const b of await startedBases()) b.engine.invalidate(file)
    const t = transformCode && (await transformCode.catch(() => undefined))
    t?.diagnostics.invalidate(file)
  }

  const manifests = new ManifestOutput(options.manifest, registry, engineRecord, () => root ?? process.cwd())

  /** Vite dev: the server's environments (client, ssr…), whose module graphs `watchChange` invalidates. */
  let devEnvironments: Record<string, { moduleGraph?: ModuleGraphLike }> | undefined

  /** Modules of a Vite dev environment holding cached functions that reach `file`. */
  function dependentModules<M>(graph: { getModulesByFile(file: string): Set<M> | undefined }, file: string): M[] {
    if (!root) return []
    return registry.dependents(relativeId(root, file)).flatMap(id => [...(graph.getModulesByFile(fileOfId(id)) ?? [])])
  }

  /** Rollup and Rolldown: a manifest asked for beside the output is an asset of the bundle. */
  function emitManifest(this: { emitFile: (file: { type: 'asset'; fileName: string; source: string }) => unknown }): void {
    const json = manifests.json()
    if (json && manifests.besideOutput) this.emitFile({ type: 'asset', fileName: manifests.besideOutput, source: json })
  }

  /** Rollup, Rolldown and Vite: the manifest is made while the bundler renders. */
  const prepareManifest = (output: OutputPlace): void => manifests.prepare(output)

  /** Rollup and Rolldown: the default manifest once the bundle is written. */
  const writeDefaultManifest = (output: OutputPlace): void => manifests.writeOutsideOutput(outputDir(output))

  /**
   * Rollup, Rolldown and Vite only (see core/deferred.ts): the module that holds a rewritten
   * module's fingerprints. Given to other bundlers, resolveId and load hooks would run in
   * JavaScript for every import (esbuild, webpack), for nothing: they never defer.
   */
  const fingerprintHooks = {
    resolveId: {
      filter: { id: FINGERPRINTS_MODULE },
      handler(source: string) {
        return deferred.has(source) ? source : null
      },
    },
    load: {
      filter: { id: FINGERPRINTS_MODULE },
      async handler(this: ReportContext, source: string, ...rest: unknown[]) {
        const pending = deferred.take(source)
        if (!pending) return null
        const e = await getBase(environmentOf(this, rest[0]))
        let result: TransformOutput | null = null
        try {
          result = await pending.full
        } catch (error) {
          this.warn(internalError(e, pending.moduleId, error, 'Its cached functions run uncached (every call computes)'))
        }
        report(
          { warn: m => this.warn(m), error: m => this.error(m), about: pending.moduleId },
          e,
          pending.moduleId,
          result,
          viteConsumer(this, rest[0]),
        )
        return fingerprintsModule(pending.ids, result)
      },
    },
  }

  /**
   * Every bundler but esbuild: a module whose code is not its file's (a component: `.vue`,
   * `.svelte`, `.astro`, `.mdx`, a block of one) is left to {@link components}, which sees it once
   * its framework compiled it to JavaScript (webpack and Rspack: a post loader, which vue-loader
   * keeps in the requests of a component's blocks). esbuild shows the plugin only what comes before
   * its other plugins, so the main hook does what it can with it there.
   */
  const laterHook = meta.framework !== 'esbuild'

  /** The main hook, on a module whose code is not its file's: its cached functions run uncached, with a warning. */
  async function foreign(ctx: ReportContext, code: string, id: string, root: string) {
    const { rewriteForeign, unreadableWarning } = await import('./core/foreign.js')
    const out = rewriteForeign(code, id, root)
    const warning = out ? undefined : unreadableWarning(code, id, root)
    if (warning) ctx.warn(warning)
    for (const w of out?.warnings ?? []) ctx.warn(w)
    return out && { code: out.code, map: out.map as any }
  }

  /**
   * The cached functions of components, after their framework compiled them: after every other
   * hook in Rollup and Rolldown (hook order `post`), after the other plugins' hooks in Vite
   * (`enforce: 'post'`; its dev server resolves the imports in `post`-order hooks, and the
   * `smart-cache` import would no longer be known there), a post loader in webpack and Rspack. The engine fingerprints
   * files and cannot read these: each runs uncached, with a warning naming it (see
   * core/foreign.ts), instead of being cached on its own source text, which an edit of an imported
   * helper would not change.
   */
  const components = {
    name: `${NAME}:components`,
    enforce: 'post' as const,
    transform: {
      order: meta.framework === 'vite' ? undefined : ('post' as const),
      filter: { id: { exclude: options.exclude }, code: RUNTIME },
      async handler(this: ReportContext & { getCombinedSourcemap?: () => { mappings?: string } }, code: string, id: string) {
        if (isScriptFile(id)) return null
        const s = await getShared()
        if (s.runtime.owns(fileOfId(id))) return null
        const { rewriteForeign } = await import('./core/foreign.js')
        const out = rewriteForeign(
          code,
          id,
          s.root,
          originalPositions(() => this.getCombinedSourcemap?.()),
        )
        for (const w of out?.warnings ?? []) this.warn(w)
        return out && { code: out.code, map: out.map as any }
      },
    },
  }

  const main = {
    name: NAME,
    enforce: 'pre' as const,
    // Start the engine (and its check of stored answers) now, without holding the build up:
    // it is awaited by the first module that has a mark.
    async buildStart() {
      // Each rebuild (watch mode; an esbuild context's rebuild()/watch()/serve(), which report no
      // changed files at all) checks every file and folder the engine knows again, as the bundler
      // reads its modules again: a watcher does not report everything a fingerprint depends on (a
      // package updated in node_modules, bundled again or loaded at run time as an external).
      if (builds++ > 0) await refreshEngines()
      prewarm(environmentOf(this))
    },
    transform: {
      filter: { id: { include: options.include, exclude: options.exclude }, code: RUNTIME },
      async handler(code, id, ...rest: unknown[]) {
        const environment = environmentOf(this, rest[0])
        const e = await getBase(environment)
        // The runtime's own modules (a workspace link, outside node_modules) hold no marks.
        if (e.runtime.owns(fileOfId(id))) return null
        if (!isScriptFile(id)) return laterHook ? null : foreign(this, code, id, e.root)
        // A one-off Rollup/Vite/Rolldown build watches nothing: skip thousands of calls.
        const oneOff = isOneOffBuild(this)
        let result
        try {
          result = await rewrite(code, id, e, oneOff, environment)
        } catch (error) {
          this.warn(internalError(e, id, error))
          return null
        }
        if (result && 'ids' in result) return { code: result.code, map: result.map as any }
        if (result) rebuildEveryTime(this)
        if (result && !oneOff) {
          for (const f of result.watchFiles) this.addWatchFile(f)
          saveSoon()
        }
        report(this, e, id, result, viteConsumer(this, rest[0]))
        return result && { code: result.code, map: result.map as any }
      },
    },
    async watchChange(id) {
      await invalidate(id)
    },
    async buildEnd() {
      // A one-off build is done with the engine: save its snapshot (the next build starts warm)
      // and stop its parser threads. It stays usable: threads restart on demand.
      const started = await startedBases()
      const cache = started[0]?.cache
      if (isOneOffBuild(this) && cache) {
        // Rollup, Rolldown and Vite render and write the bundle meanwhile; closeBundle waits for it.
        closing = Promise.all([cache.save(), ...started.map(b => b.engine.close?.())]).then(() => {})
        closing.catch(() => {}) // reported by closeBundle; a build that never closes still saves
        return
      }
      await cache?.save()
      for (const b of started) await b.engine.save?.() // a dev server closed on SIGTERM exits right after
      // Rollup, Rolldown and Vite write the manifest with the bundle (generateBundle, writeBundle).
      if (!options.manifest || !['webpack', 'rspack', 'esbuild'].includes(meta.framework)) return
      const json = manifests.json()
      if (!json) return
      const native = this.getNativeBuildContext?.()
      const { besideOutput } = manifests
      if (meta.framework === 'webpack' || meta.framework === 'rspack') {
        if (besideOutput) this.emitFile({ type: 'asset', fileName: besideOutput, source: json })
        else if (native?.framework === 'webpack' || native?.framework === 'rspack')
          manifests.writeOutsideOutput(native.compiler.options.output.path ?? 'dist')
      } else if (meta.framework === 'esbuild') {
        const dir = native?.framework === 'esbuild' ? esbuildOutDir(native.build.initialOptions) : undefined
        if (besideOutput && dir) writeManifestFile(dir, besideOutput, json)
        else manifests.writeOutsideOutput(dir)
      }
    },
    rollup: {
      // Rollup resolves as Node does (no options of its own), and `input` from the working folder; an auto-import plugin among its plugins is read.
      options(inputOptions: { plugins?: unknown; input?: unknown }) {
        bundlerOptions ??= () => ({
          undeclaredGlobals: autoImportUndeclared(pluginNames(inputOptions.plugins)),
          entries: rollupEntries(inputOptions.input, process.cwd()),
        })
        return null
      },
      renderStart: prepareManifest,
      generateBundle: emitManifest,
      writeBundle: writeDefaultManifest,
      closeBundle: awaitClosing,
      ...fingerprintHooks,
      // Rollup's `cache` (the JavaScript API's option, watch mode) reuses a module's transform while its
      // code is the same; a marked module's fingerprints depend on other files too: always rewrite it
      // (from the build cache when nothing changed).
      shouldTransformCachedModule: ({ code }: { code: string }) => code.includes(RUNTIME),
    },
    rolldown: {
      options(inputOptions: {
        resolve?: WebpackResolveConfig
        platform?: string
        cwd?: string
        transform?: { define?: Record<string, string>; inject?: Record<string, unknown> }
        plugins?: unknown
        input?: unknown
      }) {
        root ??= inputOptions.cwd
        bundlerOptions ??= () => ({
          resolve: webpackResolve(
            inputOptions.resolve,
            { browser: inputOptions.platform !== 'node' && inputOptions.platform !== 'neutral', bundler: 'rolldown' },
            inputOptions.cwd ?? process.cwd(),
          ),
          defines: { ...inputOptions.transform?.define },
          globals: injectOptionGlobals(inputOptions.transform?.inject),
          undeclaredGlobals: autoImportUndeclared(pluginNames(inputOptions.plugins)),
          entries: rollupEntries(inputOptions.input, inputOptions.cwd ?? process.cwd()),
        })
        return null
      },
      renderStart: prepareManifest,
      generateBundle: emitManifest,
      writeBundle: writeDefaultManifest,
      closeBundle: awaitClosing,
      ...fingerprintHooks,
    },
    vite: {
      ...fingerprintHooks,
      renderStart: prepareManifest,
      closeBundle: awaitClosing,
      configResolved(config) {
        root ??= config.root
        bundlerOptions ??= environment => ({
          resolve: viteResolve(config, environment),
          defines: viteDefines(config, environment),
          globals: injectOptionGlobals(viteInject(config, environment)),
          undeclaredGlobals: autoImportUndeclared(pluginNames(config.plugins)),
          entries: viteEntries(config, environment),
        })
        // The environment `vite build` builds (an app build builds the others after it), or the client of a dev server.
        prewarm(config.command === 'build' && config.build.ssr ? 'ssr' : 'client')
      },
      // Vite drops emitted assets of SSR builds (`build.ssrEmitAssets`): write beside the output.
      writeBundle(outputOptions, bundle) {
        const dir = outputDir(outputOptions)
        const { besideOutput } = manifests
        if (options.manifest === true) return manifests.writeOutsideOutput(dir)
        if (!besideOutput || besideOutput in bundle) return
        const json = manifests.json()
        if (json && dir) writeManifestFile(dir, besideOutput, json)
      },
      // Also without HMR (`server.hmr: false`, SSR servers in middleware mode), where Vite calls no
      // `hotUpdate`: the modules whose cached functions reach the file are rewritten at their next load.
      // Vite calls it once (in the client environment): every environment's modules are invalidated.
      async watchChange(id) {
        await invalidate(id)
        for (const env of Object.values(devEnvironments ?? {})) {
          const graph = env.moduleGraph
          if (graph) for (const mod of dependentModules(graph, id)) graph.invalidateModule(mod, new Set(), Date.now(), true)
        }
      },
      configureServer(server) {
        devEnvironments = server.environments as unknown as Record<string, { moduleGraph?: ModuleGraphLike }>
      },
      async hotUpdate({ file, modules, timestamp }) {
        await invalidate(file)
        const graph = this.environment.moduleGraph
        const extra = dependentModules(graph, file).filter(mod => !modules.includes(mod))
        if (extra.length === 0) return
        for (const mod of extra) graph.invalidateModule(mod, new Set(), timestamp, true)
        return [...modules, ...extra]
      },
    },
    webpack(compiler) {
      root ??= compiler.options.context
      platform ??= webpackPlatform(compiler.options.target)
      // Read when the build starts: webpack applies its defaults after the plugins.
      bundlerOptions ??= () => webpackBundlerOptions(compiler)
    },
    rspack(compiler) {
      root ??= compiler.options.context
      platform ??= webpackPlatform(compiler.options.target)
      bundlerOptions ??= () => webpackBundlerOptions(compiler as unknown as { options: WebpackLikeOptions; hooks: unknown })
    },
    esbuild: {
      config(esbuildOptions) {
        root ??= esbuildOptions.absWorkingDir
        bundlerOptions ??= () => {
          const injected = esbuildInjectGlobals(esbuildOptions, process.cwd())
          return {
            resolve: esbuildResolve(esbuildOptions, process.cwd()),
            defines: { ...esbuildOptions.define },
            globals: injected.globals,
            undeclaredGlobals: injected.undeclared ?? autoImportUndeclared(pluginNames(esbuildOptions.plugins)),
            entries: esbuildEntries(esbuildOptions.entryPoints, esbuildOptions.absWorkingDir ?? process.cwd()),
          }
        }
        // esbuild's default platform is the browser
        platform ??= esbuildOptions.platform === 'node' ? 'node' : esbuildOptions.platform === 'neutral' ? undefined : 'browser'
      },
    },
  } satisfies UnpluginOptions
  return laterHook ? [main, components] : main
}

export const unplugin: UnpluginInstance<Options | undefined, boolean> = /* #__PURE__ */ createUnplugin(unpluginFactory)

export default unplugin
