// What the walk emits: the canonical token stream and the scope and effect events, received by a
// sink (canon.ts's passes), and the shapes those events carry.

import type { FileGlob } from './analysis-types.ts'

type Node = any

/** How an identifier occurs (`write`: a reference that assigns the binding itself). */
export type IdentKind = 'ref' | 'write' | 'var' | 'let' | 'param' | 'root' | 'enum'

/** Where a mutation or call starts: an identifier, and the static property read from it, if any. */
export interface Root {
  ident: Node
  property?: string
  /** Reached through a call's result (`getState().k`, `useStore().items.push(…)`): what the call returns. */
  called?: true
}

/** A call or `new`, as the effect analysis needs it. */
export interface CallSite {
  /** The identifier the callee starts from (`a` in `a.b.c()`), when it is one. */
  callee?: Root
  /** The method name (`c` in `a.b.c()`), when the callee is a member. */
  method?: string
  /** The method is called on the root itself (`a.c()`, not `a.b.c()`). */
  direct: boolean
  /**
   * Only the callee is known to run: a JSX element's component when it renders, a decorator when
   * its class is defined.
   */
  runsOnly?: true
  isNew: boolean
  /** What each argument starts from: a binding passed to a call may be changed by it. */
  args: Root[]
}

/** Receives the canonical token stream and scope events. */
export interface Sink {
  open: (type: string) => void
  scalar: (value: string) => void
  close: () => void
  ident: (node: Node, kind: IdentKind) => void
  enterScope: (fn: boolean) => void
  exitScope: () => void
  /** `ns.member` with a static property; return true when the sink emitted it itself. */
  staticMember: (member: Node, object: Node, property: string) => boolean
  /**
   * `import('x')` / `require('x')` with a static specifier; return true when emitted. `names`:
   * the exports read from it (`const { a } = await import('x')`), when that is all it is used for.
   */
  moduleRequest: (node: Node, specifier: string, kind: 'import' | 'require', names?: string[]) => boolean
  /** Whether calling this name may be `require` (itself, or one made by `createRequire`). */
  mayRequire: (name: string) => boolean
  /**
   * A dynamic `import()` / `require()` whose specifier is not a literal, or a `new URL(path,
   * import.meta.url)` whose path is not one: what it loads cannot be seen (`what` names the form).
   * `runsCode`: what it loads may be code, run when it loads (not when it names data files only).
   */
  untracked: (node: Node, what: string, runsCode: boolean) => void
  /**
   * `new URL('./w.ts', import.meta.url)`: a reference to a file that bundlers bundle (a worker, a
   * module loaded later) or emit (an asset). `specifier` is relative (`./…`, `../…`).
   */
  fileReference: (node: Node, specifier: string) => void
  /**
   * `import()` / `require()` of a specifier made of a relative folder, values and an extension
   * (`./locales/${lang}.json`): every file it may match is loaded (`parts`: the static parts, the
   * values in between), or a static glob or folder load (`import.meta.glob('./posts/*.md')`,
   * `require.context('./icons')`). `runs`: those files may be code, which runs `'now'` (where the
   * expression is evaluated) or `'later'` (a function it gives loads them: a lazy glob).
   */
  patternRequest: (node: Node, parts: string[] | FileGlob, kind: 'i' | 'r', runs: 'now' | 'later' | false) => void
  /**
   * A load of the modules a pattern matches (`import.meta.glob(…)`, `require.context(…)`), which is
   * not followed; `eager` when it runs them at once (`{ eager: true }`).
   */
  patternLoad: (node: Node, what: string, eager: boolean) => void
  /** The binding `root` starts from may be changed here (`a.b = 1`, `a.push(x)`, `delete a.b`). */
  mutate: (root: Root) => void
  /** A call or `new` (effects: what it may change). */
  call: (site: CallSite) => void
  /** Entering (+1) or leaving (-1) code that does not run when its unit is evaluated (a function body). */
  defer: (delta: number) => void
  /** The unit defines a class (its compiled fields and decorators depend on tsconfig options). */
  classBody: () => void
  /** The unit reads where its module is (`import.meta.url`, `import.meta.dirname`…). */
  location: () => void
  /** The unit reads `import.meta.env` (or `import.meta` whole): a bundler replaces it with build-time values. */
  metaEnv: () => void
  /** A `let` or `const` declaration of local names: its kind is decided once writes are known. */
  lexical: (kind: string, names: Node[]) => void
  /** JSX: the factory (classic) or runtime (automatic) is a dependency. */
  jsx: (fragment: boolean) => void
  /**
   * What TypeScript's `emitDecoratorMetadata` would emit for a decorated class or member: type
   * names become run-time references (`design:paramtypes`), counted only where it is enabled.
   */
  metadata: (key: string, types: MetaType[]) => void
}

/** A type as `emitDecoratorMetadata` serializes it: a built-in constructor's name, or a reference. */
export type MetaType = string | { ref: Node; path: string }
