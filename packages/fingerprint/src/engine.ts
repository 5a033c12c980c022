import { existsSync } from 'node:fs'
import { extname, isAbsolute, join, relative, resolve } from 'node:path'
import type { FileAnalysis, Ref } from './analyze/types.ts'
import { DEFAULT_LOCAL } from './analyze/module.ts'
import { DiskCache } from './disk-cache.ts'
import { FingerprintError } from './errors.ts'
import { hashBytes, readText, sameStamp, type Stamp, stampOf } from './files.ts'
import { blake3, initHash } from './hash.ts'
import { AnalyzerPool } from './pool.ts'
import { type Resolved, Resolver } from './resolve.ts'
import { hashReachable } from './scc.ts'
import type { BindingFingerprint, DependencyInfo, EngineWarning, ExplainNode, Fingerprinter, FingerprinterOptions } from './types.ts'

/** Bumped whenever normalization changes: it is part of every on-disk cache key. */
export const ENGINE_VERSION = 'fp-1'

/** A node of the dependency graph. Keys hold absolute paths but are never hashed. */
interface GraphNode {
  key: string
  own: string
  targets: string[]
  file: string | null
  binding: string
  line: number
  resolvedFrom: string
  leafId?: string
}

interface FileRecord { stamp: Stamp, hash: string, analysis: FileAnalysis }

/** True when the file still has the content recorded (stamp first, content hash when in doubt). */
function unchanged(abs: string, rec: { stamp: Stamp | undefined, hash: string }): boolean {
  const now = stampOf(abs)
  if (!now || !rec.stamp) return !now && !rec.stamp
  if (sameStamp(rec.stamp, now)) return true
  try {
    if (hashBytes(abs) !== rec.hash) return false
  }
  catch {
    return false
  }
  rec.stamp = now
  return true
}

const bindingKey = (abs: string, name: string): string => `b\0${abs}\0${name}`
const namespaceKey = (abs: string): string => `n\0${abs}`
const display = (name: string): string => (name === DEFAULT_LOCAL ? 'default' : name)

/** Creates a fingerprint engine for one project root. */
export function createFingerprinter(options: FingerprinterOptions): Fingerprinter {
  return new Engine(options)
}

class Engine implements Fingerprinter {
  private root: string
  private disk: DiskCache
  private pool = new AnalyzerPool(new URL('./worker.mjs', import.meta.url))
  private resolver = new Resolver(abs => this.watch(abs))
  private files = new Map<string, FileRecord>()
  /** Other files a result depends on (package.json of packages, JSON and asset imports). */
  private side = new Map<string, { stamp: Stamp | undefined, hash: string }>()
  private loading = new Map<string, Promise<FileAnalysis>>()
  private byContent = new Map<string, FileAnalysis>()
  private nodes = new Map<string, GraphNode>()
  private full = new Map<string, string>()
  private dirty = false
  private warningList: EngineWarning[] = []
  private warningSeen = new Set<string>()

  constructor(options: FingerprinterOptions) {
    if (!options || typeof options.root !== 'string' || !isAbsolute(options.root)) {
      throw new FingerprintError(`createFingerprinter({ root }) needs an absolute root folder, got ${JSON.stringify(options?.root)}. Pass path.resolve(yourRoot).`)
    }
    this.root = resolve(options.root)
    const cacheDir = options.cacheDir ?? join(this.root, 'node_modules', '.cache', 'smart-cache', 'engine')
    this.disk = new DiskCache(cacheDir === false ? false : join(cacheDir, ENGINE_VERSION))
  }

  get warnings(): readonly EngineWarning[] {
    return this.warningList
  }

  invalidate(absFile: string): void {
    this.files.delete(resolve(this.root, absFile))
    this.dirty = true
  }

  close(): Promise<void> {
    return this.pool.close()
  }

  async fingerprint(file: string, name: string): Promise<BindingFingerprint> {
    await this.begin()
    const abs = this.abs(file)
    const key = await this.targetKey(abs, name)
    await this.build(key)
    return this.result(abs, name, key)
  }

  async fingerprintFile(file: string): Promise<Record<string, BindingFingerprint>> {
    await this.begin()
    const abs = this.abs(file)
    const out: Record<string, BindingFingerprint> = {}
    for (const name of await this.exportNames(abs)) {
      const key = await this.targetKey(abs, name)
      await this.build(key)
      out[name] = this.result(abs, name, key)
    }
    return out
  }

  async explain(file: string, name: string): Promise<ExplainNode> {
    await this.begin()
    const abs = this.abs(file)
    const key = await this.targetKey(abs, name)
    await this.build(key)
    return this.tree(key)
  }

  // ---- generations: every call re-checks the files it knows ----

  private async begin(): Promise<void> {
    await initHash()
    let changed = this.dirty
    for (const [abs, rec] of this.files) {
      if (!unchanged(abs, rec)) {
        this.files.delete(abs)
        changed = true
      }
    }
    for (const [abs, rec] of this.side) {
      if (!unchanged(abs, rec)) {
        this.side.delete(abs)
        changed = true
      }
    }
    if (changed) {
      this.side.clear()
      this.nodes.clear()
      this.full.clear()
      this.resolver.clear()
      this.dirty = false
    }
  }

  // ---- files ----

  /** Remembers a non-source file that a result depends on, to re-check it on the next call. */
  private watch(abs: string): void {
    if (this.side.has(abs)) return
    const stamp = stampOf(abs)
    let hash = 'missing'
    try {
      if (stamp) hash = hashBytes(abs)
    }
    catch {}
    this.side.set(abs, { stamp, hash })
  }

  private abs(file: string): string {
    const abs = resolve(this.root, file)
    if (!existsSync(abs)) throw new FingerprintError(`cannot find ${this.rel(abs)} (resolved against the root ${JSON.stringify(this.root)}). Check the path.`)
    return abs
  }

  private rel(abs: string): string {
    return relative(this.root, abs).replaceAll('\\', '/')
  }

  private analysis(abs: string): Promise<FileAnalysis> {
    const rec = this.files.get(abs)
    if (rec) return Promise.resolve(rec.analysis)
    let p = this.loading.get(abs)
    if (!p) {
      p = this.load(abs).finally(() => this.loading.delete(abs))
      this.loading.set(abs, p)
    }
    return p
  }

  private async load(abs: string): Promise<FileAnalysis> {
    const rel = this.rel(abs)
    const stamp = stampOf(abs)
    if (!stamp) throw new FingerprintError(`cannot read ${rel}: not a file.`)
    const { text, hash } = readText(abs, rel)
    const ext = extname(abs)
    const key = blake3(`${ENGINE_VERSION}\n${ext}\n${hash}`)
    let analysis = this.byContent.get(key) ?? this.disk.get(key)
    if (!analysis) {
      const result = await this.pool.analyze(`file${ext}`, text)
      if (!result.ok) {
        const e = result.error
        throw new FingerprintError(`syntax error at ${rel}:${e.line}:${e.column}: ${e.message}\n${e.codeframe.replace(/\[file\.[a-z]+:/g, `[${rel}:`)}`)
      }
      analysis = result.analysis
      this.disk.set(key, analysis)
    }
    this.byContent.set(key, analysis)
    this.files.set(abs, { stamp, hash, analysis })
    for (const w of analysis.warnings) this.warn('untracked-dynamic-import', `${rel}:${w.line}:${w.column}: ${w.message}`, rel, w.line, w.column)
    return analysis
  }

  private warn(code: string, text: string, file?: string, line?: number, column?: number): void {
    const message = `[smart-cache] ${text}`
    if (this.warningSeen.has(message)) return
    this.warningSeen.add(message)
    this.warningList.push({ code, message, file, line, column })
  }

  // ---- names ----

  /** Graph key of a requested name: an export, a module-level binding, or `Class.member` (whole class). */
  private async targetKey(abs: string, name: string): Promise<string> {
    const a = await this.analysis(abs)
    if (name in a.exports) return this.exportTarget(abs, name)
    if (name in a.names) return bindingKey(abs, name)
    if (name in a.imports) return this.refTarget(abs, ['x', ...a.imports[name]!])
    const dot = name.indexOf('.')
    if (dot > 0) return this.targetKey(abs, name.slice(0, dot))
    if ((await this.exportNames(abs)).includes(name)) return this.exportTarget(abs, name)
    const known = Object.keys(a.exports).sort().join(', ') || '(none)'
    throw new FingerprintError(`${this.rel(abs)} has no export or module-level binding named '${name}'. Its exports: ${known}.`)
  }

  /** Every export name of a file, including those of `export *` (iterative, cycle-safe). */
  private async exportNames(abs: string): Promise<string[]> {
    const names = new Set<string>()
    const seen = new Set<string>()
    const stack = [abs]
    while (stack.length > 0) {
      const cur = stack.pop()!
      if (seen.has(cur)) continue
      seen.add(cur)
      const a = await this.analysis(cur)
      for (const n of Object.keys(a.exports)) if (cur === abs || n !== 'default') names.add(n)
      for (const [spec] of a.stars) {
        const r = this.resolver.resolve(cur, spec)
        if (r.kind === 'source') stack.push(r.abs)
      }
    }
    return [...names].sort()
  }

  /** Follows an export through re-exports and `export *` to what defines it (a loop, not recursion). */
  private async exportTarget(startAbs: string, startName: string): Promise<string> {
    const seen = new Set<string>()
    let abs = startAbs
    let name = startName
    for (;;) {
      if (name === '*') return namespaceKey(abs)
      const step = `${abs}\0${name}`
      const a = await this.analysis(abs)
      if (seen.has(step)) {
        this.warn('missing-export', `${this.rel(abs)}: export '${name}' is part of a re-export cycle. The fingerprint depends on the whole module.`, this.rel(abs))
        return namespaceKey(abs)
      }
      seen.add(step)
      const e = a.exports[name]
      let next: [string, string, number, number] | undefined
      if (e?.[0] === 'local') {
        if (e[1] in a.names) return bindingKey(abs, e[1])
        next = a.imports[e[1]]
        if (!next) {
          this.warn('missing-export', `${this.rel(abs)}: export '${name}' names '${e[1]}', which the module does not declare. The fingerprint depends on the whole module.`, this.rel(abs))
          return namespaceKey(abs)
        }
      }
      else if (e) {
        next = [e[1], e[2], e[3], e[4]]
      }
      else {
        const found = await this.findInStars(abs, name)
        if (typeof found === 'string') return found
        if (!found) {
          if (a.esm) this.warn('missing-export', `${this.rel(abs)} has no export '${name}'. The fingerprint depends on the whole module; check the import.`, this.rel(abs))
          return namespaceKey(abs)
        }
        abs = found.abs
        continue
      }
      const r = this.resolver.resolve(abs, next[0])
      if (r.kind !== 'source') return this.leaf(r, next[0], next[1], abs, next[2], next[3])
      abs = r.abs
      name = next[1]
    }
  }

  /**
   * Which module reached through `export *` provides `name`: a source module that exports it
   * directly, the only package among the stars, or the namespace when several packages might.
   */
  private async findInStars(abs: string, name: string): Promise<{ abs: string } | string | undefined> {
    if (name === 'default') return undefined
    const seen = new Set<string>([abs])
    const external: string[] = []
    const stack: Array<[string, [string, number, number]]> = (await this.analysis(abs)).stars.map(s => [abs, s] as [string, [string, number, number]]).reverse()
    while (stack.length > 0) {
      const [from, [spec, line, column]] = stack.pop()!
      const r = this.resolver.resolve(from, spec)
      if (r.kind !== 'source') {
        external.push(this.leaf(r, spec, name, from, line, column))
        continue
      }
      if (seen.has(r.abs)) continue
      seen.add(r.abs)
      const a = await this.analysis(r.abs)
      if (name in a.exports) return { abs: r.abs }
      for (let i = a.stars.length - 1; i >= 0; i--) stack.push([r.abs, a.stars[i]!])
    }
    if (external.length === 1) return external[0]
    if (external.length > 1) return namespaceKey(abs)
    return undefined
  }

  /** Graph key of what a slot points at. */
  private async refTarget(abs: string, ref: Ref): Promise<string> {
    if (ref[0] === 'n') return bindingKey(abs, ref[1])
    const [, spec, imported, line, column] = ref
    const r = this.resolver.resolve(abs, spec)
    if (r.kind === 'source') return this.exportTarget(r.abs, imported)
    return this.leaf(r, spec, imported, abs, line, column)
  }

  /** A leaf node for what is not parsed: packages, built-ins, JSON, assets, unresolved imports. */
  private leaf(r: Resolved, spec: string, imported: string, from: string, line: number, column: number): string {
    let key: string
    let node: Omit<GraphNode, 'key' | 'targets' | 'line'>
    switch (r.kind) {
      case 'source':
        throw new Error('[smart-cache] internal: leaf() called for a source module')
      case 'package':
        key = `p\0${r.name}@${r.version}\0${r.subpath}\0${imported}`
        node = { own: blake3(`package\n${r.name}\n${r.version}\n${r.subpath}\n${imported}`), file: null, binding: imported, resolvedFrom: `${r.name}@${r.version} (${this.rel(r.abs)})`, leafId: `${r.name}${r.subpath}@${r.version}#${imported}` }
        break
      case 'builtin':
        key = `B\0${r.name}\0${imported}`
        node = { own: blake3(`builtin\n${r.name}\n${imported}`), file: null, binding: imported, resolvedFrom: `node:${r.name}`, leafId: `node:${r.name}#${imported}` }
        break
      case 'json': {
        key = `j\0${r.abs}`
        this.watch(r.abs)
        let text: string
        try {
          text = JSON.stringify(JSON.parse(readText(r.abs, this.rel(r.abs)).text))
        }
        catch (error) {
          throw new FingerprintError(`${this.rel(r.abs)} (imported at ${this.rel(from)}:${line}:${column}) is not valid JSON: ${(error as Error).message}`)
        }
        node = { own: blake3(`json\n${text}`), file: this.rel(r.abs), binding: '*', resolvedFrom: this.rel(r.abs) }
        break
      }
      case 'asset':
        key = `a\0${r.abs}`
        this.watch(r.abs)
        node = { own: blake3(`asset\n${hashBytes(r.abs)}`), file: this.rel(r.abs), binding: '*', resolvedFrom: this.rel(r.abs) }
        break
      case 'unresolved':
        key = `u\0${spec}\0${imported}`
        this.warn('unresolved-import', `${this.rel(from)}:${line}:${column}: cannot resolve '${spec}' (${r.error}). The fingerprint uses the specifier only, so changes behind it are not seen; fix the path or install the package.`, this.rel(from), line, column)
        node = { own: blake3(`unresolved\n${spec}\n${imported}`), file: null, binding: imported, resolvedFrom: `unresolved '${spec}'`, leafId: `${spec}#${imported}` }
        break
    }
    if (!this.nodes.has(key)) this.nodes.set(key, { key, targets: [], line: 0, ...node })
    return key
  }

  // ---- graph ----

  /** Builds every node reachable from `root` (breadth-first, a level at a time) and hashes them. */
  private async build(root: string): Promise<void> {
    let frontier = [root]
    const queued = new Set(frontier)
    while (frontier.length > 0) {
      const built = await Promise.all(frontier.map(k => this.node(k)))
      frontier = []
      for (const n of built) {
        for (const t of n.targets) {
          if (!queued.has(t) && !this.nodes.has(t)) {
            queued.add(t)
            frontier.push(t)
          }
        }
      }
    }
    hashReachable(root, this.nodes, this.full)
  }

  private async node(key: string): Promise<GraphNode> {
    const have = this.nodes.get(key)
    if (have) return have
    const [kind, abs, name] = key.split('\0') as [string, string, string]
    const a = await this.analysis(abs)
    let node: GraphNode
    if (kind === 'b') {
      const info = a.names[name]
      if (!info) throw new Error(`[smart-cache] internal: no binding '${name}' in ${this.rel(abs)}`)
      const targets = await Promise.all(info.slots.map(s => this.refTarget(abs, s)))
      node = { key, own: info.own, targets, file: this.rel(abs), binding: display(name), line: info.line, resolvedFrom: `${this.rel(abs)}:${info.line}` }
    }
    else {
      node = await this.namespaceNode(key, abs, a)
    }
    this.nodes.set(key, node)
    return node
  }

  /** A whole module: its export names and what they lead to, its `export *` sources and its top-level statements. */
  private async namespaceNode(key: string, abs: string, a: FileAnalysis): Promise<GraphNode> {
    const names = Object.keys(a.exports).sort()
    const targets = await Promise.all(names.map(n => this.exportTarget(abs, n)))
    for (const [spec, line, column] of a.stars) {
      const r = this.resolver.resolve(abs, spec)
      targets.push(r.kind === 'source' ? namespaceKey(r.abs) : this.leaf(r, spec, '*', abs, line, column))
    }
    for (const s of a.effects.slots) targets.push(await this.refTarget(abs, s))
    const own = blake3(`namespace\n${JSON.stringify(names)}\n${a.stars.length}\n${a.effects.own}\n${a.effects.slots.length}`)
    return { key, own, targets, file: this.rel(abs), binding: '*', line: 1, resolvedFrom: this.rel(abs) }
  }

  // ---- results ----

  private result(abs: string, name: string, key: string): BindingFingerprint {
    const deps: DependencyInfo[] = []
    const seen = new Set([key])
    const stack = [...this.nodes.get(key)!.targets]
    while (stack.length > 0) {
      const k = stack.pop()!
      if (seen.has(k)) continue
      seen.add(k)
      const n = this.nodes.get(k)!
      if (n.file !== null && (k[0] === 'b' || k[0] === 'n')) deps.push({ file: n.file, binding: n.binding, hash: n.own, line: n.line })
      stack.push(...n.targets)
    }
    deps.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.binding < y.binding ? -1 : x.binding > y.binding ? 1 : 0))
    return { id: `${this.rel(abs)}#${name}`, hash: this.full.get(key)!, deps }
  }

  /** The explain tree, built without recursion; a node shown before is marked `repeated`. */
  private tree(rootKey: string): ExplainNode {
    const make = (k: string): ExplainNode => {
      const n = this.nodes.get(k)!
      const id = n.leafId ?? `${n.file}#${n.binding}`
      return { id, file: n.leafId ? null : n.file, binding: n.binding, hash: this.full.get(k)!, ownHash: n.own, resolvedFrom: n.resolvedFrom, children: [] }
    }
    const root = make(rootKey)
    const shown = new Set([rootKey])
    const stack: Array<[string, ExplainNode]> = [[rootKey, root]]
    while (stack.length > 0) {
      const [k, out] = stack.pop()!
      for (const t of this.nodes.get(k)!.targets) {
        const child = make(t)
        out.children.push(child)
        if (shown.has(t)) child.repeated = true
        else {
          shown.add(t)
          stack.push([t, child])
        }
      }
    }
    return root
  }
}

