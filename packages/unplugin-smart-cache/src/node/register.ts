import type { LoaderData } from './session.js'
import { existsSync } from 'node:fs'
import * as nodeModule from 'node:module'
import { dirname, join, resolve } from 'node:path'
import process from 'node:process'
import { buildCacheFile } from '../core/build-cache.js'
import { nodeResolve } from '../core/bundler-resolve.js'
import { entryFile } from '../core/bundler-entries.js'
import { hookCommonJs } from './cjs.js'
import { LOADER_THREAD_ENV } from './scope.js'
import { registerSyncHooks } from './sync-hooks.js'
import { SyncTransformer } from './sync-transformer.js'
import { warmRewrites } from './warm.js'

export interface RegisterOptions {
  /**
   * Project root: cached functions' ids (`src/file.ts#name`) are relative to it, as in the plugin
   * and the CLI. Relative values resolve from `process.cwd()`.
   * @default the nearest folder with a package.json, from `process.cwd()` up
   */
  root?: string
  /**
   * Directory of the engine's and the rewrites' on-disk caches (shared with the bundler plugin),
   * `false` for memory only.
   * @default '<root>/node_modules/.cache/smart-cache/engine'
   */
  cacheDir?: string | false
  /**
   * Purity diagnostics: `'warn'` prints each finding once per process, `'error'` fails the
   * import of the module, `'off'` skips the analysis.
   * @default 'warn'
   */
  diagnostics?: 'warn' | 'error' | 'off'
}

/** The nearest folder with a package.json, from `cwd` up (the CLI's default root). */
export function findRoot(cwd: string = process.cwd()): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) return resolve(cwd)
  }
}

const LEVELS = ['warn', 'error', 'off']
const REGISTERED = Symbol.for('smart-cache.loader')

function check(options: RegisterOptions): void {
  const fail = (name: string, expected: string): never => {
    throw new TypeError(
      `[smart-cache] register(): invalid option \`${name}\`: expected ${expected}, got ${JSON.stringify((options as any)[name])}. Fix the options passed to register().`,
    )
  }
  if (options.root !== undefined && (typeof options.root !== 'string' || options.root === '')) fail('root', 'a non-empty path')
  if (options.cacheDir !== undefined && options.cacheDir !== false && (typeof options.cacheDir !== 'string' || options.cacheDir === ''))
    fail('cacheDir', 'false or a directory path')
  if (options.diagnostics !== undefined && !LEVELS.includes(options.diagnostics))
    fail('diagnostics', `one of ${LEVELS.map(l => `'${l}'`).join(', ')}`)
}

/**
 * Installs the loader: ES modules Node loads from then on (`module.registerHooks` where Node has
 * it, else `module.register`) and CommonJS modules `require()` compiles have their cached
 * functions fingerprinted by the same engine and transform as the bundler plugin. Resolves once a
 * warm start's rewrites are checked (before the program's first module loads).
 */
export async function register(options: RegisterOptions = {}): Promise<void> {
  check(options)
  // Twice (`--import` and NODE_OPTIONS both, say) would rewrite modules twice: the first one wins.
  const g = globalThis as Record<symbol, unknown>
  if (g[REGISTERED]) return
  g[REGISTERED] = true
  if (typeof nodeModule.register !== 'function' && typeof (nodeModule as { registerHooks?: unknown }).registerHooks !== 'function')
    throw new Error(
      `[smart-cache] the Node loader needs module.register (Node >= 20.6); this is Node ${process.version}. Fix: upgrade Node, or build with a bundler plugin (unplugin-smart-cache/vite, /esbuild…).`,
    )
  const root = options.root === undefined ? findRoot() : resolve(options.root)
  const cacheDir = options.cacheDir === undefined || options.cacheDir === false ? options.cacheDir : resolve(options.cacheDir)
  const cacheFile = buildCacheFile(root, cacheDir)
  const data: LoaderData = {
    root,
    cacheDir,
    diagnostics: options.diagnostics,
    warmStart: cacheFile !== false && existsSync(cacheFile),
    resolve: nodeResolve(process.execArgv, process.env.NODE_OPTIONS, process.features.require_module === true),
    entries: mainScript(process.argv[1]),
  }
  data.warm = await warmRewrites(data)
  const transformer = new SyncTransformer(data, { [LOADER_THREAD_ENV]: '1' })
  hookCommonJs(data.root, transformer)
  if (registerSyncHooks(data.root, transformer)) transformer.prewarm()
  else nodeModule.register('./hooks.mjs', { parentURL: import.meta.url, data })
}

/** The script `node` runs (`node --import unplugin-smart-cache/node main.ts`); none for `-e`, `-p` or the REPL. */
function mainScript(arg: string | undefined): string[] {
  const file = arg === undefined ? undefined : entryFile(arg, process.cwd())
  return file ? [file] : []
}
