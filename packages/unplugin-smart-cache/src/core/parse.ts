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
/** The language a framework gives a block of a component in its id: `?vue&type=script&lang.ts`, `lang=tsx`. */
const QUERY_LANG_RE = /[?&]lang[.=]([cm]?[jt]sx?)(?:$|&)/

/**
 * Language oxc should parse module `id` as: from its file's extension, else (a component's block)
 * from the `lang` of its query, else JavaScript.
 */
export function langOf(id: string): 'js' | 'jsx' | 'ts' | 'tsx' {
  const ext = LANG_RE.exec(fileOfId(id))?.[1] ?? QUERY_LANG_RE.exec(id)?.[1] ?? 'js'
  if (ext.endsWith('tsx')) return 'tsx'
  if (ext.endsWith('ts')) return 'ts'
  return ext.endsWith('jsx') ? 'jsx' : 'js'
}

/**
 * Parses a module. Returns `null` on a syntax error: the bundler reports those itself,
 * with its own code frame, so the plugin stays out of the way.
 */
export function parseModule(file: string, code: string, lang = langOf(file)): Parsed | null {
  let result
  try {
    result = parseSync(file, code, { lang, sourceType: 'module', preserveParens: false })
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
