import { decodeSource } from '../store/files.ts'
import { LineIndex } from './lines.ts'
import { analyzeProgram } from './module.ts'
import { parseProgram } from './oxc-adapter.ts'
import type { AnalyzeResult } from './analysis-types.ts'

/** `sourceType` by extension: `.cjs`/`.cts` are CommonJS, `.js`/`.jsx` may be either. */
function sourceTypeOf(filename: string): 'module' | 'commonjs' | 'unambiguous' {
  if (/\.c[jt]s$/.test(filename)) return 'commonjs'
  if (/\.m[jt]s$|\.tsx?$/.test(filename)) return 'module'
  return 'unambiguous'
}

/** ESM when the module has import or export declarations (`import.meta` alone is not checked). */
function hasModuleSyntax(program: any): boolean {
  return program.body.some((s: any) => /^(?:Import|Export\w+)Declaration$/.test(s.type))
}

/**
 * Parses and analyzes one file. `filename` only picks the language (its extension); it never
 * enters the result.
 */
export function analyzeSource(filename: string, bytes: Uint8Array): AnalyzeResult {
  const decoded = decodeSource(bytes)
  if ('error' in decoded) return { ok: false, error: { kind: decoded.error, message: decoded.message, line: 0, column: 0, codeframe: '' } }
  const source = decoded.text
  const { program, errors } = parseProgram(filename, source, sourceTypeOf(filename))
  const lines = new LineIndex(source)
  const error = errors.find(e => e.severity === 'Error')
  if (error) {
    const at = error.labels[0]?.start ?? 0
    const { line, column } = lines.position(at)
    return { ok: false, error: { kind: 'syntax', message: error.message, line, column, codeframe: error.codeframe ?? '' } }
  }
  return { ok: true, analysis: analyzeProgram(program(), lines, hasModuleSyntax(program()), source) }
}
