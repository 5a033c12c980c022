import { readFileSync } from 'node:fs'
import { basename, dirname, relative, resolve, sep } from 'node:path'
import { initHash } from '../hash.ts'
import { type Content, contentLater } from './content.ts'
import { type PathState, pathStates } from './facts.ts'
import { createBundleResolver, type Resolution } from '../graph/resolver-options.ts'
import type { ResolveOptions } from '../types.ts'

/** What stored answers were computed from: absolute path → its state before it was read. */
export type Facts = Map<string, PathState>

/** What was at a path when it was read (see content.ts), for the facts whose content is known. */
export type Contents = Map<string, Content>

/** Bumped when the file's shape or meaning changes: a facts file of another version vouches for nothing. */
const VERSION = 2

/**
 * The facts file beside the stored answers: states grouped by folder (root-relative), each with
 * the content seen there when known, the resolutions to repeat, the token of the answers file
 * written with it, and how many folders lie above the root (a depth, not a path: it says which
 * relative folder was the file system's root, see `readFacts`).
 */
interface FactsFile {
  v: number
  token: string
  up: number
  folders: Record<string, Array<[name: string, state: PathState, content?: Content]>>
  resolutions: Resolution[]
}

/** One fact to check: a path, its state when read, and its content then (when known). */
type Check = [abs: string, state: PathState, content: Content | undefined]

/** Facts and resolutions, as read back. */
export interface LoadedFacts {
  token: string
  resolutions: Resolution[]
  /** Every fact to check, in file order (a moved file may map two facts to one path: both must hold). */
  checks: Check[]
  /** Written for another root (the same project in another folder): stamps there prove nothing. */
  moved: boolean
  /** Set by a check that accepted a fact by its content: the states are new, the file is worth writing again. */
  refreshed?: boolean
}

const toRel = (root: string, abs: string): string => relative(root, abs).replaceAll('\\', '/')

/** How many folders lie above `dir` (0 for the file system's root). */
function depth(dir: string): number {
  let n = 0
  for (let d = dir; dirname(d) !== d; d = dirname(d)) n++
  return n
}

/** The JSON text of a facts file (paths relative to `root`). */
export function factsText(root: string, token: string, facts: Facts, resolutions: Resolution[], contents: Contents = new Map()): string {
  const folders: FactsFile['folders'] = {}
  for (const [abs, state] of facts) {
    const content = contents.get(abs)
    const entry: FactsFile['folders'][string][number] = content === undefined ? [basename(abs), state] : [basename(abs), state, content]
    ;(folders[toRel(root, dirname(abs))] ??= []).push(entry)
  }
  const repeat = resolutions.map(([from, spec, result, kind]): Resolution =>
    withKind([toRel(root, from), spec, result === '' ? '' : toRel(root, result)], kind),
  )
  return JSON.stringify({ v: VERSION, token, up: depth(root), folders, resolutions: repeat } satisfies FactsFile)
}

/**
 * Reads a facts file; throws when it is missing, malformed or of another version. `moved`: it was
 * written for another root, whose relative paths are read against this one. The facts of the file
 * system's root (the ancestors' node_modules, package.json and tsconfig.json that a bare import
 * looks for) are then also checked at each folder this root has above the old depth: a deeper
 * checkout has more ancestors where a resolution could find something.
 */
export function readFacts(file: string, root: string, moved = false): LoadedFacts {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as FactsFile
  if (raw.v !== VERSION || typeof raw.token !== 'string' || !Array.isArray(raw.resolutions) || typeof raw.up !== 'number')
    throw new Error('corrupt')
  const checks: Check[] = []
  const fsRoot = Array.from({ length: raw.up }, () => '..').join('/')
  const extra = moved && raw.up > 0 ? depth(root) - raw.up : 0
  for (const [dir, entries] of Object.entries(raw.folders)) {
    const dirs = [dir]
    if (dir === fsRoot) for (let k = 1; k <= extra; k++) dirs.push(`${fsRoot}/${Array.from({ length: k }, () => '..').join('/')}`)
    for (const d of dirs) {
      const base = resolve(root, d)
      const prefix = base.endsWith(sep) ? base : base + sep
      for (const [name, state, content] of entries) checks.push([name === '' ? base : prefix + name, state, content])
    }
  }
  const resolutions = raw.resolutions.map(([from, spec, result, kind]): Resolution =>
    withKind([resolve(root, from), spec, result === '' ? '' : resolve(root, result)], kind),
  )
  return { token: raw.token, resolutions, checks, moved }
}

const maps = new WeakMap<LoadedFacts, { facts: Facts; contents: Contents }>()

/** The facts and contents of loaded facts by path, made when first asked for (a warm check needs only the list). */
export function factMaps(loaded: LoadedFacts): { facts: Facts; contents: Contents } {
  let m = maps.get(loaded)
  if (!m) {
    m = { facts: new Map(), contents: new Map() }
    for (const [abs, state, content] of loaded.checks) {
      m.facts.set(abs, state)
      if (content !== undefined) m.contents.set(abs, content)
    }
    maps.set(loaded, m)
  }
  return m
}

/** Stats between two yields to the event loop when checking in the background. */
const SLICE = 256

/** Whether every repeated resolution gives the result recorded. */
function resolutionsAgree(resolutions: Resolution[], options: ResolveOptions | undefined): boolean {
  if (resolutions.length === 0) return true
  const resolver = createBundleResolver(options)
  return resolutions.every(([from, specifier, result, kind]) => (resolver.resolveFileSync(from, specifier, kind).path ?? '') === result)
}

/**
 * The facts, refreshed, if every one still holds and every repeated resolution gives the same
 * result; `undefined` otherwise. A fact holds when its path is still absent (`-`), when its stamp
 * is unchanged (an old stamp, never `?`, and never for a moved file), or else when the content
 * there now is the content recorded: the stamp, taken before the read, is then the fact's new
 * state (a fresh checkout of the same commit, a restored cache: one read and hash per file, then
 * stamps again). With `pause`, gives the event loop a turn after each slice of stats (a check
 * running in the background of a build fills the main thread's idle time).
 */
async function factsHold(
  loaded: LoadedFacts,
  options: ResolveOptions | undefined,
  pause?: () => Promise<void>,
): Promise<LoadedFacts | undefined> {
  let work = 0
  const checks: Check[] = []
  /** Indices of the facts to check by content, whose stamps (taken first) are in `checks`. */
  const reread: number[] = []
  for (const [abs, state, content] of loaded.checks) {
    const now = pathStates(abs)
    if (state === '-' ? now.state === '-' : !loaded.moved && state !== '?' && now.state === state) checks.push([abs, state, content])
    else if (content === undefined || state === '-' || now.raw[0] !== kindOf(content)) return undefined
    else {
      reread.push(checks.length)
      checks.push([abs, now.state, content])
    }
    if (pause && ++work >= SLICE) {
      work = 0
      await pause()
    }
  }
  if (reread.length > 0 && !(await contentsHold(checks, reread))) return undefined
  if (!resolutionsAgree(loaded.resolutions, options)) return undefined
  if (reread.length === 0) return loaded
  return { ...loaded, checks, refreshed: reread.some(i => checks[i]![1] !== loaded.checks[i]![1]) }
}

/** `f` for a file's content, `d` for a folder's. */
const kindOf = (content: Content): 'f' | 'd' => (content.startsWith('d:') ? 'd' : 'f')

/** Reads at once while checking by content. */
const BATCH = 64

/** Whether the content at each `checks[i]` (for `i` in `reread`) is the one recorded; stops at the first that is not. */
async function contentsHold(checks: Check[], reread: number[]): Promise<boolean> {
  await initHash()
  for (let at = 0; at < reread.length; at += BATCH) {
    const batch = reread.slice(at, at + BATCH).map(i => checks[i]!)
    const now = await Promise.all(batch.map(([abs, , content]) => contentLater(abs, kindOf(content!))))
    if (now.some((c, i) => c !== batch[i]![2])) return false
  }
  return true
}

/** The facts of a facts file (refreshed, see `factsHold`), if all hold now; `undefined` otherwise. */
export async function checkFactsFile(
  file: string,
  root: string,
  moved = false,
  options?: ResolveOptions,
): Promise<LoadedFacts | undefined> {
  try {
    return await factsHold(readFacts(file, root, moved), options)
  } catch {
    return undefined
  }
}

/** `checkFactsFile` in slices, yielding to the event loop between them. */
export async function checkFactsFileInBackground(
  file: string,
  root: string,
  moved = false,
  options?: ResolveOptions,
): Promise<LoadedFacts | undefined> {
  try {
    return await factsHold(readFacts(file, root, moved), options, () => new Promise(resolve => setImmediate(resolve)))
  } catch {
    return undefined
  }
}

/** A resolution made with the `require` condition carries its kind; the `import` ones do not. */
function withKind(r: Resolution, kind: Resolution[3]): Resolution {
  return kind === 'r' ? [r[0], r[1], r[2], 'r'] : r
}
