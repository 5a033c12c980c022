import type { DependencyInfo } from '../types.ts'

/** One row of a dep table: a `DependencyInfo` as an array. */
export type DepRow = [file: string, binding: string, hash: string, line: number]

/** Lists of deps stored once: every distinct entry is a row, each list is runs of consecutive rows. */
export interface PackedDeps {
  rows: DepRow[]
  /** `[start, length, start, length…]` runs of rows, per list, in the order given. */
  lists: number[][]
}

/** Where an unpacked list came from: its table (sorted, distinct rows) and its runs in it. */
interface Origin {
  table: DependencyInfo[]
  runs: number[]
}

/** Lists made by `unpackDeps` from a canonical table: packing them again needs no per-entry work. */
const origins = new WeakMap<DependencyInfo[], Origin>()

const compare = (x: string | number, y: string | number): number => (x < y ? -1 : x > y ? 1 : 0)
const byContent = (x: DependencyInfo, y: DependencyInfo): number =>
  compare(x.file, y.file) || compare(x.binding, y.binding) || compare(x.hash, y.hash) || compare(x.line, y.line)
const toRow = (d: DependencyInfo): DepRow => [d.file, d.binding, d.hash, d.line]

/**
 * Packs dep lists (`fingerprint()`'s `deps`, sorted by file then binding) that share most entries:
 * fifty functions of a large app each reach the same ten thousand bindings. Rows are sorted in the
 * lists' own order, so a list is a few runs of consecutive rows. Entries with the same content share
 * a row; lists keep their order and their repeats. Lists that `unpackDeps` made from one table are
 * packed from their runs (a warm build writes its manifest without touching every entry).
 */
export function packDeps(lists: DependencyInfo[][]): PackedDeps {
  return repack(lists) ?? packEntries(lists)
}

function packEntries(lists: DependencyInfo[][]): PackedDeps {
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
  return { rows: sorted.map(toRow), lists: lists.map(list => runsOf(list, index)) }
}

/**
 * `packEntries`' result, from the runs of lists unpacked from one canonical table: the rows no
 * list uses are dropped and the runs renumbered (runs that become adjacent merge, as
 * `packEntries` would make them). `undefined` when a list has another origin.
 */
function repack(lists: DependencyInfo[][]): PackedDeps | undefined {
  const first = lists.length > 0 ? origins.get(lists[0]!) : undefined
  if (!first) return undefined
  const used = new Uint8Array(first.table.length)
  for (const list of lists) {
    const origin = origins.get(list)
    if (origin?.table !== first.table) return undefined
    for (let r = 0; r < origin.runs.length; r += 2) used.fill(1, origin.runs[r]!, origin.runs[r]! + origin.runs[r + 1]!)
  }
  const renumbered = new Int32Array(first.table.length)
  const rows: DepRow[] = []
  for (let i = 0; i < used.length; i++) {
    renumbered[i] = rows.length
    if (used[i]) rows.push(toRow(first.table[i]!))
  }
  return {
    rows,
    lists: lists.map(list => {
      const { runs } = origins.get(list)!
      const out: number[] = []
      for (let r = 0; r < runs.length; r += 2) appendRun(out, renumbered[runs[r]!]!, runs[r + 1]!)
      return out
    }),
  }
}

/** Appends `length` rows from `start` to `runs`, extending the last run when they follow it. */
function appendRun(runs: number[], start: number, length: number): void {
  const last = runs.length - 2
  if (last >= 0 && runs[last]! + runs[last + 1]! === start) runs[last + 1]! += length
  else runs.push(start, length)
}

/** `[start, length…]` runs of the consecutive row indices of a list's entries. */
function runsOf(list: DependencyInfo[], index: Map<DependencyInfo, number>): number[] {
  const runs: number[] = []
  for (let i = 0; i < list.length; i++) appendRun(runs, index.get(list[i]!)!, 1)
  return runs
}

/**
 * Unpacks what `packDeps` made, from untrusted JSON: rows become shared `DependencyInfo` objects.
 * Throws a plain `Error` naming what is malformed; callers add the file and the fix.
 */
export function unpackDeps(rows: unknown, lists: unknown[]): DependencyInfo[][] {
  return unpackDepsLazily(rows, lists).map(list => list())
}

/**
 * `unpackDeps`, each list made when first asked for: a warm build whose manifest did not change
 * never needs the lists (fifty of twenty thousand entries each). The table and every run are
 * checked now, so a malformed list throws here, not later.
 */
export function unpackDepsLazily(rows: unknown, lists: unknown[]): Array<() => DependencyInfo[]> {
  const table = tableOf(rows)
  const canonicalTable = table.every((d, i) => i === 0 || byContent(table[i - 1]!, d) < 0)
  return lists.map((runs, n) => {
    const length = checkRuns(table, runs, n)
    let list: DependencyInfo[] | undefined
    return () => {
      if (list) return list
      list = listOf(table, runs as number[], length)
      if (canonicalTable) origins.set(list, { table, runs: runs as number[] })
      return list
    }
  })
}

function tableOf(rows: unknown): DependencyInfo[] {
  if (!Array.isArray(rows)) throw new Error('the dep table is not an array')
  return rows.map((row: unknown, i): DependencyInfo => {
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
}

/** Checks one list's runs against the table; returns how many entries they hold. */
function checkRuns(table: DependencyInfo[], runs: unknown, n: number): number {
  if (!Array.isArray(runs) || runs.length % 2 !== 0) throw new Error(`dep list ${n} is not [start, length…] runs`)
  let total = 0
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r] as number
    const length = runs[r + 1] as number
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 1 || start + length > table.length)
      throw new Error(`dep list ${n} has a run outside the table`)
    total += length
  }
  return total
}

/** One list from its checked runs. */
function listOf(table: DependencyInfo[], runs: number[], length: number): DependencyInfo[] {
  const list = Array.from<DependencyInfo>({ length })
  let at = 0
  for (let r = 0; r < runs.length; r += 2) {
    const end = runs[r]! + runs[r + 1]!
    for (let i = runs[r]!; i < end; i++) list[at++] = table[i]!
  }
  return list
}
