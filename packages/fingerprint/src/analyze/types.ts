/**
 * What a binding's code points at, before resolution:
 * - `['n', name]`: a module-level binding of the same file
 * - `['x', specifier, importedName, line, column, member?]`: an export of another module
 *   (`'*'` = its whole namespace, `'default'` = its default export). `member` is set for
 *   `imported.member`: if the import turns out to be a namespace (`export * as ns`), the slot
 *   narrows to that one export (the member name is in the code text either way).
 */
export type Ref = ['n', string] | ['x', string, string, number, number] | ['x', string, string, number, number, string]

/** One module-level name: its own hash (code with references as numbered slots) and its slots. */
export interface NameInfo {
  own: string
  slots: Ref[]
  line: number
}

/** A value import: `[specifier, importedName, line, column]`. */
export type ImportInfo = [string, string, number, number]

/** An export: a local name, or a re-export `[specifier, importedName]` (`'*'` for `export * as ns`). */
export type ExportInfo = ['local', string] | ['re', string, string, number, number]

export interface AnalysisWarning {
  message: string
  line: number
  column: number
}

/** The per-file result cached on disk; it holds no path, so it is valid wherever the content is. */
export interface FileAnalysis {
  esm: boolean
  imports: Record<string, ImportInfo>
  exports: Record<string, ExportInfo>
  stars: Array<[string, number, number]>
  names: Record<string, NameInfo>
  /** Top-level statements that are not declarations, in source order, as one unit. */
  effects: NameInfo
  warnings: AnalysisWarning[]
}

/** Internal name of an anonymous `export default`. */
export const DEFAULT_LOCAL = '*default*'

export interface SyntaxErrorInfo {
  /** `syntax`: the parser's error; `binary` / `encoding`: not UTF-8 source text; `read`: the file could not be read. */
  kind: 'syntax' | 'binary' | 'encoding' | 'read'
  message: string
  line: number
  column: number
  codeframe: string
}

export type AnalyzeResult = { ok: true, analysis: FileAnalysis } | { ok: false, error: SyntaxErrorInfo }
