// The conformance case sets: the repository's own (`test/cases/<set>/<case>/`, always there) and the
// shared ones (`<repo root>/../shared/conformance/<set>/`, only beside a checkout and in CI).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

export interface Case {
  name: string
  level: 'must' | 'should'
  expect: 'same' | 'changed'
  target: string
  why: string
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
    .map((folder) => {
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
  return SHARED_SETS.filter(name => isDir(join(sharedCasesDir, name)))
    .map(name => ({ label: `shared/${name}`, dir: join(sharedCasesDir, name), cases: readCases(join(sharedCasesDir, name)) }))
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
