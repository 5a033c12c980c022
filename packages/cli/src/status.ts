import type { StoreEntry } from 'smart-cache/store'

/**
 * Whether entries are of a fingerprint some manifest names for their id (each build output's
 * manifest: a client and an SSR build may each name their own fingerprint of one function, both
 * live); `oversized`: over the size limit, not read.
 */
export type EntryStatus = 'current' | 'stale' | 'unknown' | 'corrupt' | 'oversized'

/** `unknown`: no manifest was found, or none names the id. The notion of "still named" that prune keeps. */
export function statusOf(entry: StoreEntry, named: Map<string, Set<string>>): EntryStatus {
  if (entry.corrupt) return 'corrupt'
  if (entry.oversized) return 'oversized'
  const fingerprints = named.get(entry.id)
  if (fingerprints === undefined) return 'unknown'
  return fingerprints.has(entry.fingerprint) ? 'current' : 'stale'
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
export function groupRows(entries: StoreEntry[], named: Map<string, Set<string>>): FunctionRow[] {
  const rows: FunctionRow[] = []
  let row: FunctionRow | undefined
  for (const e of entries) {
    const unread = e.corrupt || e.oversized
    const id = e.corrupt ? '(corrupt)' : e.oversized ? '(oversized)' : e.id
    const fingerprint = unread ? '' : e.fingerprint
    if (!row || row.id !== id || row.fingerprint !== fingerprint) {
      row = { id, fingerprint, status: statusOf(e, named), entries: 0, bytes: 0, errors: 0, lastAccess: 0 }
      rows.push(row)
    }
    row.entries++
    row.bytes += e.size
    row.errors += e.error ? 1 : 0
    row.lastAccess = Math.max(row.lastAccess, e.lastAccess)
  }
  return rows
}
