import type { GlobalImport } from '@smart-cache/fingerprint'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The declaration files auto-import plugins generate, relative to the root: unplugin-auto-import
 * (`dts`, at the root or in `src/`) and Nuxt's imports. Each lists, in `declare global`, the
 * globals the plugin turns into imports: `const ref: typeof import('vue')['ref']`.
 */
const DECLARATION_FILES = ['auto-imports.d.ts', 'src/auto-imports.d.ts', '.nuxt/types/imports.d.ts']

const GLOBAL_IMPORT = /\bconst\s+([A-Za-z_$][\w$]*)\s*:\s*typeof\s+import\(\s*(['"])([^'"]+)\2\s*\)(?:\[\s*(['"])([^'"]+)\4\s*\])?/g

/**
 * The globals an auto-import plugin turns into imports, read from the declarations it generated
 * (the last build's: a name first used in this build is known from the next one). Without them
 * the engine sees a global name, and an edit of the helper behind it would not be seen.
 */
export function autoImportGlobals(root: string): Record<string, GlobalImport> {
  const globals: Record<string, GlobalImport> = Object.create(null)
  for (const rel of DECLARATION_FILES) {
    const from = join(root, rel)
    let text: string
    try {
      text = readFileSync(from, 'utf8')
    } catch {
      continue
    }
    for (const m of text.matchAll(GLOBAL_IMPORT)) {
      const specifier = m[3]!
      // A relative specifier resolves from the declaration's folder, as TypeScript reads it.
      globals[m[1]!] ??= { from, specifier, name: m[5] ?? '*' }
    }
  }
  return globals
}

/** Auto-import plugins, by the name they give the bundler: unplugin-auto-import, unimport, Nuxt's imports (and `inject`: @rollup/plugin-inject). */
const AUTO_IMPORT_PLUGINS = new Set(['unplugin-auto-import', 'unimport', 'nuxt:imports-transform'])

/**
 * The engine's `undeclaredGlobals` when the build has an auto-import plugin (given the names of
 * its plugins): without its declarations (`dts: false`, a first build, a `dts` path elsewhere,
 * a name first used in this build), a global name it turns into an import is not known, and a
 * function reading one must not get a fingerprint.
 */
export function autoImportUndeclared(pluginNames: Iterable<unknown>): string | undefined {
  for (const name of pluginNames) {
    // @rollup/plugin-inject keeps its map to itself: Rolldown's and Vite's `transform.inject` is read.
    if (name === 'inject')
      return (
        `@rollup/plugin-inject may turn into an import that smart-cache cannot read: give the map to Rolldown's \`transform.inject\` ` +
        `option instead (smart-cache follows it), or import the name`
      )
    if (typeof name === 'string' && AUTO_IMPORT_PLUGINS.has(name))
      return (
        `the auto-import plugin '${name}' may turn into an import it has not declared: enable its \`dts\` option ` +
        `(at auto-imports.d.ts or src/auto-imports.d.ts: smart-cache follows the imports declared there from the next build on), or import the name`
      )
  }
  return undefined
}

/** The names of a list of plugins (Vite, Rollup, Rolldown, esbuild: nested arrays and falsy entries allowed). */
export function pluginNames(plugins: unknown): string[] {
  if (Array.isArray(plugins)) return plugins.flatMap(pluginNames)
  const name = (plugins as { name?: unknown } | null | undefined)?.name
  return typeof name === 'string' ? [name] : []
}

/** The names that tapped a webpack or Rspack compiler's hooks (unplugin's webpack plugins have no name of their own, their taps do). */
export function tappedNames(hooks: unknown): string[] {
  const names: string[] = []
  for (const hook of Object.values((hooks ?? {}) as Record<string, { taps?: Array<{ name?: unknown }> }>))
    for (const tap of hook?.taps ?? []) if (typeof tap.name === 'string') names.push(tap.name)
  return names
}

/** Globals of two sources by name; a name in both stands for both (a unit reading it depends on each). */
export function mergeGlobals(
  a: Readonly<Record<string, GlobalImport | readonly GlobalImport[]>>,
  b: Readonly<Record<string, GlobalImport | readonly GlobalImport[]>> = {},
): Record<string, GlobalImport | readonly GlobalImport[]> {
  const out: Record<string, GlobalImport | readonly GlobalImport[]> = Object.assign(Object.create(null), a)
  for (const [name, entry] of Object.entries(b)) {
    const before = out[name]
    out[name] = before === undefined ? entry : [...toList(before), ...toList(entry)]
  }
  return out
}

function toList(entry: GlobalImport | readonly GlobalImport[]): readonly GlobalImport[] {
  return Array.isArray(entry) ? entry : [entry as GlobalImport]
}
