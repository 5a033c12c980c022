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
