import { type OxcError, parseSync, type ParserOptions, rawTransferSupported } from 'oxc-parser'
import * as native from 'oxc-parser/src-js/bindings'
import { jsonParseAst } from 'oxc-parser/src-js/wrap'
import { decodeSource } from '../store/files.ts'
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
 * oxc-parser's `parseSync` also converts every comment and the module record into JS objects;
 * the engine reads neither, so where raw transfer is unavailable it calls the native binding and
 * the same JSON-to-AST step directly. The AST is the same.
 */
function parse(filename: string, source: string, sourceType: ParserOptions['sourceType']): { program: () => any; errors: OxcError[] } {
  const options = { sourceType, preserveParens: false } as ParserOptions
  if (raw) {
    const r = parseSync(filename, source, { ...options, experimentalRawTransfer: true } as ParserOptions)
    return { program: () => r.program, errors: r.errors }
  }
  const r = native.parseSync(filename, source, options)
  const errors = r.errors
  let ast: any
  return { program: () => (ast ??= jsonParseAst(r.program)), errors }
}

/** ESM when the module has import or export declarations (`import.meta` alone is not checked). */
function hasModuleSyntax(program: any): boolean {
  return program.body.some((s: any) => /^(?:Import|Export\w+)Declaration$/.test(s.type))
}

/**
 * Parses and analyzes one file. `filename` only picks the language (its extension); it never
 * enters the result. Uses oxc-parser's raw transfer where the platform supports it.
 */
export function analyzeSource(filename: string, bytes: Uint8Array): AnalyzeResult {
  const decoded = decodeSource(bytes)
  if ('error' in decoded) return { ok: false, error: { kind: decoded.error, message: decoded.message, line: 0, column: 0, codeframe: '' } }
  const source = decoded.text
  const { program, errors } = parse(filename, source, sourceTypeOf(filename))
  const lines = new LineIndex(source)
  const error = errors.find(e => e.severity === 'Error')
  if (error) {
    const at = error.labels[0]?.start ?? 0
    const { line, column } = lines.position(at)
    return { ok: false, error: { kind: 'syntax', message: error.message, line, column, codeframe: error.codeframe ?? '' } }
  }
  return { ok: true, analysis: analyzeProgram(program(), lines, hasModuleSyntax(program()), source) }
}
