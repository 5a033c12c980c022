/**
 * What a binding's code points at, before resolution:
 * - `['n', name]`: a module-level binding of the same file
 * - `['x', specifier, importedName, line, column, member?]`: an export of another module
 *   (`'*'` = its whole namespace, `'default'` = its default export). `member` is set for
 *   `imported.member`: if the import turns out to be a namespace (`export * as ns`), the slot
 *   narrows to that one export (the member name is in the code text either way).
 */
export type Ref = ['n', string] | ['x', string, string, number, number, (string | null)?, LoadKind?]

/**
 * The imported name of a `Ref` made by `new URL('./w.ts', import.meta.url)`: the file's whole
 * module with everything it loads (a worker or a module loaded later runs it all), or the bytes of
 * a file that is not code. No export can have this name (it holds a NUL).
 */
export const URL_REFERENCE = '\0url'

/**
 * The imported name of a `Ref` made by `import()` / `require()` of a pattern of files
 * (`./locales/${lang}.json`): its specifier is the JSON of the pattern's static parts, and it
 * leads to every file the pattern matches.
 */
export const PATTERN_REFERENCE = '\0pattern'

/**
 * The files a pattern load matches, as the engine lists them (analyze/file-globs.ts): a Vite
 * `import.meta.glob` (`glob`: its globs, `!` for exclusions, relative to the module or to `base`;
 * `query` appended to each file) or a webpack context (`context`: its folder; `regExp` tested on
 * `./path` of each file under it, subfolders when `recursive`).
 */
export type FileGlob =
  | { glob: string[]; base?: string; query: string; exhaustive: boolean; caseSensitive: boolean }
  | { context: string; recursive: boolean; regExp: [string, string] }

/** How a module is loaded: `i` import (the `import` condition), `r` require (the `require` condition). */
export type LoadKind = 'i' | 'r'

/**
 * What a unit may change and what it runs, as indices into its slots. `w`: slots it may write
 * (anywhere, functions included); `g`: it may write global state. `lw`, `lg`: the same, but only
 * what runs when the unit is evaluated (at module load); `lr`: slots it references then (whose
 * own code may run).
 */
export interface Effects {
  w?: number[]
  /** Slots passed to calls: changed only if they hold data (not a function or class). */
  a?: number[]
  g?: 1
  lw?: number[]
  la?: number[]
  /** Slots whose code may run anywhere in the unit (callees, receivers, arguments); not stored. */
  r?: number[]
  lr?: number[]
  lg?: 1
}

/** A module loaded when this one loads: `[specifier, line, column, kind, sideEffectOnly]`. */
export type LoadRequest = [string, number, number, LoadKind, 0 | 1]

/** JSX settings a file states in comments (`/** @jsx h *\/`). */
export interface JsxPragma {
  runtime?: string
  factory?: string
  fragment?: string
  importSource?: string
}

/** One module-level name: its own hash (code with references as numbered slots) and its slots. */
export interface NameInfo {
  own: string
  slots: Ref[]
  line: number
  fx?: Effects
  /** It reads where its module is (`import.meta.url`, `__dirname`). */
  loc?: 1
  /** It has JSX (1; 3 with fragments): the factory or runtime is a dependency. */
  jsx?: number
  /** A declarator whose value is data (not a function or class): a write through it may reach what it points at. */
  alias?: 1
  /** A declarator whose value is what this module-level name returns when called (`const add = curry2(…)`). */
  madeBy?: string
  /** A function that returns functions only: directly, or what the named module-level functions return. */
  returnsFn?: string[]
  /** What `emitDecoratorMetadata` would add: counted where the file's tsconfig enables it. */
  meta?: { hash: string; slots: Ref[] }
  /**
   * It defines a class: tsconfig's `useDefineForClassFields`, `experimentalDecorators` and `target`
   * decide what its fields and decorators do once compiled.
   */
  cls?: 1
  /**
   * Global names it reads and `import.meta.env`, sorted: a bundler may replace them at build time
   * (`define`), and their values then count (the engine's `defines` option).
   */
  free?: string[]
  /**
   * Of those, the names no JavaScript platform defines (see `known-globals.ts`), with where each is
   * first read: `[name, line, column]`. Something else defines them (a build may turn one into an
   * import), so the engine's `undeclaredGlobals` option stops at them.
   */
  undeclared?: Array<[string, number, number]>
  /**
   * It loads modules chosen by a pattern (`import.meta.glob`, `require.context`): `[what, line,
   * column]` of the first. They are not followed, so what reaches this has no fingerprint.
   */
  pattern?: [string, number, number]
}

/** A value import: `[specifier, importedName, line, column, kind]`. */
export type ImportInfo = [string, string, number, number, LoadKind?]

/** An export: a local name, or a re-export `[specifier, importedName]` (`'*'` for `export * as ns`). */
export type ExportInfo = ['local', string] | ['re', string, string, number, number]

export interface AnalysisWarning {
  /** `untracked-dynamic-import` when absent. */
  code?: string
  message: string
  line: number
  column: number
}

/** The per-file result cached on disk; it holds no path, so it is valid wherever the content is. */
export interface FileAnalysis {
  esm: boolean
  /** Maps keyed by names from source code: read them with `Object.hasOwn` (`toString` is a valid name). */
  imports: Record<string, ImportInfo>
  exports: Record<string, ExportInfo>
  stars: Array<[string, number, number]>
  names: Record<string, NameInfo>
  /** Top-level statements that are not declarations, in source order, as one unit. */
  effects: NameInfo
  /** The same statements one by one, for the effect analysis. */
  effectUnits: NameInfo[]
  /** Modules loaded when this one loads (static imports and re-exports, top-level require). */
  loads: LoadRequest[]
  jsxPragma?: JsxPragma
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

export type AnalyzeResult = { ok: true; analysis: FileAnalysis } | { ok: false; error: SyntaxErrorInfo }
