// Everything the engine takes from oxc-parser, in one place. Most of it is the package's public
// API; `parseProgram` also reaches into two files of its `src-js/` folder (the native binding and
// the JSON-to-AST step of its `parseSync`), which oxc-parser exports but does not type or promise
// to keep: their types are declared in `oxc-internal.d.ts`. That is why package.json pins
// oxc-parser to one exact version: a new version is taken by hand, with the engine's tests.
import { type OxcError, parseSync, type ParserOptions, rawTransferSupported, visitorKeys } from 'oxc-parser'
import * as native from 'oxc-parser/src-js/bindings'
import { jsonParseAst } from 'oxc-parser/src-js/wrap'

export type { OxcError, ParserOptions }
export { visitorKeys }

/**
 * Raw transfer (Node 22+) is opt-in: measured on Node 22.23 with oxc-parser 0.159.0, the engine's
 * cold run over a 5,000-module app took 15-25% longer with it (4.3-5.3 s against 5.0-6.5 s in
 * alternating runs; a cold `vite build` 5.1-5.8 s against 6.0-6.8 s): its parser threads spent
 * 2.5x the time in garbage collection, and it also builds the comments and the module record the
 * engine never reads. `SMART_CACHE_OXC_RAW_TRANSFER=1` turns it on, to measure it again
 * (`node bench/engine-cold.mjs`) when oxc-parser is updated. The AST is the same either way.
 */
const raw = process.env.SMART_CACHE_OXC_RAW_TRANSFER === '1' && rawTransferSupported()

/**
 * Parses `source` (`filename` picks the language) into oxc's ESTree AST, without comments; the
 * program is built on first use. oxc-parser's `parseSync` also converts every comment and the
 * module record into JS objects; the engine reads neither, so it calls the native binding and
 * the same JSON-to-AST step directly. The AST is the same.
 */
export function parseProgram(
  filename: string,
  source: string,
  sourceType: ParserOptions['sourceType'],
): { program: () => any; errors: OxcError[] } {
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
