import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, extname, join, resolve } from 'node:path'

/**
 * The program's entry modules as each bundler names them, as absolute files: the engine's
 * `entries` option. Top-level code of everything an entry loads (`import './setup'` in main.ts)
 * runs with every cached function, so the engine counts it where it changes what one reads.
 * `undefined` where the entries cannot be known (a webpack entry function): the engine then sees
 * only what each function's own module loads. An entry that names no file here (a virtual
 * module) is left out: the others still count.
 */

/** Extensions tried for an entry named without one (`./src/main`, webpack's `./src`), TypeScript's order. */
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']

/** The file an entry specifier names from `base`: itself, with an extension, or a folder's index. */
export function entryFile(spec: string, base: string, extensions: readonly string[] = EXTENSIONS): string | undefined {
  const path = resolve(base, spec.replace(/[?#].*$/, ''))
  const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile()
  if (isFile(path)) return path
  for (const ext of extensions) if (isFile(path + ext)) return path + ext
  for (const ext of extensions) if (isFile(join(path, `index${ext}`))) return join(path, `index${ext}`)
  return undefined
}

/** The files of a list of entry specifiers (those that name no file left out), HTML pages replaced by their module scripts. */
function files(specs: readonly string[], base: string, root: string, extensions?: readonly string[]): string[] {
  const out = new Set<string>()
  for (const spec of specs) {
    const file = entryFile(spec, base, extensions)
    if (!file) continue
    if (extname(file) === '.html') for (const s of htmlScripts(file, root)) out.add(s)
    else out.add(file)
  }
  return [...out]
}

/** Rollup, Rolldown and Vite `input`: a string, a list or an object of names to files, from `base`. */
export function rollupEntries(input: unknown, base: string, root = base): string[] | undefined {
  if (typeof input === 'string') return files([input], base, root)
  if (Array.isArray(input))
    return files(
      input.filter(i => typeof i === 'string'),
      base,
      root,
    )
  if (input && typeof input === 'object')
    return files(
      Object.values(input).filter(i => typeof i === 'string'),
      base,
      root,
    )
  return undefined
}

/** What the plugin reads of a resolved Vite config. */
export interface ViteEntriesConfig {
  root: string
  command?: string
  build?: ViteBuild
  environments?: Record<string, { build?: ViteBuild }>
}

/** The part of Vite's `build` options that names entries (Vite 8: `rolldownOptions`, `rollupOptions` its old name). */
interface ViteBuild {
  ssr?: boolean | string
  rollupOptions?: { input?: unknown }
  rolldownOptions?: { input?: unknown }
}

/**
 * Vite: the environment's `build.rolldownOptions.input` (`rollupOptions` before Vite 8), or `build.ssr` when it names the SSR entry;
 * a client without input starts from `index.html`'s module scripts (in a build and on the dev
 * server). A dev server's SSR modules are loaded by the app's own server (`ssrLoadModule`): unknown.
 */
export function viteEntries(config: ViteEntriesConfig, environment: string): string[] | undefined {
  const own = config.environments?.[environment]?.build
  const client = environment === 'client'
  if (config.command !== 'build' && !client) return undefined
  const input =
    own?.rolldownOptions?.input ?? own?.rollupOptions?.input ?? config.build?.rolldownOptions?.input ?? config.build?.rollupOptions?.input
  if (input !== undefined) return rollupEntries(input, config.root)
  const ssr = own?.ssr ?? (client ? undefined : config.build?.ssr)
  if (typeof ssr === 'string') return rollupEntries(ssr, config.root)
  return client ? rollupEntries('index.html', config.root) : undefined
}

/** The module scripts of an HTML page (`<script type="module" src>`): `/x` from the root, others from the page. */
export function htmlScripts(html: string, root: string): string[] {
  let text: string
  try {
    text = readFileSync(html, 'utf8')
  } catch {
    return []
  }
  const out: string[] = []
  for (const [tag] of text.matchAll(/<script\b[^>]*>/gi)) {
    if (!/\btype\s*=\s*["']?module\b/i.test(tag)) continue
    const src = /\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag)
    const spec = src?.[1] ?? src?.[2] ?? src?.[3]
    if (!spec || /^[a-z][a-z0-9+.-]*:|^\/\//i.test(spec)) continue // a URL elsewhere
    const file = entryFile(spec.startsWith('/') ? join(root, spec) : spec, dirname(html))
    if (file) out.push(file)
  }
  return out
}

/**
 * webpack and Rspack `entry`, from `context`: a string, a list, an object of those or of
 * descriptors (`{ import }`); a function is unknown.
 */
export function webpackEntries(entry: unknown, context: string, extensions?: readonly string[]): string[] | undefined {
  if (typeof entry === 'function') return undefined
  const specs: string[] = []
  const add = (e: unknown): boolean => {
    if (typeof e === 'string') specs.push(e)
    else if (Array.isArray(e)) e.forEach(add)
    else if (e && typeof e === 'object' && 'import' in e) add((e as { import: unknown }).import)
    else return false
    return true
  }
  if (typeof entry === 'string' || Array.isArray(entry)) add(entry)
  else if (entry && typeof entry === 'object') {
    for (const e of Object.values(entry)) if (typeof e === 'function' || !add(e)) return undefined
  } else return undefined
  return files(specs, context, context, extensions)
}

/** esbuild `entryPoints`, from `absWorkingDir`: a list of paths or of `{ in, out }`, or an object of names to paths. */
export function esbuildEntries(entryPoints: unknown, base: string): string[] | undefined {
  if (Array.isArray(entryPoints))
    return files(
      entryPoints
        .map(e => (typeof e === 'string' ? e : (e as { in?: unknown } | null)?.in))
        .filter((e): e is string => typeof e === 'string'),
      base,
      base,
    )
  if (entryPoints && typeof entryPoints === 'object') return rollupEntries(entryPoints, base)
  return undefined
}
