import type { DependencyInfo } from '../types.ts'

/** One row of a dep table: a `DependencyInfo` as an array. */
export type DepRow = [file: string, binding: string, hash: string, line: number]

/** Lists of deps stored once: every distinct entry is a row, each list is runs of consecutive rows. */
export interface PackedDeps {
  rows: DepRow[]
  /** `[start, length, start, length…]` runs of rows, per list, in the order given. */
  lists: number[][]
}

const compare = (x: string | number, y: string | number): number => (x < y ? -1 : x > y ? 1 : 0)
const byContent = (x: DependencyInfo, y: DependencyInfo): number =>
  compare(x.file, y.file) || compare(x.binding, y.binding) || compare(x.hash, y.hash) || compare(x.line, y.line)

/**
 * Packs dep lists (`fingerprint()`'s `deps`, sorted by file then binding) that share most entries:
 * fifty functions of a large app each reach the same ten thousand bindings. Rows are sorted in the
 * lists' own order, so a list is a few runs of consecutive rows. Entries with the same content share
 * a row; lists keep their order and their repeats.
 */
export function packDeps(lists: DependencyInfo[][]): PackedDeps {
  const byText = new Map<string, DependencyInfo>()
  const canonical = new Map<DependencyInfo, DependencyInfo>()
  for (const list of lists) {
    for (const d of list) {
      if (canonical.has(d)) continue
      const text = `${d.file}\0${d.binding}\0${d.hash}\0${d.line}`
      let row = byText.get(text)
      if (!row) {
        row = d
        byText.set(text, d)
      }
      canonical.set(d, row)
    }
  }
  const sorted = [...byText.values()].sort(byContent)
  const index = new Map(sorted.map((d, i) => [d, i]))
  for (const [d, row] of canonical) if (d !== row) index.set(d, index.get(row)!)
  return {
    rows: sorted.map(d => [d.file, d.binding, d.hash, d.line]),
    lists: lists.map(list => runsOf(list.map(d => index.get(d)!))),
  }
}

/** `[start, length…]` runs of consecutive indices. */
function runsOf(indices: number[]): number[] {
  const runs: number[] = []
  for (const i of indices) {
    const last = runs.length - 2
    if (last >= 0 && runs[last]! + runs[last + 1]! === i) runs[last + 1]!++
    else runs.push(i, 1)
  }
  return runs
}

/**
 * Unpacks what `packDeps` made, from untrusted JSON: rows become shared `DependencyInfo` objects.
 * Throws a plain `Error` naming what is malformed; callers add the file and the fix.
 */
export function unpackDeps(rows: unknown, lists: unknown[]): DependencyInfo[][] {
  if (!Array.isArray(rows)) throw new Error('the dep table is not an array')
  const infos = rows.map((row: unknown, i): DependencyInfo => {
    if (
      !Array.isArray(row) ||
      row.length !== 4 ||
      typeof row[0] !== 'string' ||
      typeof row[1] !== 'string' ||
      typeof row[2] !== 'string' ||
      !Number.isInteger(row[3])
    )
      throw new Error(`dep row ${i} is not [file, binding, hash, line]`)
    return { file: row[0], binding: row[1], hash: row[2], line: row[3] as number }
  })
  return lists.map((runs, n) => {
    if (!Array.isArray(runs) || runs.length % 2 !== 0) throw new Error(`dep list ${n} is not [start, length…] runs`)
    const slices: DependencyInfo[][] = []
    for (let r = 0; r < runs.length; r += 2) {
      const start = runs[r] as number
      const length = runs[r + 1] as number
      if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 1 || start + length > infos.length)
        throw new Error(`dep list ${n} has a run outside the table`)
      slices.push(infos.slice(start, start + length))
    }
    return slices.length === 1 ? slices[0]! : slices.flat()
  })
}
