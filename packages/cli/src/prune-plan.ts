import type { StoreEntry } from 'smart-cache/store'

/** Why an entry goes, in the order the rules apply. */
export type PruneReason = 'corrupt' | 'oversized' | 'unnamed' | 'age' | 'size'

export interface PruneRules {
  /** id → fingerprints some manifest names; ids absent from it are never judged by this rule. */
  named?: Map<string, Set<string>>
  /** Milliseconds without use after which an entry goes. */
  maxAge?: number
  /** Bytes the store may keep; least recently used entries go first. */
  maxSize?: number
  now: number
}

export interface PrunePlan {
  remove: Array<{ entry: StoreEntry; reason: PruneReason }>
  /** Entries and bytes per reason. */
  totals: Record<PruneReason, { entries: number; bytes: number }>
  kept: { entries: number; bytes: number }
}

/**
 * Decides what `prune` deletes: corrupt entries; entries over the entry size limit (never read
 * by a runtime with the same `maxEntrySize`); entries whose id a manifest names but whose
 * fingerprint no manifest names any more; entries unused for `maxAge`; then least recently used
 * entries (ties by key, so the plan is deterministic) until the rest fits in `maxSize`.
 */
export function planPrune(entries: StoreEntry[], rules: PruneRules): PrunePlan {
  const remove: PrunePlan['remove'] = []
  const keep: StoreEntry[] = []
  for (const entry of entries) {
    const reason = firstReason(entry, rules)
    if (reason) remove.push({ entry, reason })
    else keep.push(entry)
  }
  let bytes = keep.reduce((n, e) => n + e.size, 0)
  if (rules.maxSize !== undefined && bytes > rules.maxSize) {
    const byAge = [...keep].sort((a, b) => a.lastAccess - b.lastAccess || (a.key < b.key ? -1 : 1))
    for (const entry of byAge) {
      if (bytes <= rules.maxSize) break
      remove.push({ entry, reason: 'size' })
      bytes -= entry.size
    }
  }
  const totals: PrunePlan['totals'] = { corrupt: zero(), oversized: zero(), unnamed: zero(), age: zero(), size: zero() }
  for (const { entry, reason } of remove) {
    totals[reason].entries++
    totals[reason].bytes += entry.size
  }
  return { remove, totals, kept: { entries: entries.length - remove.length, bytes } }
}

function firstReason(e: StoreEntry, rules: PruneRules): PruneReason | undefined {
  if (e.corrupt) return 'corrupt'
  if (e.oversized) return 'oversized'
  const named = rules.named?.get(e.id)
  if (named && !named.has(e.fingerprint)) return 'unnamed'
  if (rules.maxAge !== undefined && rules.now - e.lastAccess > rules.maxAge) return 'age'
  return undefined
}

function zero() {
  return { entries: 0, bytes: 0 }
}
