/** Options of `createFingerprinter`. */
export interface FingerprinterOptions {
  /**
   * Absolute project root. Every path the engine reports is relative to it, with `/` separators.
   */
  root: string
  /**
   * Folder of the on-disk cache (one snapshot of the files read per root, see `close()`); `false` keeps it in memory only.
   * @default `<root>/node_modules/.cache/smart-cache/engine`
   */
  cacheDir?: string | false
  /**
   * Worker threads that parse and analyze files (each has a large native stack, so deep code
   * cannot overflow the parser). Started on first use, never keeping the process alive. One core
   * is left to the thread that links and hashes (and to the bundler's own JavaScript).
   * @default Math.max(1, Math.min(2, os.availableParallelism() - 1))
   */
  parserThreads?: number
  /**
   * When the files the engine knows are checked for changes. `'every-call'`: at the start of
   * every call (overlapping calls share one check). `'after-invalidate'`: once, by the first
   * call; afterwards only the files named by `invalidate()` are re-read. For a caller that reports
   * every change, like a bundler plugin (one build, or watch mode with its watcher).
   * @default 'every-call'
   */
  recheck?: 'every-call' | 'after-invalidate'
  /**
   * How imports resolve in the bundle, when not as Node and TypeScript do: the bundler's aliases,
   * export conditions and main fields (a bundler plugin passes its bundler's). The engine must read
   * the files the bundle runs, or an edit of one would keep an old fingerprint.
   * @default Node's rules with the `node`, `import`/`require`, `module` and `default` conditions, tsconfig `paths`
   */
  resolve?: ResolveOptions
  /**
   * What the bundler replaces at build time, and with what code (Vite and esbuild `define`,
   * webpack's DefinePlugin, `import.meta.env.X` with its value): a function that reads one of these
   * globals (`__API_URL__`, `process.env.X`, `import.meta.env.X`) depends on its value. Keys are
   * matched by the global they start from (`process`, `import.meta.env`). A value may be given as
   * its digest (`{ digest: defineDigest(code) }`, as a recorded build keeps it): the fingerprint is
   * the same, and the value itself need not be copied around.
   * @default {}
   */
  defines?: Readonly<Record<string, string | DefineDigest>>
  /**
   * Globals a build turns into imports (an auto-import plugin: unplugin-auto-import, Nuxt;
   * esbuild's `inject`; webpack's and Rspack's `ProvidePlugin`): by global name, the module and
   * export it stands for. A dotted key (`process.cwd`, `window.jQuery`) is matched by the global
   * it starts from. A unit reading one of these names depends on that export (on each, given
   * several), as on an import.
   * @default {}
   */
  globals?: Readonly<Record<string, GlobalImport | readonly GlobalImport[]>>
  /**
   * Set when the build may turn global names into imports that `globals` does not list (an
   * auto-import plugin whose declarations are not written, an esbuild `inject` file whose exports
   * cannot be listed): a unit reading a global name that no JavaScript platform defines (built-ins,
   * browsers, workers, Node, Deno, Bun), that `globals` does not list and that no `defines` key
   * starts from has no fingerprint, and nothing that reaches it: its edit could not be seen. The
   * text says which part of the build and the fix; it ends the reason (`uncacheable`).
   * @default undefined (such names are read as globals)
   */
  undeclaredGlobals?: string
  /**
   * The program's entry modules (root-relative or absolute paths: a bundler's `input`/`entry`, the
   * script `node` runs). Everything they load, transitively, is loaded with every cached function,
   * so its top-level code that changes what a function reads counts for it, as the code of the
   * modules the function's own module loads does: `import './setup'` in `main.ts` setting
   * `config.rate = 2` counts for a function in `price.ts` that reads `config.rate`. Without
   * entries, only the modules the function's module loads are seen.
   * @default []
   */
  entries?: readonly string[]
}

/** A `defines` value given by its digest (`defineDigest(code)`), as the plugin records it for the CLI. */
export interface DefineDigest {
  digest: string
}

/** One entry of `FingerprinterOptions.globals`. */
export interface GlobalImport {
  /**
   * Absolute path of the file the specifier resolves from (the generated `.d.ts`, the inject
   * file). Omitted: from the file that reads the global, as webpack's `ProvidePlugin` resolves it.
   * @default the file that reads the global
   */
  from?: string
  specifier: string
  /** The export it stands for (`default` for a default export, `*` for the namespace). */
  name: string
  /**
   * Properties read from that export (`ProvidePlugin`'s `['m', 'a', 'b']`: export `a`, then its
   * `b`): the whole export counts, the path is part of the hash.
   * @default []
   */
  members?: readonly string[]
}

/** How the bundle resolves imports (see `FingerprinterOptions.resolve`). */
export interface ResolveOptions {
  /**
   * Aliases tried in order before resolving, the first that matches applies (the rules of Vite's
   * `resolve.alias` and `@rollup/plugin-alias`): a string `find` matches the specifier itself and
   * the specifiers under it (`find/…`), a RegExp is matched and replaced with `String#replace`
   * (`$1`). A replacement that is a relative path resolves from the importing file. An entry with
   * `replacement: null` stands for an alias whose target the engine cannot know (a custom resolver,
   * alternatives): a function reaching a specifier it matches gets no fingerprint (`uncacheable`).
   * @default []
   */
  alias?: readonly AliasEntry[]
  /**
   * The export conditions and `package.json` main fields of each environment the code is bundled
   * for (a Vite dev server: client and ssr). `import`/`require` and `default` are added by kind of
   * load. With several, an import that leads to different files of the project under them leaves
   * the function uncacheable (its fingerprint would hold for one of them only); imports of
   * installed packages count by version, whichever file they lead to.
   * @default [{ conditions: ['node', 'module'], mainFields: ['module', 'main'] }]
   */
  environments?: readonly ResolveEnvironment[]
  /**
   * Extensions tried, in order, for a specifier without one (`./helper` with helper.js and helper.ts
   * beside each other: the first wins). Vite `resolve.extensions`, esbuild `resolveExtensions`.
   * @default ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'] (TypeScript's order)
   */
  extensions?: readonly string[]
  /**
   * Extensions tried in place of a specifier's own, in order (webpack's `resolve.extensionAlias`).
   * @default the file itself first, then TypeScript's: `.js` → `.js`, `.ts`, `.tsx`, `.jsx` (as Vite, esbuild and Node load it)
   */
  extensionAlias?: Readonly<Record<string, readonly string[]>>
}

/** One alias of `ResolveOptions.alias`. */
export interface AliasEntry {
  find: string | RegExp
  /** What replaces the match; `null` when the engine cannot know (a custom resolver, several alternatives). */
  replacement: string | null
}

/** One environment of `ResolveOptions.environments`. */
export interface ResolveEnvironment {
  /** Export conditions besides `import`/`require` and `default`. */
  conditions: readonly string[]
  /** `package.json` fields for a package without `exports`, in order. @default ['module', 'main'] */
  mainFields?: readonly string[]
}

/** One binding a fingerprint is made of. */
export interface DependencyInfo {
  /** File relative to the root (posix). */
  file: string
  /** Module-level name in that file (`default` for an anonymous default export, `*` for a whole namespace). */
  binding: string
  /** The binding's own hash (its normalized code alone), 64 hex chars. */
  hash: string
  /** 1-based line of its declaration. */
  line: number
}

/** The fingerprint of one binding. */
export interface BindingFingerprint {
  /** `<file relative to root>#<name>`. */
  id: string
  /** BLAKE3-256 of the normalized code and of everything it reaches, 64 hex chars. */
  hash: string
  /** Every source binding (and JSON or asset file, binding `*`) reached, transitively, sorted by file then binding; the target itself excluded. */
  deps: DependencyInfo[]
  /**
   * A BLAKE3 (Merkle) hash over the exact bytes of the target's file and of every file in `deps`,
   * and of what reaches what: unlike `hash`, it changes with comments and formatting. For caches of
   * results derived from source text (diagnostics with line numbers).
   */
  sourceHash: string
  /**
   * Set when the function's results must not be cached, with the reason: it reaches code the engine
   * cannot see (an import it cannot resolve, an alias whose target it cannot know, an import that
   * resolves differently in two environments). `hash` is still given (coarser: it cannot see changes
   * behind that import).
   */
  uncacheable?: string
}

/** A node of `explain()`'s dependency tree. */
export interface ExplainNode {
  /** `file#binding`, or `package@version#name`, `node:fs#name`, `global`… for leaves. */
  id: string
  /** File relative to the root, or `null` for packages, built-ins and unresolved imports. */
  file: string | null
  binding: string
  /** Full hash: this node and everything under it. */
  hash: string
  /** Hash of this node's own normalized code (or of its identity for a leaf). */
  ownHash: string
  /** Where it was resolved: `src/x.ts:12`, `tiny-lib@1.0.0 (node_modules/tiny-lib/index.js)`, `node:fs`, `unresolved './x'`. */
  resolvedFrom: string
  /** Dependencies in the order the code references them. A node already shown higher up has `repeated: true` and no children. */
  children: ExplainNode[]
  repeated?: boolean
}

/** Something the engine could not follow; the fingerprint is still computed (coarser, never wrong). */
export interface EngineWarning {
  /** `unresolved-import`, `missing-export`, `untracked-dynamic-import`, `cross-module-write`. */
  code: string
  /** Complete message: `[smart-cache] file:line:col …` with the fix. */
  message: string
  file?: string
  line?: number
  column?: number
}

/** The engine API (contract 1 in docs/architecture.md). */
export interface Fingerprinter {
  /** Fingerprint of an export or module-level binding; `file` is absolute or relative to the root. */
  fingerprint: (file: string, name: string) => Promise<BindingFingerprint>
  /** Fingerprints of every export of a file, by export name. */
  fingerprintFile: (file: string) => Promise<Record<string, BindingFingerprint>>
  /** The dependency tree of a binding. */
  explain: (file: string, name: string) => Promise<ExplainNode>
  /** Forgets what is known about one file (watch mode); content is re-checked on every call anyway. */
  invalidate: (absFile: string) => void
  /**
   * Checks every file and folder known again at the next call, as a new engine would (with
   * `recheck: 'after-invalidate'`, for a rebuild whose changed files are not reported, like
   * esbuild's `context().rebuild()`).
   */
  recheck: () => void
  /** Warnings collected so far, deduplicated. */
  readonly warnings: readonly EngineWarning[]
  /**
   * Saves the snapshot of the files read and the answers given, when new, without stopping
   * anything: for long-lived callers (a dev server) whose process may be killed before it runs
   * out of work (Ctrl-C). Also done by `close()`, and when the process runs out of work.
   */
  save: () => Promise<void>
  /** Stops the parser threads (they never keep the process alive on their own; they restart on demand) and saves the snapshot of the files read (also saved when the process runs out of work). */
  close: () => Promise<void>
}
