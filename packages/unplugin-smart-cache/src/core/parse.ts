import type { AstNode } from './walk.js'
import { parseSync } from 'oxc-parser'
import { fileOfId } from './ids.js'

export interface Parsed {
  program: AstNode
  comments: { type: 'Line' | 'Block'; value: string; start: number; end: number }[]
  /** Module specifier → local names imported from it (`*` entries included under their local name). */
  imports: Map<string, { imported: string; local: string }[]>
}

const LANG_RE = /\.([cm]?[jt]sx?)$/

/** Language oxc should parse `file` as, from its extension (query strings ignored). */
export function langOf(file: string): 'js' | 'jsx' | 'ts' | 'tsx' {
  const ext = LANG_RE.exec(fileOfId(file))?.[1] ?? 'js'
  if (ext.endsWith('tsx')) return 'tsx'
  if (ext.endsWith('ts')) return 'ts'
  return ext.endsWith('jsx') ? 'jsx' : 'js'
}

/**
 * Parses a module. Returns `null` on a syntax error: the bundler reports those itself,
 * with its own code frame, so the plugin stays out of the way.
 */
export function parseModule(file: string, code: string): Parsed | null {
  let result
  try {
    result = parseSync(file, code, { lang: langOf(file), sourceType: 'module', preserveParens: false })
  } catch {
    return null
  }
  if (result.errors.some(e => e.severity === 'Error')) return null
  const imports = new Map<string, { imported: string; local: string }[]>()
  for (const imp of result.module.staticImports) {
    const list = imports.get(imp.moduleRequest.value) ?? []
    for (const entry of imp.entries) {
      if (entry.isType) continue
      const imported =
        entry.importName.kind === 'Name' ? entry.importName.name! : entry.importName.kind === 'NamespaceObject' ? '*' : 'default'
      list.push({ imported, local: entry.localName.value })
    }
    imports.set(imp.moduleRequest.value, list)
  }
  return { program: result.program as unknown as AstNode, comments: result.comments, imports }
}
