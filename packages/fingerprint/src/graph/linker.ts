import { existsSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import { getTsconfig, type TsConfigResult } from 'get-tsconfig'
import {
  DEFAULT_LOCAL,
  PATTERN_REFERENCE,
  URL_REFERENCE,
  type Effects,
  type FileAnalysis,
  type FileGlob,
  type LoadKind,
  type Ref,
} from '../analyze/analysis-types.ts'
import { FingerprintError } from '../errors.ts'
import { hashBytes, readText } from '../store/files.ts'
import { blake3 } from '../hash.ts'
import type { Resolved, Resolver } from './resolve.ts'
import { isRuntime } from './resolver-options.ts'
import type { FileStore } from '../store/file-store.ts'
import type { DefineDigest, GlobalImport } from '../types.ts'
import { digestOfDefine } from '../define-digest.ts'
import { PackageTrees } from './package-tree.ts'
import { describePattern, patternBinding, patternMatches, relativeSpecifier } from './file-globs.ts'

/** What a node may change and run, as graph keys (see `Effects`). */
export interface NodeEffects {
  w?: string[]
  a?: string[]
  g?: true
  lw?: string[]
  la?: string[]
  lr?: string[]
  lg?: true
}

/** A node of the dependency graph. Keys hold absolute paths but are never hashed. */
export interface GraphNode {
  key: string
  own: string
  targets: string[]
  file: string | null
  binding: string
  line: number
  resolvedFrom: string
  leafId?: string
  fx?: NodeEffects
  /** Data that may point at other objects: a write through it reaches its targets. */
  alias?: true
  /** The key of what made this value by being called (`const add = curry2(…)`). */
  madeBy?: string
  /** A function returning functions only: directly (empty), or what these keys return. */
  returnsFn?: string[]
  /**
   * Why what reaches this node is uncacheable: it loads modules chosen by a pattern, or it is an
   * import the engine cannot resolve or follow (its code cannot be seen).
   */
  stop?: string
}

/** Files whose content a node was computed from; a change to any of them invalidates it. */
export type Reads = Set<string>

export type Warn = (code: string, text: string, file?: string, line?: number, column?: number) => void

/** Stands for the files an `export *` table of `abs` was computed from. */
const starToken = (abs: string): string => `*\0${abs}`

export const bindingKey = (abs: string, name: string): string => `b\0${abs}\0${name}`
export const effectKey = (abs: string, index: number): string => `e\0${abs}\0${index}`
export const namespaceKey = (abs: string): string => `n\0${abs}`
/** The files `import()` / `require()` of a pattern (`parts`, as JSON) at `line:column` of `abs` may load. */
const patternKey = (abs: string, kind: LoadKind, line: number, column: number, parts: string): string =>
  `g\0${abs}\0${kind}:${line}:${column}:${parts}`
/** A module with everything it loads, run by a `new URL(…, import.meta.url)` reference (a worker). */
export const loadedKey = (abs: string): string => `l\0${abs}`
const display = (name: string): string => (name === DEFAULT_LOCAL ? 'default' : name)

/**
 * `define` entries grouped by what they start from: `__RATE__` by itself, `process.env.X` by
 * `process`, `import.meta.env.X` by `import.meta.env`; each as `key=<digest of the value>`, sorted
 * (a value given as its digest counts the same).
 */
function definesByRoot(defines: Readonly<Record<string, string | DefineDigest>>): Map<string, string[]> {
  const byRoot = new Map<string, string[]>()
  for (const key of Object.keys(defines).sort()) {
    const root = key.startsWith('import.meta') ? 'import.meta.env' : key.split('.')[0]!
    const list = byRoot.get(root) ?? []
    list.push(`${key}=${digestOfDefine(defines[key]!)}`)
    byRoot.set(root, list)
  }
  return byRoot
}

/** `FingerprinterOptions.globals` by the global name each key starts from, each key with its entries, in key order. */
function globalsByRoot(
  globals: Readonly<Record<string, GlobalImport | readonly GlobalImport[]>>,
): Map<string, Array<[string, GlobalImport]>> {
  const byRoot = new Map<string, Array<[string, GlobalImport]>>()
  for (const key of Object.keys(globals).sort()) {
    const entry = globals[key]!
    const list = byRoot.get(key.split('.')[0]!) ?? []
    for (const g of Array.isArray(entry) ? entry : [entry as GlobalImport]) list.push([key, g])
    byRoot.set(key.split('.')[0]!, list)
  }
  return byRoot
}

/** A value of a map keyed by names from source code (`toString` is a name, not a method). */
export function own<T>(map: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined
}

type Spec = [string, number, number]
type Step = [specifier: string, imported: string, line: number, column: number, kind?: LoadKind]

/** In a star table, a name that several `export *` sources export. */
const AMBIGUOUS = ''

interface StarTable {
  table: Map<string, string>
  files: string[]
}

/** Key of a leaf; it never enters a hash. */
function leafKey(r: Resolved, spec: string, imported: string): string {
  switch (r.kind) {
    case 'package':
      return `p\0${r.name}@${r.version}\0${r.dir}\0${r.subpath}\0${imported}`
    case 'builtin':
      return `B\0${r.name}\0${imported}`
    case 'json':
      return `j\0${r.abs}`
    case 'asset':
      return `a\0${r.abs}`
    case 'unresolved':
      return `u\0${spec}\0${imported}`
    case 'source':
      throw new Error('[smart-cache] internal: leaf() called for a source module')
  }
}

/**
 * Links analyses into graph nodes: follows imports and re-exports to the binding that defines a
 * name, and makes leaves for what is not parsed. Every file consulted is recorded in `reads`.
 */
export class Linker {
  /** Names provided through `export *`, per module: name → the module that exports it directly. */
  private starTables = new Map<string, Promise<StarTable>>()
  /** Files each finished table was computed from. */
  private starFiles = new Map<string, string[]>()
  /** Leaf nodes, built on the fly. */
  readonly leaves = new Map<string, { node: GraphNode; reads: string[] }>()
  /** The bundler's build-time replacements, by the global name (or `import.meta.env`) they start from. */
  private definesByRoot: Map<string, string[]>
  /** The globals the build turns into imports, by the global name they start from (`process` for `process.cwd`). */
  private globalsByRoot: Map<string, Array<[string, GlobalImport]>>

  constructor(
    private root: string,
    private store: FileStore,
    private resolver: Resolver,
    private warn: Warn,
    defines: Readonly<Record<string, string | DefineDigest>> = {},
    globals: Readonly<Record<string, GlobalImport | readonly GlobalImport[]>> = {},
    /** Why a global name nothing defines stops fingerprinting (`FingerprinterOptions.undeclaredGlobals`). */
    private undeclaredGlobals?: string,
  ) {
    this.definesByRoot = definesByRoot(defines)
    this.globalsByRoot = globalsByRoot(globals)
    this.trees = new PackageTrees(root)
  }

  private rels = new Map<string, string>()

  /** Path relative to the root, posix separators (memoized: called for every node). */
  rel(abs: string): string {
    let r = this.rels.get(abs)
    if (r === undefined) {
      r = relative(this.root, abs).replaceAll('\\', '/')
      this.rels.set(abs, r)
    }
    return r
  }

  /** Forgets the `export *` tables, tsconfig files and package trees after files changed. */
  resetTables(): void {
    this.starTables.clear()
    this.starFiles.clear()
    this.tsconfigs.clear()
    this.trees.clear()
  }

  private trees: PackageTrees

  private async analysis(abs: string, reads: Reads): Promise<FileAnalysis> {
    reads.add(abs)
    return this.store.analysis(abs)
  }

  /** Graph key of a requested name: an export, a module-level binding, or `Class.member` (whole class). */
  async targetKey(abs: string, name: string, reads: Reads): Promise<string> {
    const a = await this.analysis(abs, reads)
    if (Object.hasOwn(a.exports, name)) return this.exportTarget(abs, name, reads)
    if (Object.hasOwn(a.names, name)) return bindingKey(abs, name)
    const imp = own(a.imports, name)
    if (imp) return this.refTarget(abs, ['x', ...imp], reads)
    const dot = name.indexOf('.')
    if (dot > 0) return this.targetKey(abs, name.slice(0, dot), reads)
    if ((await this.starTable(abs, reads)).has(name)) return this.exportTarget(abs, name, reads)
    const known = (await this.exportNames(abs, reads)).join(', ') || '(none)'
    throw new FingerprintError(`${this.rel(abs)} has no export or module-level binding named '${name}'. Its exports: ${known}.`)
  }

  /** Every export name of a file, those of `export *` included, sorted. */
  async exportNames(abs: string, reads: Reads): Promise<string[]> {
    const a = await this.analysis(abs, reads)
    const names = new Set(Object.keys(a.exports))
    for (const n of (await this.starTable(abs, reads)).keys()) names.add(n)
    return [...names].sort()
  }

  /** Follows an export through re-exports and `export *` to what defines it (a loop, not recursion). */
  async exportTarget(startAbs: string, startName: string, reads: Reads): Promise<string> {
    const seen = new Set<string>()
    let abs = startAbs
    let name = startName
    for (;;) {
      if (name === '*') return namespaceKey(abs)
      const a = await this.analysis(abs, reads)
      const step = `${abs}\0${name}`
      if (seen.has(step)) {
        this.warn(
          'missing-export',
          `${this.rel(abs)}: export '${name}' is part of a re-export cycle. The fingerprint depends on the whole module.`,
          this.rel(abs),
        )
        return namespaceKey(abs)
      }
      seen.add(step)
      const e = own(a.exports, name)
      let next: Step | undefined
      if (e?.[0] === 'local') {
        if (Object.hasOwn(a.names, e[1])) return bindingKey(abs, e[1])
        next = own(a.imports, e[1])
        if (!next) {
          this.warn(
            'missing-export',
            `${this.rel(abs)}: export '${name}' names '${e[1]}', which the module does not declare. The fingerprint depends on the whole module.`,
            this.rel(abs),
          )
          return namespaceKey(abs)
        }
      } else if (e) {
        next = [e[1], e[2], e[3], e[4]]
      } else {
        const via = name === 'default' ? undefined : (await this.starTable(abs, reads)).get(name)
        if (via === undefined) {
          if (a.esm)
            this.warn(
              'missing-export',
              `${this.rel(abs)} has no export '${name}'. The fingerprint depends on the whole module; check the import.`,
              this.rel(abs),
            )
          return namespaceKey(abs)
        }
        // Two modules export the name through `export *`: ESM leaves it out (a named import of it
        // fails to link) and bundlers each pick or drop one. Every source counts.
        if (via === AMBIGUOUS) return namespaceKey(abs)
        abs = via
        continue
      }
      const r = this.resolver.resolve(abs, next[0], next[4] ?? 'i')
      if (r.kind !== 'source') return this.leaf(r, next[0], next[1], abs, next[2], next[3], reads)
      abs = r.abs
      name = next[1]
    }
  }

  /**
   * Names a module gets through `export *` (iterative, depth-first in source order, cycle-safe):
   * the source module that exports a name directly, or `AMBIGUOUS` when several do (a module
   * re-exporting the same binding counts as another: more invalidation, never less). When packages are among the stars,
   * names not found in source are unknown here; `exportTarget` then falls back to the namespace.
   */
  private async starTable(abs: string, reads: Reads): Promise<Map<string, string>> {
    let entry = this.starTables.get(abs)
    if (!entry) {
      entry = this.computeStarTable(abs)
      this.starTables.set(abs, entry)
    }
    // One token stands for the whole closure (cheap to record on every lookup);
    // `starTokensFor` maps changed files back to it.
    reads.add(starToken(abs))
    return (await entry).table
  }

  private async computeStarTable(abs: string): Promise<StarTable> {
    const table = new Map<string, string>()
    const seen = new Set<string>([abs])
    const local: Reads = new Set()
    const first = await this.analysis(abs, local)
    const stack: Array<[string, Spec]> = first.stars.map(s => [abs, s] as [string, Spec]).reverse()
    while (stack.length > 0) {
      const [from, [spec, line, column]] = stack.pop()!
      const r = this.resolver.resolve(from, spec)
      if (r.kind !== 'source') {
        this.leaf(r, spec, '*', from, line, column, local)
        continue
      }
      if (seen.has(r.abs)) continue
      seen.add(r.abs)
      const a = await this.analysis(r.abs, local)
      for (const n of Object.keys(a.exports)) {
        if (n === 'default') continue
        if (!table.has(n)) table.set(n, r.abs)
        else if (table.get(n) !== r.abs) table.set(n, AMBIGUOUS)
      }
      for (let i = a.stars.length - 1; i >= 0; i--) stack.push([r.abs, a.stars[i]!])
    }
    for (const n of Object.keys(first.exports)) table.delete(n)
    const files = [...local]
    this.starFiles.set(abs, files)
    return { table, files }
  }

  /** Tokens of the `export *` tables that read any of these files (call before `resetTables`). */
  starTokensFor(files: Iterable<string>): string[] {
    const changed = new Set(files)
    const out: string[] = []
    for (const [abs, files] of this.starFiles) {
      if (files.some(f => changed.has(f))) out.push(starToken(abs))
    }
    return out
  }

  /** Graph key of what a slot points at. */
  async refTarget(abs: string, ref: Ref, reads: Reads): Promise<string> {
    if (ref[0] === 'n') return bindingKey(abs, ref[1])
    const [, spec, imported, line, column, member, kind] = ref
    if (imported === PATTERN_REFERENCE) return patternKey(abs, kind ?? 'i', line, column, spec)
    const r = this.resolver.resolve(abs, spec, kind ?? 'i')
    if (imported === URL_REFERENCE) return r.kind === 'source' ? loadedKey(r.abs) : this.leaf(r, spec, '*', abs, line, column, reads)
    if (r.kind !== 'source') return this.leaf(r, spec, imported, abs, line, column, reads)
    const key = await this.exportTarget(r.abs, imported, reads)
    // `ns.member` where the import is a re-exported namespace: only that export is reached.
    if (member != null && key.startsWith('n\0')) return this.exportTarget(key.slice(2), member, reads)
    return key
  }

  /** Builds the node of a binding (`b`), top-level statement (`e`) or namespace (`n`) key. */
  async makeNode(key: string, reads: Reads): Promise<GraphNode> {
    const [kind, abs, name] = key.split('\0') as [string, string, string]
    const a = await this.analysis(abs, reads)
    if (kind === 'n') return this.namespaceNode(key, abs, a, reads)
    if (kind === 'l') return this.loadedNode(key, abs, a, reads)
    if (kind === 'g') return this.patternNode(key, abs, name, reads)
    const info = kind === 'e' ? a.effectUnits[Number(name)] : own(a.names, name)
    if (!info) throw new Error(`[smart-cache] internal: no ${kind === 'e' ? 'statement' : 'binding'} '${name}' in ${this.rel(abs)}`)
    const targets = await Promise.all(info.slots.map(s => this.refTarget(abs, s, reads)))
    let ownHash = info.own
    // A unit that reads `import.meta.url` or `__dirname` behaves differently when its file moves.
    if (info.loc) ownHash = blake3(`${ownHash}\nlocation ${this.rel(abs)}`)
    for (const name of info.free ?? []) {
      // A global the build turns into an import (auto-imports, `inject`, `ProvidePlugin`): it depends on that export.
      for (const [key, g] of this.globalsByRoot.get(name) ?? []) {
        const members = g.members && g.members.length > 0 ? ` .${g.members.join('.')}` : ''
        ownHash = blake3(`${ownHash}\nglobal-import ${key} ${g.specifier} ${g.name}${members}${g.from ? '' : ' (from the reader)'}`)
        targets.push(await this.refTarget(g.from ?? abs, ['x', g.specifier, g.name, 1, 1, null, 'i'], reads))
      }
    }
    if (info.free && this.definesByRoot.size > 0) {
      // A global a bundler replaces at build time (`define`, `import.meta.env`): its value is code.
      const values = info.free.flatMap(name => this.definesByRoot.get(name) ?? [])
      if (values.length > 0) ownHash = blake3(`${ownHash}\ndefines\n${values.join('\n')}`)
    }
    if (info.cls) {
      // Whether fields are defined or assigned, and which decorators run, is decided by tsconfig.
      const emit = this.classEmitOptions(abs, reads)
      if (emit) ownHash = blake3(`${ownHash}\nclass-emit ${emit}`)
    }
    if (info.meta && this.emitsDecoratorMetadata(abs, reads)) {
      // `design:paramtypes` and friends: the types of decorated parts are values at run time.
      ownHash = blake3(`${ownHash}\n${info.meta.hash}`)
      for (const s of info.meta.slots) targets.push(await this.refTarget(abs, s, reads))
    }
    if (info.jsx) {
      const jsx = await this.jsxDependencies(abs, a, info.jsx, reads)
      ownHash = blake3(`${ownHash}\njsx ${jsx.mode}`)
      for (const t of jsx.targets) targets.push(t)
    }
    const binding = kind === 'e' ? `(top level)` : display(name)
    const node: GraphNode = {
      key,
      own: ownHash,
      targets,
      file: this.rel(abs),
      binding,
      line: info.line,
      resolvedFrom: `${this.rel(abs)}:${info.line}`,
    }
    const fx = nodeEffects(info.fx, targets)
    if (fx) node.fx = fx
    if (info.alias) node.alias = true
    if (info.pattern) node.stop = patternStop(this.rel(abs), info.pattern)
    else if (info.undeclared && this.undeclaredGlobals !== undefined) {
      const u = info.undeclared.find(([name]) => !this.globalsByRoot.has(name) && !this.definesByRoot.has(name))
      if (u) node.stop = `the global '${u[0]}' at ${this.rel(abs)}:${u[1]}:${u[2]}, which ${this.undeclaredGlobals}`
    }
    if (info.madeBy !== undefined) node.madeBy = await this.moduleNameTarget(abs, a, info.madeBy, reads)
    if (info.returnsFn) {
      const keys = await Promise.all(info.returnsFn.map(n => this.moduleNameTarget(abs, a, n, reads)))
      // A call to a global or an unknown name may return anything: no claim then.
      if (keys.every(k => k !== undefined)) node.returnsFn = keys as string[]
    }
    return node
  }

  private tsconfigs = new Map<string, TsConfigResult | null>()

  /** The tsconfig.json that applies to a file (with `extends` followed), recorded as read. */
  private tsconfigOf(abs: string, reads: Reads): TsConfigResult | null {
    const dir = dirname(abs)
    let found = this.tsconfigs.get(dir)
    if (found === undefined) {
      try {
        found = getTsconfig(dir) ?? null
      } catch {
        found = null
      }
      this.tsconfigs.set(dir, found)
    }
    if (found) {
      this.store.watch(found.path)
      reads.add(found.path)
    }
    return found
  }

  /**
   * The tsconfig options that change what a class compiles to, as set for the file ('' when none
   * is): `useDefineForClassFields` (fields defined or assigned; its default follows `target`) and
   * `experimentalDecorators` (legacy or standard decorators).
   */
  private classEmitOptions(abs: string, reads: Reads): string {
    const options = (this.tsconfigOf(abs, reads)?.config.compilerOptions ?? {}) as Record<string, unknown>
    const set = CLASS_EMIT_OPTIONS.filter(k => options[k] !== undefined)
    return set.map(k => `${k}=${JSON.stringify(typeof options[k] === 'string' ? options[k].toLowerCase() : options[k])}`).join(';')
  }

  /**
   * The file an asset import reads, and its bundler query: `./t.txt?raw` (Vite) resolves to a path
   * that keeps the query. A query that gives the file's bytes (`raw`, `url`, `inline`, `init`)
   * counts by them and the query; any other (`?worker` bundles the module with its imports) makes
   * what reaches it uncacheable (`unknown`).
   */
  private assetFile(
    resolved: string,
    spec: string,
    from: string,
    line: number,
    column: number,
  ): { abs: string; query: string; unknown?: string } {
    const at = resolved.indexOf('?', resolved.lastIndexOf('/') + 1)
    if (at === -1 || existsSync(resolved)) return { abs: resolved, query: '' }
    const query = resolved.slice(at + 1)
    const abs = resolved.slice(0, at)
    const keys = [...new URLSearchParams(query).keys()]
    if (keys.length > 0 && keys.every(k => BYTE_QUERIES.has(k))) return { abs, query }
    const unknown = `'${spec}' at ${this.rel(from)}:${line}:${column}, loaded through the bundler query '?${query}' (a worker is bundled with its imports, which are not followed)`
    return { abs, query, unknown }
  }

  /** Whether the file's tsconfig has TypeScript emit decorator metadata (legacy decorators). */
  private emitsDecoratorMetadata(abs: string, reads: Reads): boolean {
    const options = (this.tsconfigOf(abs, reads)?.config.compilerOptions ?? {}) as Record<string, unknown>
    return options.emitDecoratorMetadata === true
  }

  /**
   * What JSX compiles to calls: the classic factory (`/** @jsx h *\/`, tsconfig `jsxFactory`,
   * `React.createElement` for `jsx: "react"`) is a binding of the module; the automatic runtime
   * is `<jsxImportSource>/jsx-runtime`. With neither configured, both are counted where they exist.
   */
  private async jsxDependencies(abs: string, a: FileAnalysis, use: number, reads: Reads): Promise<{ mode: string; targets: string[] }> {
    const pragma = a.jsxPragma ?? {}
    const options = (this.tsconfigOf(abs, reads)?.config.compilerOptions ?? {}) as Record<string, string | undefined>
    const tsJsx = options.jsx
    const classic =
      pragma.factory !== undefined ||
      pragma.runtime === 'classic' ||
      (pragma.runtime === undefined && pragma.importSource === undefined && tsJsx === 'react')
    const automatic =
      !classic && (pragma.runtime === 'automatic' || pragma.importSource !== undefined || tsJsx === 'react-jsx' || tsJsx === 'react-jsxdev')
    const targets: string[] = []
    const factory = pragma.factory ?? options.jsxFactory ?? 'React.createElement'
    const fragment = pragma.fragment ?? options.jsxFragmentFactory ?? 'React.Fragment'
    const source = pragma.importSource ?? options.jsxImportSource ?? 'react'
    if (!automatic) {
      for (const expr of use & 2 ? [factory, fragment] : [factory]) {
        const t = await this.moduleNameTarget(abs, a, expr.split('.')[0]!, reads)
        if (t) targets.push(t)
      }
    }
    if (!classic) {
      const spec = `${source}/jsx-runtime`
      const r = this.resolver.resolve(abs, spec, 'i')
      if (r.kind === 'source') targets.push(namespaceKey(r.abs))
      else if (automatic || r.kind !== 'unresolved') targets.push(this.leaf(r, spec, '*', abs, 1, 1, reads))
    }
    const mode = classic ? `classic ${factory} ${fragment}` : automatic ? `automatic ${source}` : `unknown ${factory} ${fragment} ${source}`
    return { mode, targets }
  }

  /** What a module-level name refers to (an import or a declaration); undefined for a global. */
  private async moduleNameTarget(abs: string, a: FileAnalysis, name: string, reads: Reads): Promise<string | undefined> {
    const imp = own(a.imports, name)
    if (imp) return this.refTarget(abs, ['x', ...imp], reads)
    if (Object.hasOwn(a.names, name)) return bindingKey(abs, name)
    return undefined
  }

  /** A whole module: its export names and what they lead to, its `export *` sources and its top-level statements. */
  private async namespaceNode(key: string, abs: string, a: FileAnalysis, reads: Reads): Promise<GraphNode> {
    const names = Object.keys(a.exports).sort()
    const targets = await Promise.all(names.map(n => this.exportTarget(abs, n, reads)))
    for (const [spec, line, column] of a.stars) {
      const r = this.resolver.resolve(abs, spec)
      targets.push(r.kind === 'source' ? namespaceKey(r.abs) : this.leaf(r, spec, '*', abs, line, column, reads))
    }
    for (const s of a.effects.slots) targets.push(await this.refTarget(abs, s, reads))
    const own = blake3(`namespace\n${JSON.stringify(names)}\n${a.stars.length}\n${a.effects.own}\n${a.effects.slots.length}`)
    return { key, own, targets, file: this.rel(abs), binding: '*', line: 1, resolvedFrom: this.rel(abs) }
  }

  /**
   * A module run as a whole (`new Worker(new URL('./w.ts', import.meta.url))`): its namespace (exports
   * and top-level code) and, the same way, every module it loads (static, side-effect and top-level
   * `require` and `import()` requests), since all of their top-level code runs.
   */
  private async loadedNode(key: string, abs: string, a: FileAnalysis, reads: Reads): Promise<GraphNode> {
    const targets = [namespaceKey(abs)]
    for (const [spec, line, column, kind] of a.loads) {
      const r = this.resolver.resolve(abs, spec, kind)
      targets.push(r.kind === 'source' ? loadedKey(r.abs) : this.leaf(r, spec, '*', abs, line, column, reads))
    }
    return {
      key,
      own: blake3(`loaded\n${a.loads.length}`),
      targets,
      file: this.rel(abs),
      binding: '(run)',
      line: 1,
      resolvedFrom: this.rel(abs),
    }
  }

  /**
   * A load of the files a pattern matches (`import(\`./locales/${lang}.json\`)`,
   * `import.meta.glob('./posts/*.md')`, `require.context('./icons')`): every file it matches, as
   * the bundler includes them, each like an `import()` of it. Each folder is recorded before it is
   * listed, so a file added or removed invalidates the answer.
   */
  private patternNode(key: string, from: string, name: string, reads: Reads): GraphNode {
    const [kind, line, column] = name.split(':', 3) as [LoadKind, string, string]
    const pattern = JSON.parse(name.slice(kind.length + line.length + column.length + 3)) as string[] | FileGlob
    const where = `${this.rel(from)}:${line}:${column}`
    const node: GraphNode = {
      key,
      own: '',
      targets: [],
      file: this.rel(from),
      binding: patternBinding(pattern),
      line: Number(line),
      resolvedFrom: where,
    }
    const matched = patternMatches(from, pattern, dir => this.resolver.noteFolder(dir))
    if (typeof matched === 'string') {
      node.own = blake3(`pattern\n${name}\nunlisted`)
      node.stop = `${describePattern(kind, pattern)} at ${where}, whose files cannot be listed: ${matched}`
      return node
    }
    const specs: string[] = []
    for (const { abs, query } of matched) {
      const spec = relativeSpecifier(from, abs) + query
      const r = this.resolver.resolve(from, spec, kind)
      node.targets.push(r.kind === 'source' ? namespaceKey(r.abs) : this.leaf(r, spec, '*', from, Number(line), Number(column), reads))
      specs.push(spec)
    }
    node.own = blake3(`pattern\n${JSON.stringify(pattern)}\n${kind}\n${specs.join('\n')}`)
    return node
  }

  /** A leaf for what is not parsed: packages, built-ins, JSON, assets, unresolved imports. */
  leaf(r: Resolved, spec: string, imported: string, from: string, line: number, column: number, reads: Reads): string {
    const key = leafKey(r, spec, imported)
    let made = this.leaves.get(key)
    if (!made) {
      made = this.makeLeaf(key, r, spec, imported, from, line, column)
      this.leaves.set(key, made)
    } else if (r.kind === 'unresolved') {
      this.warnUnresolved(r.error, spec, from, line, column)
    }
    for (const f of made.reads) reads.add(f)
    return key
  }

  private warnUnresolved(error: string, spec: string, from: string, line: number, column: number): void {
    this.warn(
      'unresolved-import',
      `${this.rel(from)}:${line}:${column}: cannot resolve '${spec}' (${error}). Changes behind it cannot be seen, so cached functions that reach it run uncached; fix the path, install the package, or declare the alias in tsconfig.json \`paths\` (a bundler's own aliases and conditions are read by its plugin).`,
      this.rel(from),
      line,
      column,
    )
  }

  private makeLeaf(
    key: string,
    r: Resolved,
    spec: string,
    imported: string,
    from: string,
    line: number,
    column: number,
  ): { node: GraphNode; reads: string[] } {
    const base = { key, targets: [], line: 0 }
    switch (r.kind) {
      case 'source':
        throw new Error('[smart-cache] internal: leaf() called for a source module')
      case 'package': {
        // A package is its whole tree: the versions of what it resolves to, transitively, and patches.
        const tree = this.trees.identity(r.dir)
        for (const f of tree.files) this.store.watch(f)
        const node = {
          ...base,
          own: blake3(`package\n${r.name}\n${r.version}\n${r.subpath}\n${imported}\n${tree.id}`),
          file: null,
          binding: imported,
          resolvedFrom: `${r.name}@${r.version} (${this.rel(r.abs)})`,
          leafId: `${r.name}${r.subpath}@${r.version}#${imported}`,
        }
        return { node, reads: tree.files }
      }
      case 'builtin':
        return {
          node: {
            ...base,
            own: blake3(`builtin\n${r.name}\n${imported}`),
            file: null,
            binding: imported,
            resolvedFrom: `node:${r.name}`,
            leafId: `node:${r.name}#${imported}`,
          },
          reads: [],
        }
      case 'json': {
        this.store.watch(r.abs)
        let text: string
        try {
          text = JSON.stringify(JSON.parse(readText(r.abs, this.rel(r.abs))))
        } catch (error) {
          throw new FingerprintError(
            `${this.rel(r.abs)} (imported at ${this.rel(from)}:${line}:${column}) is not valid JSON: ${(error as Error).message}`,
          )
        }
        return {
          node: { ...base, own: blake3(`json\n${text}`), file: this.rel(r.abs), binding: '*', resolvedFrom: this.rel(r.abs) },
          reads: [r.abs],
        }
      }
      case 'asset': {
        const { abs, query, unknown } = this.assetFile(r.abs, spec, from, line, column)
        this.store.watch(abs)
        const own = blake3(`asset\n${query === '' ? '' : `${query}\n`}${hashBytes(abs)}`)
        const node: GraphNode = { ...base, own, file: this.rel(abs), binding: '*', resolvedFrom: this.rel(abs) }
        if (unknown) node.stop = unknown
        return { node, reads: [abs] }
      }
      case 'unresolved':
        this.warnUnresolved(r.error, spec, from, line, column)
        return {
          node: {
            ...base,
            own: blake3(`unresolved\n${spec}\n${imported}`),
            file: null,
            binding: imported,
            resolvedFrom: `unresolved '${spec}'`,
            leafId: `${spec}#${imported}`,
            // smart-cache's own runtime (the caching, not the computation) may be external and not installed here.
            ...(isRuntime(spec) ? {} : { stop: `'${spec}' at ${this.rel(from)}:${line}:${column} cannot be resolved (${r.error})` }),
          },
          reads: [],
        }
    }
  }
}

/** Bundler queries whose import gives the file's bytes (as text, a URL, inlined or a WebAssembly init). */
const BYTE_QUERIES = new Set(['raw', 'url', 'inline', 'no-inline', 'init'])

/** tsconfig compiler options that change what a class compiles to. */
const CLASS_EMIT_OPTIONS = ['useDefineForClassFields', 'experimentalDecorators', 'target'] as const

/** What a function reaching a load of the modules a pattern matches (`import.meta.glob('./x/*.ts')`) reaches: why it is uncacheable. */
function patternStop(rel: string, [what, line, column]: [string, number, number]): string {
  if (what.includes(' with a computed '))
    return (
      `${what} at ${rel}:${line}:${column}: the files it may load (a bundler includes every match) are not followed, ` +
      `so an edit of one cannot be seen (import each file with a string literal specifier, or pass the loaded data as an argument)`
    )
  return (
    `${what} at ${rel}:${line}:${column}, which loads the modules a pattern matches, is not followed: its pattern is not ` +
    `relative ('./…', '../…') or its arguments are not literals, so an edit of one match, or a new match, cannot be seen ` +
    `(write the pattern and options as literals relative to the module, import those modules with string literal ` +
    `specifiers, or pass what they hold as an argument)`
  )
}

/** A unit's effects with slot indices turned into the graph keys its slots lead to. */
function nodeEffects(fx: Effects | undefined, targets: string[]): NodeEffects | undefined {
  if (!fx) return undefined
  const keys = (a?: number[]): string[] | undefined => (a && a.length > 0 ? [...new Set(a.map(i => targets[i]!))] : undefined)
  const out: NodeEffects = {}
  const w = keys(fx.w)
  if (w) out.w = w
  const passed = keys(fx.a)
  if (passed) out.a = passed
  if (fx.g) out.g = true
  const lw = keys(fx.lw)
  if (lw) out.lw = lw
  const la = keys(fx.la)
  if (la) out.la = la
  const lr = keys(fx.lr)
  if (lr) out.lr = lr
  if (fx.lg) out.lg = true
  return Object.keys(out).length > 0 ? out : undefined
}
