import type { FilterPattern } from 'unplugin'
import type { EngineOverride } from './engine.js'
import { existsSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { didYouMean } from './did-you-mean.js'

/** How impurity findings are reported. */
export type DiagnosticsLevel = 'warn' | 'error' | 'off'

export interface DiagnosticsOptions {
  /**
   * `'warn'` reports a build warning, `'error'` fails the build, `'off'` skips the analysis.
   * @default 'warn'
   */
  level?: DiagnosticsLevel
  /**
   * Ids (`src/file.ts#binding`, `*` matches any run of characters) of cached functions whose
   * impurity findings are silenced. A `@smart-cache-allow-impure` comment on or inside the
   * function does the same.
   * @default []
   */
  allow?: string[]
}

export interface Options {
  /**
   * Modules the plugin looks at (picomatch globs or regular expressions on the module id).
   * Components (`.vue`, `.svelte`, `.astro`, `.mdx`) are looked at for soundness only: the engine
   * cannot fingerprint what their framework compiles them into, so their cached functions run
   * uncached, with a warning. With every bundler but esbuild, every module whose code is not its
   * file's (a component, a block of one, an inline script of a page) is, whatever `include` says.
   * @default [/\.(?:[cm]?[jt]sx?|vue|svelte|astro|mdx)(?:$|\?)/]
   */
  include?: FilterPattern
  /**
   * Modules the plugin never looks at.
   * @default [/node_modules/]
   */
  exclude?: FilterPattern
  /**
   * Project root: ids and manifest paths are relative to it. Relative values resolve from `process.cwd()`.
   * @default the bundler's root (Vite `root`, webpack `context`, esbuild `absWorkingDir`, Rolldown `cwd`), else `process.cwd()`
   */
  root?: string
  /**
   * The build manifest (ids, fingerprints, source paths and dependencies, read by the CLI).
   * `true`: written outside the deployed output, beside the engine cache, as
   * `<root>/node_modules/.cache/smart-cache/manifests/<output folder>.json`; a file name (opt-in):
   * written beside the output under that name, so it is deployed with it; `false`: none.
   * @default true
   */
  manifest?: string | boolean
  /**
   * Purity diagnostics: a level, `true` (= `'warn'`), `false` (= `'off'`), or an object.
   * @default 'warn'
   */
  diagnostics?: boolean | DiagnosticsLevel | DiagnosticsOptions
  /**
   * Directory of the engine's on-disk cache, `false` for memory only.
   * @default '<root>/node_modules/.cache/smart-cache/engine'
   */
  cacheDir?: string | false
}

/**
 * The key of the engine override in an options object: a symbol private to this module, set only
 * through `withEngine`. The override is thus not part of the public `Options`, no user can set it
 * by accident, and `Object.keys` (the unknown-option check) never sees it.
 * @internal
 */
const ENGINE_OVERRIDE: unique symbol = Symbol('smart-cache.engineOverride')

/** `Options` with the engine override. @internal */
interface InternalOptions extends Options {
  [ENGINE_OVERRIDE]?: EngineOverride
}

/**
 * `options` with `engine` in place of `@smart-cache/fingerprint`: the plugin's tests run it
 * against a fake engine this way. Not exported by any entry of the package: not public API.
 * @internal
 */
export function withEngine(options: Options, engine: EngineOverride): Options {
  const withOverride: InternalOptions = { ...options, [ENGINE_OVERRIDE]: engine }
  return withOverride
}

export interface ResolvedOptions {
  include: FilterPattern
  exclude: FilterPattern
  root: string | undefined
  manifest: string | boolean
  diagnostics: { level: DiagnosticsLevel; allow: RegExp[] }
  cacheDir: string | false | undefined
  /** The engine override set by `withEngine` (tests), else undefined: the real engine. */
  engine: EngineOverride | undefined
}

const KNOWN = ['include', 'exclude', 'root', 'manifest', 'diagnostics', 'cacheDir']
const LEVELS: DiagnosticsLevel[] = ['warn', 'error', 'off']

function fail(path: string, got: unknown, expected: string): never {
  throw new TypeError(
    `[smart-cache] invalid option \`${path}\`: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}. Fix the options passed to the smart-cache plugin.`,
  )
}

/** An option the plugin does not have: its name, the closest known one, all known ones. */
function unknown(path: string, known: string[]): never {
  const name = path.split('.').pop()!
  throw new TypeError(
    `[smart-cache] unknown option \`${path}\`.${didYouMean(name, known)} Known options: ${known.join(', ')}. Fix the options passed to the smart-cache plugin.`,
  )
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}

function isPattern(v: unknown): boolean {
  const one = (x: unknown) => typeof x === 'string' || x instanceof RegExp
  return one(v) || (Array.isArray(v) && v.every(one))
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')
  return new RegExp(`^${escaped}$`)
}

function resolveDiagnostics(d: Options['diagnostics']): ResolvedOptions['diagnostics'] {
  if (d === undefined || d === true) return { level: 'warn', allow: [] }
  if (d === false) return { level: 'off', allow: [] }
  if (typeof d === 'string') {
    if (!LEVELS.includes(d)) fail('diagnostics', d, `one of ${LEVELS.map(l => `'${l}'`).join(', ')}, a boolean or { level, allow }`)
    return { level: d, allow: [] }
  }
  if (typeof d !== 'object' || d === null || Array.isArray(d))
    fail('diagnostics', d, `'warn' | 'error' | 'off', a boolean or { level, allow }`)
  for (const key of Object.keys(d)) {
    if (key !== 'level' && key !== 'allow') unknown(`diagnostics.${key}`, ['level', 'allow'])
  }
  const level = d.level ?? 'warn'
  if (!LEVELS.includes(level)) fail('diagnostics.level', level, LEVELS.map(l => `'${l}'`).join(' | '))
  const allow = d.allow ?? []
  if (!Array.isArray(allow) || allow.some(a => typeof a !== 'string'))
    fail('diagnostics.allow', allow, "an array of ids like 'src/math.ts#fib'")
  return { level, allow: allow.map(globToRegExp) }
}

/** Validates user options; throws a `[smart-cache]` TypeError naming the bad option and the fix. */
/** Whether the purity diagnostics look at cached function `id` (not off, not allowed by id). */
export function diagnosesFunction(options: ResolvedOptions, id: string): boolean {
  const { level, allow } = options.diagnostics
  return level !== 'off' && !allow.some(re => re.test(id))
}

export function resolveOptions(raw: Options | undefined): ResolvedOptions {
  const o: Options = raw ?? {}
  if (typeof o !== 'object' || Array.isArray(o)) fail('(options)', o, 'an object')
  for (const key of Object.keys(o)) {
    if (!KNOWN.includes(key)) unknown(key, KNOWN)
  }
  if (o.include !== undefined && !isPattern(o.include)) fail('include', o.include, 'a glob, a RegExp or an array of them')
  if (o.exclude !== undefined && !isPattern(o.exclude)) fail('exclude', o.exclude, 'a glob, a RegExp or an array of them')
  if (o.root !== undefined && (typeof o.root !== 'string' || o.root === '')) fail('root', o.root, 'a non-empty path')
  if (o.root !== undefined && !isFolder(resolve(o.root)))
    fail(
      'root',
      o.root,
      `an existing folder (${resolve(o.root)} is ${existsSync(resolve(o.root)) ? 'not a folder' : 'missing'}; relative roots resolve from ${process.cwd()})`,
    )
  if (
    o.manifest !== undefined &&
    typeof o.manifest !== 'boolean' &&
    (typeof o.manifest !== 'string' || !o.manifest.endsWith('.json') || isAbsolute(o.manifest))
  )
    fail(
      'manifest',
      o.manifest,
      'true (outside the output, the default), false, or a relative file name ending in .json (written beside the output)',
    )
  if (o.cacheDir !== undefined && o.cacheDir !== false && (typeof o.cacheDir !== 'string' || o.cacheDir === ''))
    fail('cacheDir', o.cacheDir, 'false or a directory path')
  return {
    include: o.include ?? [/\.(?:[cm]?[jt]sx?|vue|svelte|astro|mdx)(?:$|\?)/],
    exclude: o.exclude ?? [/node_modules/],
    root: o.root === undefined ? undefined : resolve(o.root),
    manifest: o.manifest ?? true,
    diagnostics: resolveDiagnostics(o.diagnostics),
    cacheDir: o.cacheDir,
    engine: (o as InternalOptions)[ENGINE_OVERRIDE],
  }
}
