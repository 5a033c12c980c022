import { statSync } from 'node:fs'

/** A file's identity at one moment: enough to tell, without reading it, that it did not change. */
export interface Stamp {
  size: number
  mtimeMs: number
  ctimeMs: number
  ino: number
}

/** The stamp of a file now (`undefined`: no file there). */
export function stampOf(abs: string): Stamp | undefined {
  const s = statSync(abs, { throwIfNoEntry: false })
  if (!s || !s.isFile()) return undefined
  return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino }
}

/** True when the stamps are equal and old enough that equal stamps mean equal content. */
export function sameStamp(a: Stamp, b: Stamp): boolean {
  if (a.size !== b.size || a.mtimeMs !== b.mtimeMs || a.ctimeMs !== b.ctimeMs || a.ino !== b.ino) return false
  const now = Date.now()
  return now - a.mtimeMs > RACY_MS && now - a.ctimeMs > RACY_MS
}

/**
 * One fact about a path, as a string compared for equality: `f:size:mtime:ctime:ino` for a file,
 * `d:mtime:ctime:ino` for a folder (its mtime changes when an entry is added, removed or renamed),
 * `-` for nothing there. A stamp taken within the racy window (see files.ts) is `?`, which never
 * equals a later state: what was read so recently is checked again.
 */
export type PathState = string

/** Within this many milliseconds of a write, equal stamps prove nothing (the "racy git" problem). */
export const RACY_MS = 3000

const UNTRUSTED = '?'

function isRacy(mtimeMs: number, ctimeMs: number, now: number): boolean {
  return now - mtimeMs <= RACY_MS || now - ctimeMs <= RACY_MS
}

/** The state of a file from a stamp taken before it was read. */
export function fileState(stamp: Stamp | undefined, now = Date.now()): PathState {
  if (!stamp) return '-'
  if (isRacy(stamp.mtimeMs, stamp.ctimeMs, now)) return UNTRUSTED
  return `f:${stamp.size}:${stamp.mtimeMs}:${stamp.ctimeMs}:${stamp.ino}`
}

/** The state of any path now, even within the racy window: for comparisons inside one process. */
export function rawPathState(abs: string): PathState {
  return pathStates(abs).raw
}

/** The state of any path now (a folder, a file, or nothing). */
export function pathState(abs: string, now = Date.now()): PathState {
  return pathStates(abs, now).state
}

/** One stat, two answers: the state as recorded for other processes (`?` when racy), and as it is. */
export function pathStates(abs: string, now = Date.now()): { state: PathState; raw: PathState } {
  let s
  try {
    s = statSync(abs, { throwIfNoEntry: false })
  } catch (error) {
    // A file where a folder was expected: nothing there. Anything else proves nothing.
    const state = (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? '-' : UNTRUSTED
    return { state, raw: state }
  }
  if (!s) return { state: '-', raw: '-' }
  const raw = s.isDirectory() ? `d:${s.mtimeMs}:${s.ctimeMs}:${s.ino}` : `f:${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`
  return { state: isRacy(s.mtimeMs, s.ctimeMs, now) ? UNTRUSTED : raw, raw }
}

/** Whether a recorded state still holds (an untrusted one never does). */
export function stillHolds(abs: string, recorded: PathState, now = Date.now()): boolean {
  return recorded !== UNTRUSTED && pathState(abs, now) === recorded
}
