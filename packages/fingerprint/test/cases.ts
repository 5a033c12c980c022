// The conformance case sets: the repository's own (`test/cases/<set>/<case>/`, always there) and the
// shared ones (`<repo root>/../shared/conformance/<set>/`, only beside a checkout and in CI).
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

export interface Case {
  name: string
  level: 'must' | 'should'
  expect: 'same' | 'changed'
  target: string
  why: string
  /** Repository soundness cases only: the class of the rule the case checks (the README table's groups). */
  class?: string
  /** Repository cases only: a function expression `(target) => value` that the differential check runs. */
  probe?: string
}

export interface CaseSet {
  /** `own/soundness`, `shared/fingerprint`… */
  label: string
  dir: string
  cases: Case[]
}

export const repoRoot = resolve(import.meta.dirname, '../../..')
export const ownCasesDir = join(import.meta.dirname, 'cases')
export const sharedCasesDir = resolve(repoRoot, '../shared/conformance')
/** The shared sets the suite runs where `../shared` exists. */
export const SHARED_SETS = ['fingerprint', 'soundness'] as const

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}

/** Every case folder of `dir` (a folder with a case.json), sorted by name. */
export function readCases(dir: string): Case[] {
  return readdirSync(dir)
    .filter(name => existsSync(join(dir, name, 'case.json')))
    .sort()
    .map(folder => {
      const c = JSON.parse(readFileSync(join(dir, folder, 'case.json'), 'utf8')) as Case
      if (c.name !== folder) throw new Error(`[smart-cache] ${join(dir, folder, 'case.json')}: name "${c.name}" is not the folder's name`)
      return c
    })
}

/** The repository's own sets: each folder under test/cases that holds cases. */
export function ownSets(): CaseSet[] {
  return readdirSync(ownCasesDir)
    .filter(name => isDir(join(ownCasesDir, name)))
    .sort()
    .map(name => ({ label: `own/${name}`, dir: join(ownCasesDir, name), cases: readCases(join(ownCasesDir, name)) }))
}

/** The shared sets, or `undefined` on a clone without `../shared`. */
export function sharedSets(): CaseSet[] | undefined {
  if (!isDir(sharedCasesDir)) return undefined
  return SHARED_SETS.filter(name => isDir(join(sharedCasesDir, name))).map(name => ({
    label: `shared/${name}`,
    dir: join(sharedCasesDir, name),
    cases: readCases(join(sharedCasesDir, name)),
  }))
}

/** Digest of a folder's tree: every relative path with its bytes (a link with its target). */
export function folderDigest(dir: string): string {
  const hash = createHash('sha256')
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = rel ? `${rel}/${e.name}` : e.name
      if (e.isDirectory()) {
        hash.update(`d ${path}\0`)
        walk(path)
      } else {
        hash.update(`${e.isSymbolicLink() ? 'l' : 'f'} ${path}\0`)
        hash.update(e.isSymbolicLink() ? readlinkSync(join(dir, path)) : readFileSync(join(dir, path)))
        hash.update('\0')
      }
    }
  }
  walk('')
  return hash.digest('hex')
}

/** Whether the repository's set of the same name holds `c` with the same name and content. */
function ownCopy(set: CaseSet, c: Case, own: CaseSet[]): boolean {
  const mine = own.find(o => o.label === set.label.replace(/^shared\//, 'own/'))
  if (!mine?.cases.some(m => m.name === c.name)) return false
  return folderDigest(join(mine.dir, c.name)) === folderDigest(join(set.dir, c.name))
}

/**
 * The shared sets without the cases the repository holds a byte-identical copy of (those run once,
 * as the repository's); a shared case that differs from the repository's copy still runs.
 */
export function withoutOwnCopies(shared: CaseSet[], own: CaseSet[]): { sets: CaseSet[]; skipped: string[] } {
  const skipped: string[] = []
  const sets = shared.map(set => ({
    ...set,
    cases: set.cases.filter(c => {
      const copy = ownCopy(set, c, own)
      if (copy) skipped.push(`${set.label}/${c.name}`)
      return !copy
    }),
  }))
  return { sets, skipped }
}

/** One line for the log: whether the shared cases run, and how many. */
export function sharedSummary(shared: CaseSet[] | undefined): string {
  if (!shared) return `[conformance] shared cases: not run (no ${sharedCasesDir}); the repository's own cases ran`
  const counts = shared.map(s => `${s.label} ${s.cases.length}`).join(', ')
  return `[conformance] shared cases: ran (${counts}) from ${sharedCasesDir}`
}

/** `FILE#EXPORT` → [FILE, EXPORT] (the export is after the last '#'). */
export function splitTarget(target: string): [string, string] {
  const i = target.lastIndexOf('#')
  return [target.slice(0, i), target.slice(i + 1)]
}
