import { readFileSync } from 'node:fs'
import { dirname, relative, resolve, sep } from 'node:path'
import { type PathState, stillHolds } from './facts.ts'
import { createResolverFactory, type Resolution } from '../graph/resolver-options.ts'

/** What stored answers were computed from: absolute path → its state before it was read. */
export type Facts = Map<string, PathState>

/**
 * The facts file beside the stored answers: states grouped by folder (root-relative), the
 * resolutions to repeat, and the token of the answers file written with it.
 */
interface FactsFile {
  token: string
  folders: Record<string, Array<[name: string, state: PathState]>>
  resolutions: Resolution[]
}

/** Facts and resolutions, as read back. */
export interface LoadedFacts {
  token: string
  facts: Facts
  resolutions: Resolution[]
}

const toRel = (root: string, abs: string): string => relative(root, abs).replaceAll('\\', '/')

/** The JSON text of a facts file (paths relative to `root`). */
export function factsText(root: string, token: string, facts: Facts, resolutions: Resolution[]): string {
  const folders: FactsFile['folders'] = {}
  for (const [abs, state] of facts) {
    const dir = toRel(root, dirname(abs))
    ;(folders[dir] ??= []).push([abs.slice(dirname(abs).length + 1), state])
  }
  const repeat = resolutions.map(([from, spec, result, kind]): Resolution =>
    withKind([toRel(root, from), spec, result === '' ? '' : toRel(root, result)], kind),
  )
  return JSON.stringify({ token, folders, resolutions: repeat } satisfies FactsFile)
}

/** Reads a facts file; throws when it is missing or malformed. */
export function readFacts(file: string, root: string): LoadedFacts {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as FactsFile
  if (typeof raw.token !== 'string' || !Array.isArray(raw.resolutions)) throw new Error('corrupt')
  const facts: Facts = new Map()
  for (const [dir, entries] of Object.entries(raw.folders)) {
    const base = resolve(root, dir)
    const prefix = base.endsWith(sep) ? base : base + sep
    for (const [name, state] of entries) facts.set(prefix + name, state)
  }
  const resolutions = raw.resolutions.map(([from, spec, result, kind]): Resolution =>
    withKind([resolve(root, from), spec, result === '' ? '' : resolve(root, result)], kind),
  )
  return { token: raw.token, facts, resolutions }
}

/** Facts checked between two yields to the event loop when checking in the background. */
const SLICE = 256

/** Whether every repeated resolution gives the result recorded. */
function resolutionsAgree(resolutions: Resolution[]): boolean {
  if (resolutions.length === 0) return true
  const resolver = createResolverFactory()
  return resolutions.every(([from, specifier, result, kind]) => (resolver.resolveFileSync(from, specifier, kind).path ?? '') === result)
}

/**
 * Whether every fact still holds and every repeated resolution gives the same result. With
 * `pause`, gives the event loop a turn after each slice (a check running in the background of a
 * build fills the main thread's idle time instead of holding up the bundler's hooks).
 */
async function factsHold({ facts, resolutions }: LoadedFacts, pause?: () => Promise<void>): Promise<boolean> {
  let n = 0
  for (const [abs, state] of facts) {
    if (!stillHolds(abs, state, Date.now())) return false
    if (pause && ++n % SLICE === 0) await pause()
  }
  return resolutionsAgree(resolutions)
}

function factsHoldNow({ facts, resolutions }: LoadedFacts): boolean {
  const now = Date.now()
  for (const [abs, state] of facts) if (!stillHolds(abs, state, now)) return false
  return resolutionsAgree(resolutions)
}

/** The token of the answers the facts file vouches for, if all its facts hold now; `undefined` otherwise. */
export function checkFactsFile(file: string, root: string): string | undefined {
  try {
    const loaded = readFacts(file, root)
    return factsHoldNow(loaded) ? loaded.token : undefined
  } catch {
    return undefined
  }
}

/** `checkFactsFile` in slices, yielding to the event loop between them. */
export async function checkFactsFileInBackground(file: string, root: string): Promise<string | undefined> {
  try {
    const loaded = readFacts(file, root)
    return (await factsHold(loaded, () => new Promise(resolve => setImmediate(resolve)))) ? loaded.token : undefined
  } catch {
    return undefined
  }
}

/** A resolution made with the `require` condition carries its kind; the `import` ones do not. */
function withKind(r: Resolution, kind: Resolution[3]): Resolution {
  return kind === 'r' ? [r[0], r[1], r[2], 'r'] : r
}
