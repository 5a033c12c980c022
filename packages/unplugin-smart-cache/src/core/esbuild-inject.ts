import type { GlobalImport } from '@smart-cache/fingerprint'
import { readFileSync, statSync } from 'node:fs'
import { basename, isAbsolute, join, resolve } from 'node:path'
import { parseSync } from 'oxc-parser'
import { langOf } from './parse.js'

/** What the plugin reads of esbuild's build options. */
export interface EsbuildInjectConfig {
  absWorkingDir?: string
  inject?: string[]
  resolveExtensions?: string[]
}

/** The globals an esbuild build turns into imports, and why others may exist (see the engine's `undeclaredGlobals`). */
export interface InjectedGlobals {
  globals: Record<string, GlobalImport>
  undeclared?: string
}

/**
 * esbuild's `inject`: every export of an inject file replaces the free global of that name
 * (`export { cwd as 'process.cwd' }` replaces `process.cwd`), as an import of it. The exports are
 * read with oxc-parser; an inject file whose exports cannot be listed (a package, `export *`, a
 * syntax error) may replace any global name the engine does not know: `undeclared` then says which.
 */
export function esbuildInjectGlobals(options: EsbuildInjectConfig, cwd: string): InjectedGlobals {
  const dir = options.absWorkingDir ?? cwd
  const globals: Record<string, GlobalImport> = Object.create(null)
  const unlisted: string[] = []
  for (const request of options.inject ?? []) {
    const file = request.startsWith('.') || isAbsolute(request) ? injectFile(resolve(dir, request), options.resolveExtensions) : undefined
    const names = file && exportNames(file)
    if (!file || !names) {
      unlisted.push(`'${request}'`)
      continue
    }
    for (const name of names) globals[name] ??= { from: file, specifier: `./${basename(file)}`, name }
  }
  if (unlisted.length === 0) return { globals }
  const files = unlisted.join(', ')
  return {
    globals,
    undeclared:
      `esbuild may turn into an import of its \`inject\` file ${files}, whose exports smart-cache cannot list (a package, ` +
      `\`export *\` or a syntax error): inject a file of the project that exports each name it provides by name`,
  }
}

/** The file an inject path names, as esbuild finds it: as written, or with one of the extensions, or its folder's index. */
function injectFile(path: string, extensions = ['.tsx', '.ts', '.jsx', '.js', '.css', '.json']): string | undefined {
  const candidates = [path, ...extensions.map(e => path + e), ...extensions.map(e => join(path, `index${e}`))]
  return candidates.find(c => statSync(c, { throwIfNoEntry: false })?.isFile())
}

/** The names a module exports (`default` is not a global name); undefined when they cannot all be known. */
function exportNames(file: string): string[] | undefined {
  let result
  try {
    result = parseSync(file, readFileSync(file, 'utf8'), { lang: langOf(file), sourceType: 'module' })
  } catch {
    return undefined
  }
  if (result.errors.some(e => e.severity === 'Error')) return undefined
  const names: string[] = []
  for (const entry of result.module.staticExports.flatMap(e => e.entries)) {
    if (entry.isType) continue
    if (entry.exportName.kind === 'None') return undefined // `export * from`: its names are another module's
    if (entry.exportName.kind === 'Name' && entry.exportName.name) names.push(entry.exportName.name)
  }
  return names
}
