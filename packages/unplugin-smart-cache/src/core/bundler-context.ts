// What the plugin reads of the bundler it runs in, beside its config: where the output runs
// (browser or Node), the Vite environment a hook runs for, webpack's and Rspack's options as the
// engine needs them, and the build's mode (one-off or watched, cached modules).
import process from 'node:process'
import type { ResolveOptions } from '@smart-cache/fingerprint'
import type { BundlerOptions } from './engine.js'
import { autoImportUndeclared, tappedNames } from './auto-imports.js'
import { webpackDefines } from './bundler-defines.js'
import { webpackEntries } from './bundler-entries.js'
import { webpackResolve, type WebpackResolveConfig } from './bundler-resolve.js'
import { providedGlobals } from './provide-plugin.js'

/** Where a build's output runs: `browser` builds get an error for each synchronous cached function (the browser's store, IndexedDB, is asynchronous only). */
export type Platform = 'node' | 'browser'

/** Vite: the module is built for the client (browser) or the server, from the environment (or the `ssr` flag). */
export function viteConsumer(context: unknown, options: unknown): Platform | undefined {
  const consumer = (context as { environment?: { config?: { consumer?: string } } }).environment?.config?.consumer
  if (consumer) return consumer === 'client' ? 'browser' : 'node'
  const ssr = (options as { ssr?: boolean } | undefined)?.ssr
  return ssr === undefined ? undefined : ssr ? 'node' : 'browser'
}

/** Vite: the environment a hook runs for (`this.environment`, Vite 6+), else `ssr` or `client` from the hook's `ssr` flag. */
export function viteEnvironmentName(context: unknown, options: unknown): string {
  const name = (context as { environment?: { name?: string } }).environment?.name
  if (name) return name
  return (options as { ssr?: boolean } | undefined)?.ssr ? 'ssr' : 'client'
}

/** webpack and Rspack `target`: `web`, `webworker` and `browserslist` are browsers; `node…`, `electron-main` are not. */
export function webpackPlatform(target: unknown): Platform | undefined {
  const targets = (Array.isArray(target) ? target : [target]).filter((t): t is string => typeof t === 'string')
  if (targets.length === 0 || targets.some(t => /^(?:node|async-node|electron-main|electron-preload|nwjs)/.test(t)))
    return targets.length === 0 ? 'browser' : 'node'
  return targets.some(t => /^(?:web|webworker|browserslist|electron-renderer|es\d)/.test(t)) ? 'browser' : undefined
}

/** What the plugin reads of a webpack or Rspack compiler's options. */
export interface WebpackLikeOptions {
  plugins?: unknown[]
  optimization?: { nodeEnv?: string | false }
  context?: string
  mode?: string
  target?: unknown
  resolve?: WebpackResolveConfig
  entry?: unknown
}

/** Vite 8: the environment's `build.rolldownOptions.transform.inject` (Rolldown's), if any. */
export function viteInject(config: { build?: unknown; environments?: Record<string, { build?: unknown }> }, environment: string) {
  type Build = { rolldownOptions?: { transform?: { inject?: Record<string, unknown> } } } | undefined
  const build = (config.environments?.[environment]?.build ?? config.build) as Build
  return build?.rolldownOptions?.transform?.inject
}

/** webpack and Rspack: resolution, defines, what `ProvidePlugin` and an auto-import plugin turn into imports. */
export function webpackBundlerOptions(compiler: { options: WebpackLikeOptions; hooks?: unknown }): BundlerOptions {
  return {
    resolve: webpackCompilerResolve(compiler.options),
    defines: webpackDefines(compiler.options),
    globals: providedGlobals(compiler.options.plugins),
    undeclaredGlobals: autoImportUndeclared(tappedNames(compiler.hooks)),
    entries: webpackEntries(compiler.options.entry, compiler.options.context ?? process.cwd(), compiler.options.resolve?.extensions),
  }
}

/** webpack's and Rspack's resolution, with the target's and mode's defaults. */
function webpackCompilerResolve(options: WebpackLikeOptions): ResolveOptions {
  const browser = webpackPlatform(options.target) === 'browser'
  return webpackResolve(options.resolve, { browser, mode: options.mode, bundler: 'webpack' }, options.context ?? process.cwd())
}

/** A one-off Rollup/Vite/Rolldown build (not watch mode): nothing is watched, the engine can close. */
export function isOneOffBuild(context: unknown): boolean {
  return (context as { meta?: { watchMode?: boolean } }).meta?.watchMode === false
}

/**
 * webpack and Rspack keep a module's build between runs (`cache: { type: 'filesystem' }`) while
 * the files it depends on are unchanged, but a fingerprint also depends on the versions of the
 * packages reached and on how imports resolve: a marked module is rebuilt every time (from the
 * build cache when nothing changed), or a package update would keep its old fingerprint.
 */
export function rebuildEveryTime(ctx: { getNativeBuildContext?: () => unknown }): void {
  const native = ctx.getNativeBuildContext?.() as
    | { framework?: string; loaderContext?: { cacheable?: (flag: boolean) => void } }
    | undefined
  if (native?.framework === 'webpack' || native?.framework === 'rspack') native.loaderContext?.cacheable?.(false)
}
