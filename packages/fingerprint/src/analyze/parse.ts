import { parseSync, rawTransferSupported } from 'oxc-parser'
import { decodeSource } from '../files.ts'
import { LineIndex } from './lines.ts'
import { analyzeProgram } from './module.ts'
import type { AnalyzeResult } from './types.ts'

const raw = rawTransferSupported()

/** `sourceType` by extension: `.cjs`/`.cts` are CommonJS, `.js`/`.jsx` may be either. */
function sourceTypeOf(filename: string): 'module' | 'commonjs' | 'unambiguous' {
  if (/\.c[jt]s$/.test(filename)) return 'commonjs'
  if (/\.m[jt]s$|\.tsx?$/.test(filename)) return 'module'
  return 'unambiguous'
}

/**
 * Parses and analyzes one file. `filename` only picks the language (its extension); it never
 * enters the result. Uses oxc-parser's raw transfer where the platform supports it.
 */
export function analyzeSource(filename: string, bytes: Uint8Array): AnalyzeResult {
  const decoded = decodeSource(bytes)
  if ('error' in decoded) return { ok: false, error: { kind: decoded.error, message: decoded.message, line: 0, column: 0, codeframe: '' } }
  const source = decoded.text
  const result = parseSync(filename, source, {
    sourceType: sourceTypeOf(filename),
    preserveParens: false,
    ...(raw ? { experimentalRawTransfer: true } : {}),
  } as Parameters<typeof parseSync>[2])
  const lines = new LineIndex(source)
  const error = result.errors.find(e => e.severity === 'Error')
  if (error) {
    const at = error.labels[0]?.start ?? 0
    const { line, column } = lines.position(at)
    return { ok: false, error: { kind: 'syntax', message: error.message, line, column, codeframe: error.codeframe ?? '' } }
  }
  const esm = result.module.hasModuleSyntax
  return { ok: true, analysis: analyzeProgram(result.program, lines, esm) }
}
