import type { StoreEntry } from 'smart-cache/store'

/** Whether entries are of the fingerprint the newest manifest names for their id; `oversized`: over the size limit, not read. */
export type EntryStatus = 'current' | 'stale' | 'unknown' | 'corrupt' | 'oversized'

/** `unknown`: no manifest was found, or the newest one does not name the id. */
export function statusOf(entry: StoreEntry, current: Map<string, string>): EntryStatus {
  if (entry.corrupt) return 'corrupt'
  if (entry.oversized) return 'oversized'
  const fingerprint = current.get(entry.id)
  if (fingerprint === undefined) return 'unknown'
  return fingerprint === entry.fingerprint ? 'current' : 'stale'
}

/** Entries of one id and fingerprint. */
export interface FunctionRow {
  id: string
  fingerprint: string
  status: EntryStatus
  entries: number
  bytes: number
  errors: number
  lastAccess: number
}

/** Groups entries (sorted by id, fingerprint, as the store lists them) into rows. */
export function groupRows(entries: StoreEntry[], current: Map<string, string>): FunctionRow[] {
  const rows: FunctionRow[] = []
  let row: FunctionRow | undefined
  for (const e of entries) {
    const unread = e.corrupt || e.oversized
    const id = e.corrupt ? '(corrupt)' : e.oversized ? '(oversized)' : e.id
    const fingerprint = unread ? '' : e.fingerprint
    if (!row || row.id !== id || row.fingerprint !== fingerprint) {
      row = { id, fingerprint, status: statusOf(e, current), entries: 0, bytes: 0, errors: 0, lastAccess: 0 }
      rows.push(row)
    }
    row.entries++
    row.bytes += e.size
    row.errors += e.error ? 1 : 0
    row.lastAccess = Math.max(row.lastAccess, e.lastAccess)
  }
  return rows
}
