import { readFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import type { Facts } from '../store/answers.ts'
import { type Content, contentNow } from '../store/content.ts'
import { pathStates, rawPathState } from '../store/facts.ts'

/** The state of a path changed within the racy window (see store/facts.ts). */
const RACY = '?'
import type { LoadKind } from '../analyze/analysis-types.ts'
import type { ResolveOptions } from '../types.ts'
import { createBundleResolver, isRuntime, type Resolution, type BundleResolver } from './resolver-options.ts'

/** Where an import specifier leads. */
export type Resolved =
  | { kind: 'source'; abs: string }
  | { kind: 'json'; abs: string }
  | { kind: 'asset'; abs: string }
  | { kind: 'package'; name: string; version: string; subpath: string; abs: string; dir: string }
  | { kind: 'builtin'; name: string }
  | { kind: 'unresolved'; error: string }

const SOURCE = /\.(?:[cm]?[jt]sx?)$/
const DTS = /\.d\.[cm]?ts$/

/**
 * Resolves like the bundle does (relative paths, index files, `./x.js` meaning `./x.ts` when there
 * is no x.js, package `exports`, tsconfig `paths`, the bundler's aliases and conditions when given)
 * with oxc-resolver, and classifies the result. Results are
 * memoized until `clear()`.
 */
export class Resolver {
  private bundle: BundleResolver

  private memo = new Map<string, Resolved>()

  constructor(
    private root: string,
    options?: ResolveOptions,
  ) {
    this.bundle = createBundleResolver(options)
  }

  private packages = new Map<string, { name: string; version: string } | undefined>()

  /** State of each folder and file a resolution consulted, taken before it ran. */
  private consulted: Facts = new Map()
  /** Folders whose ancestors' node_modules, package.json and tsconfig.json are recorded. */
  private chains = new Set<string>()
  /** Folders with a tsconfig.json in or above them. */
  private underTsconfig = new Set<string>()
  /** Resolutions no folder stamp covers, repeated when stored answers are checked. */
  private repeat: Resolution[] = []

  resolve(fromFile: string, specifier: string, kind: LoadKind = 'i'): Resolved {
    const dir = dirname(fromFile)
    const key = `${dir}\0${specifier}\0${kind}`
    let r = this.memo.get(key)
    if (!r) {
      r = this.compute(fromFile, specifier, kind)
      this.memo.set(key, r)
    }
    return r
  }

  clear(): void {
    this.memo.clear()
    this.seen.clear()
    this.packages.clear()
    this.consulted.clear()
    this.racyContents.clear()
    this.chains.clear()
    this.underTsconfig.clear()
    this.repeat = []
    this.bundle.clearCache()
  }

  /** The resolutions to repeat before trusting stored answers. */
  resolutions(): Resolution[] {
    return this.repeat
  }

  /** What the resolutions so far depended on: a change to any of these paths may change one. */
  facts(): Facts {
    return this.consulted
  }

  private compute(fromFile: string, specifier: string, kind: LoadKind): Resolved {
    if (isBuiltin(specifier)) return { kind: 'builtin', name: specifier.replace(/^node:/, '') }
    const isRelative = specifier.startsWith('.') || isAbsolute(specifier)
    this.noteBefore(fromFile, specifier, isRelative)
    // resolveFileSync (not sync(dir)) so that `tsconfig: 'auto'` finds the file's tsconfig.json.
    const res = this.bundle.resolveFileSync(fromFile, specifier, kind)
    if (res.builtin) return { kind: 'builtin', name: res.builtin.resolved.replace(/^node:/, '') }
    const abs = res.path
    // The path itself: a file there is stamped by the store before it is read; anything else
    // (a folder's index or package.json, nothing) is recorded here.
    if (isRelative) this.noteUnlessTarget(resolve(dirname(fromFile), specifier), abs)
    const pkg = abs ? (this.packageOf(abs) ?? (isRuntime(specifier) ? this.linkedPackageOf(abs) : undefined)) : undefined
    if (!isRelative && (!pkg || specifier.startsWith('#') || this.underTsconfig.has(dirname(fromFile))))
      this.repeat.push(kind === 'i' ? [fromFile, specifier, abs ?? ''] : [fromFile, specifier, abs ?? '', kind])
    if (!abs) return { kind: 'unresolved', error: res.error ?? 'not found' }
    // A bare specifier that leads to source (tsconfig paths, a workspace link, `#imports`): a new
    // file in the folders above the target could take its place.
    if (!isRelative && !pkg) this.noteTargetFolders(abs)
    if (pkg) return { kind: 'package', ...pkg, subpath: subpathOf(specifier, pkg.name), abs }
    if (abs.endsWith('.json')) return { kind: 'json', abs }
    if (SOURCE.test(abs) && !DTS.test(abs)) return { kind: 'source', abs }
    return { kind: 'asset', abs }
  }

  /**
   * Records a folder whose listing decides an answer (the files a pattern of files matches),
   * before it is listed: a file added or removed there then invalidates that answer.
   */
  noteFolder(abs: string): void {
    this.note(abs)
  }

  private note(abs: string): string {
    let state = this.consulted.get(abs)
    if (state === undefined) {
      const states = pathStates(abs)
      this.consulted.set(abs, (state = states.state))
      this.seen.set(abs, states.raw)
      // A folder or file changed within the racy window (a checkout or an install just made it):
      // its stamp proves nothing, so its listing or bytes are taken now, before the resolution reads it.
      const kind = states.raw[0]
      if (state === RACY && (kind === 'd' || kind === 'f')) {
        const content = contentNow(abs, kind)
        if (content !== undefined) this.racyContents.set(abs, content)
      }
    }
    return state
  }

  /** Contents of the racy folders and files consulted (a listing, bytes), taken before any resolution read them. */
  private racyContents = new Map<string, Content>()

  /**
   * The content a racy path had before the resolutions that consulted it, when it still has it
   * (so they saw it, and a later job may check it by content); `undefined` otherwise.
   */
  racyContent(abs: string): Content | undefined {
    const before = this.racyContents.get(abs)
    return before !== undefined && contentNow(abs, before.startsWith('d:') ? 'd' : 'f') === before ? before : undefined
  }

  /** Each consulted path's state when consulted, racy or not (for `changed()`). */
  private seen = new Map<string, string>()

  /**
   * Whether a folder or path a resolution consulted changed since (an entry added or removed, a
   * symlink re-pointed, as a package manager does): its resolutions may now differ.
   */
  changed(): boolean {
    for (const [abs, state] of this.seen) if (rawPathState(abs) !== state) return true
    return false
  }

  /**
   * Records, before resolving, where a new or removed entry could change the result: for a
   * relative specifier the folder it points into and the path itself (a folder's index or
   * package.json); for a bare one every ancestor's node_modules (and @scope folder),
   * package.json (`imports`, self-references) and tsconfig.json (`paths`).
   */
  private noteBefore(fromFile: string, specifier: string, isRelative: boolean): void {
    const dir = dirname(fromFile)
    if (isRelative) {
      this.note(dirname(resolve(dir, specifier)))
      return
    }
    const scope = specifier.startsWith('@') ? specifier.split('/')[0]! : undefined
    const chainKey = `${dir}\0${scope ?? ''}`
    if (this.chains.has(chainKey)) return
    this.chains.add(chainKey)
    for (let d = dir; ; d = dirname(d)) {
      this.note(join(d, 'node_modules'))
      if (scope) this.note(join(d, 'node_modules', scope))
      this.note(join(d, 'package.json'))
      if (this.note(join(d, 'tsconfig.json')) !== '-') this.underTsconfig.add(dir)
      if (dirname(d) === d) break
    }
  }

  /**
   * Records the path a relative specifier names, unless it is the file it resolved to (the store
   * stamps that file before reading it). Noted after resolving: a change in between makes the
   * recorded state differ from the one resolved against, so stored answers are not trusted.
   */
  private noteUnlessTarget(base: string, target: string | undefined): void {
    if (base === target) return
    if (this.note(base).startsWith('d')) this.note(join(base, 'package.json'))
  }

  /** The folders from the target's up to (not including) the first that holds the project root. */
  private noteTargetFolders(abs: string): void {
    for (let d = dirname(abs); dirname(d) !== d && !isInside(this.root, d) && !this.chains.has(`target\0${d}`); d = dirname(d)) {
      this.chains.add(`target\0${d}`)
      this.note(d)
    }
  }

  /**
   * The package holding `abs` outside node_modules (a workspace link), found by its nearest
   * package.json: the runtime counts as its package, linked or installed, whichever build of it
   * the conditions pick.
   */
  private linkedPackageOf(abs: string): { name: string; version: string; dir: string } | undefined {
    for (let dir = dirname(abs); dirname(dir) !== dir; dir = dirname(dir)) {
      if (!this.packages.has(dir)) this.packages.set(dir, readPackage(dir))
      const pkg = this.packages.get(dir)
      if (pkg) return { dir, ...pkg }
    }
    return undefined
  }

  /** name@version of the installed package holding `abs`, when it lies under node_modules. */
  private packageOf(abs: string): { name: string; version: string; dir: string } | undefined {
    const norm = abs.replaceAll('\\', '/')
    const at = norm.lastIndexOf('/node_modules/')
    if (at === -1) return undefined
    const rest = norm.slice(at + '/node_modules/'.length).split('/')
    const depth = rest[0]!.startsWith('@') ? 2 : 1
    const dir = join(abs.slice(0, at), 'node_modules', ...rest.slice(0, depth))
    if (!this.packages.has(dir)) this.packages.set(dir, readPackage(dir))
    return { dir, ...(this.packages.get(dir) ?? { name: rest.slice(0, depth).join('/'), version: 'unknown' }) }
  }
}

/** Whether `path` is `dir` or lies inside it. */
function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

function readPackage(dir: string): { name: string; version: string } | undefined {
  try {
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string }
    if (typeof json.name !== 'string') return undefined
    return { name: json.name, version: String(json.version ?? 'unknown') }
  } catch {
    return undefined
  }
}

/** The part of a bare specifier after the package name (`lodash/fp` → `/fp`); '' for relative ones. */
function subpathOf(specifier: string, name: string): string {
  return specifier.startsWith(name) ? specifier.slice(name.length) : ''
}
