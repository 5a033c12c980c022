import { promises as fsp } from 'node:fs'
import { join } from 'node:path'
import { LAYOUT_PREFIX, parseEntryKey } from '../core/layout.ts'
import { removeFile, walk } from './fs-tree.ts'

/**
 * A run-time disk budget for the filesystem store (`maxStoreSize`): between `prune` runs
 * a store could grow without bound. After a write, a pass runs in the background (never awaited
 * by the write; at most one at a time and one per {@link BUDGET_INTERVAL_MS} per process): when the
 * cache entries total more than the budget, the least recently used ones (mtime: writes, and reads
 * older than `touchAfter`) are removed until they fit in {@link BUDGET_TARGET} of it. Safe with
 * many processes: a pass only unlinks entry files (never through a link), and an entry removed
 * twice, or removed while read, is a miss.
 */
export const BUDGET_INTERVAL_MS = 10_000
/** A pass evicts down to this share of the budget, so that it does not run again at once. */
export const BUDGET_TARGET = 0.9

export interface Budget {
  /** Starts a pass in the background unless one runs or ran less than BUDGET_INTERVAL_MS ago. */
  afterWrite(): void
  /** One pass now (or the running one); resolves with how many entries it removed. */
  evict(): Promise<number>
}

export function createBudget(base: string, maxBytes: number): Budget {
  let running: Promise<number> | undefined
  let last = Number.NEGATIVE_INFINITY
  const evict = () => {
    running ??= evictOver(base, maxBytes).finally(() => (running = undefined))
    return running
  }
  return {
    afterWrite() {
      if (running || Date.now() - last < BUDGET_INTERVAL_MS) return
      last = Date.now()
      evict().catch(() => {}) // best effort: the next pass retries
    },
    evict,
  }
}

async function evictOver(base: string, maxBytes: number): Promise<number> {
  const entries = await entryFiles(base)
  let total = entries.reduce((sum, e) => sum + e.size, 0)
  if (total <= maxBytes) return 0
  let removed = 0
  for (const e of entries.sort((a, b) => a.used - b.used)) {
    if (total <= maxBytes * BUDGET_TARGET) break
    await removeFile(base, e.path).then(
      () => removed++,
      () => {},
    )
    total -= e.size
  }
  return removed
}

/** Cache entries of the layout (`sc1/<fingerprint>/<argsHash>`) with their size and last use. */
async function entryFiles(base: string): Promise<Array<{ path: string; size: number; used: number }>> {
  const out: Array<{ path: string; size: number; used: number }> = []
  for (const parts of await walk(base, join(base, LAYOUT_PREFIX))) {
    if (!parseEntryKey([LAYOUT_PREFIX, ...parts].join(':'))) continue
    const path = join(base, LAYOUT_PREFIX, ...parts)
    const stat = await fsp.lstat(path).catch(() => undefined)
    if (stat?.isFile()) out.push({ path, size: stat.size, used: stat.mtimeMs })
  }
  return out
}
