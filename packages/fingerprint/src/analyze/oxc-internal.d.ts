// Subpaths that oxc-parser's package.json exports but does not type: the native binding and the
// JSON-to-AST step of its `parseSync`, used to skip converting comments the engine never reads.
// Imported by oxc-adapter.ts only.
declare module 'oxc-parser/src-js/bindings' {
  export interface NativeParseResult {
    readonly program: string
    readonly errors: Array<import('oxc-parser').OxcError>
  }
  export function parseSync(filename: string, source: string, options?: import('oxc-parser').ParserOptions): NativeParseResult
}
declare module 'oxc-parser/src-js/wrap' {
  export function jsonParseAst(json: string): import('oxc-parser').Program
}
