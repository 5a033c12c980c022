import type { AliasEntry, ResolveOptions } from '@smart-cache/fingerprint'
import { isAbsolute, resolve } from 'node:path'

/**
 * How each bundler resolves imports, as the engine's `resolve` option: the engine must read the
 * files the bundle holds (an alias it cannot follow, or export conditions other than the bundle's,
 * would let an edit keep an old fingerprint). Rollup has no such options of its own
 * (`@rollup/plugin-alias` keeps its entries): the engine resolves as Node and TypeScript do, and a
 * function reaching an import it cannot resolve runs uncached.
 */

/** Export conditions and main fields of a Vite environment (or of Vite 5's `resolve` and `ssr.resolve`). */
interface ViteEnvironmentResolve {
  conditions?: readonly string[]
  mainFields?: readonly string[]
}

/** What the plugin reads of a resolved Vite config. */
export interface ViteResolveConfig {
  isProduction?: boolean
  resolve?: ViteEnvironmentResolve & {
    extensions?: readonly string[]
    alias?: ReadonlyArray<{ find: string | RegExp; replacement: string; customResolver?: unknown }>
  }
  ssr?: { resolve?: ViteEnvironmentResolve }
  environments?: Record<string, { resolve?: ViteEnvironmentResolve }>
}

/**
 * Vite: its aliases (one with a custom resolver cannot be followed), and the conditions and main
 * fields of the environment (client, ssr…): the plugin starts one engine per environment it
 * rewrites modules for, as they may resolve the same import to different files.
 */
export function viteResolve(config: ViteResolveConfig, environment: string): ResolveOptions {
  const mode = config.isProduction ? 'production' : 'development'
  const env = config.environments?.[environment]?.resolve ?? (environment === 'ssr' ? config.ssr?.resolve : config.resolve) ?? {}
  const alias = (config.resolve?.alias ?? []).map((a): AliasEntry => ({
    find: a.find,
    replacement: a.customResolver ? null : a.replacement,
  }))
  const conditions = (env.conditions ?? []).map(c => (c === 'development|production' ? mode : c))
  const extensions = config.resolve?.extensions
  return {
    alias,
    environments: [{ conditions, mainFields: withMain(env.mainFields ?? ['module']) }],
    ...(extensions ? { extensions: [...extensions] } : {}),
  }
}

/** What the plugin reads of esbuild's build options. */
export interface EsbuildResolveConfig {
  absWorkingDir?: string
  platform?: string
  alias?: Record<string, string>
  conditions?: string[]
  mainFields?: string[]
  resolveExtensions?: string[]
}

/**
 * esbuild: `alias` (package names; a relative replacement resolves from the working directory),
 * `conditions` (`module` unless set) with the platform's, `mainFields` or the platform's default.
 */
export function esbuildResolve(options: EsbuildResolveConfig, cwd: string): ResolveOptions {
  const dir = options.absWorkingDir ?? cwd
  const platform = options.platform ?? 'browser'
  const alias = Object.entries(options.alias ?? {}).map(([find, to]): AliasEntry => ({
    find,
    replacement: to.startsWith('.') ? resolve(dir, to) : to,
  }))
  const conditions = [...(options.conditions ?? ['module']), ...(platform === 'neutral' ? [] : [platform])]
  const mainFields =
    options.mainFields ?? (platform === 'browser' ? ['browser', 'module', 'main'] : platform === 'node' ? ['main', 'module'] : [])
  // esbuild's default order: TypeScript first.
  const extensions = options.resolveExtensions ?? ['.tsx', '.ts', '.jsx', '.js', '.css', '.json']
  return { alias, environments: [{ conditions, mainFields }], extensions }
}

/** What the plugin reads of webpack's and Rspack's `resolve` option (and Rolldown's, which has the same shape). */
export interface WebpackResolveConfig {
  alias?: Record<string, string | false | string[]> | Array<{ name: string; alias: string | false | string[]; onlyModule?: boolean }>
  conditionNames?: string[]
  mainFields?: Array<string | string[]>
  extensions?: string[]
  extensionAlias?: Record<string, string | string[]>
}

/**
 * webpack and Rspack (`resolve`, with webpack's defaults for the target and mode when unset), and
 * Rolldown (`resolve`, `platform`): `alias` (`name$` exact; `false` or several alternatives cannot
 * be followed), `conditionNames`, `mainFields`, `extensionAlias`.
 */
export function webpackResolve(
  config: WebpackResolveConfig | undefined,
  { browser, mode, bundler }: { browser: boolean; mode?: string; bundler: 'webpack' | 'rolldown' },
  context: string,
): ResolveOptions {
  const defaults =
    bundler === 'webpack'
      ? ['webpack', mode === 'development' ? 'development' : 'production', browser ? 'browser' : 'node', 'module']
      : [browser ? 'browser' : 'node', 'module']
  const mainFields = (config?.mainFields ?? (browser ? ['browser', 'module', 'main'] : ['module', 'main'])).flat()
  const extensionAlias = config?.extensionAlias
    ? Object.fromEntries(Object.entries(config.extensionAlias).map(([k, v]) => [k, typeof v === 'string' ? [v] : v]))
    : undefined
  const conditions = [...(config?.conditionNames ?? defaults)]
  // webpack adds `module` to the conditions of ES module imports (`resolve.byDependency.esm`).
  if (bundler === 'webpack' && !conditions.includes('module')) conditions.push('module')
  return {
    alias: webpackAlias(config?.alias, context),
    environments: [{ conditions, mainFields }],
    ...(extensionAlias ? { extensionAlias } : {}),
    ...(config?.extensions ? { extensions: config.extensions.filter(e => e !== '...') } : {}),
  }
}

function webpackAlias(alias: WebpackResolveConfig['alias'], context: string): AliasEntry[] {
  const list = Array.isArray(alias) ? alias.map(a => [a.onlyModule ? `${a.name}$` : a.name, a.alias] as const) : Object.entries(alias ?? {})
  return list.map(([name, to]): AliasEntry => {
    const target = Array.isArray(to) ? (to.length === 1 ? to[0]! : false) : to
    const replacement = target === false ? null : target.startsWith('.') && !isAbsolute(target) ? resolve(context, target) : target
    return name.endsWith('$') ? { find: new RegExp(`^${escapeRegExp(name.slice(0, -1))}$`), replacement } : { find: name, replacement }
  })
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Vite, like Node, falls back to `main` after the fields it is given. */
function withMain(fields: readonly string[]): string[] {
  return fields.includes('main') ? [...fields] : [...fields, 'main']
}

/**
 * Node itself (the loader, `node --import smart-cache/register`): the `node` condition, those
 * given with `--conditions`/`-C` (on the command line or in NODE_OPTIONS), `module-sync` where
 * Node loads ES modules with `require()`, and only `main` of a package.json without `exports`.
 */
export function nodeResolve(execArgv: readonly string[], nodeOptions: string | undefined, requireModule: boolean): ResolveOptions {
  const args = [...execArgv, ...(nodeOptions?.split(/\s+/).filter(Boolean) ?? [])]
  const conditions = ['node', ...(requireModule ? ['module-sync'] : [])]
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    const inline = /^(?:--conditions|-C)=(.+)$/.exec(arg)
    if (inline) conditions.push(inline[1]!)
    else if ((arg === '--conditions' || arg === '-C') && args[i + 1]) conditions.push(args[++i]!)
  }
  return { environments: [{ conditions, mainFields: ['main'] }] }
}
