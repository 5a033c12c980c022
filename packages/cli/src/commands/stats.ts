import type { CAC } from 'cac'
import type { StoreEntry, TempFiles } from 'smart-cache/store'
import { displayPath, loadManifests, namedFingerprints } from '../manifests.ts'
import { statusOf, type EntryStatus } from '../status.ts'
import { useStore, withStoreFlags, type StoreCommandOptions } from '../store-access.ts'
import { table } from '../table.ts'
import { formatTemps } from '../temps.ts'
import { entries, formatAgo, formatSize } from '../units.ts'

/** Totals of `stats`. */
export interface CacheStatsReport {
  store: string
  /** How the folder of a filesystem store was found (the runtime's rule), and whether it exists; null for other stores. */
  where: string | null
  manifest: string | null
  entries: number
  bytes: number
  functions: number
  /** Entries and bytes by status against the manifests (current: a fingerprint one of them names). */
  byStatus: Record<EntryStatus, { entries: number; bytes: number }>
  /** Entries that hold a cached thrown error. */
  errors: number
  /** Hit and miss counts live in each process (`fn.stats`); the store does not record them. */
  hitRatio: null
  perFunction: Array<{
    id: string
    fingerprints: number
    entries: number
    bytes: number
    share: number
    errors: number
    lastAccess: number
    hitRatio: null
  }>
  /** Temp files of interrupted writes (filesystem stores). */
  temps: TempFiles
}

/** `smart-cache stats [--json] [--manifest FILE] [store flags]` */
export function registerStats(cli: CAC): void {
  withStoreFlags(cli.command('stats', 'Totals of the cache: entries, bytes, current/stale/corrupt, per function'))
    .option(
      '--manifest <file>',
      'Manifest that defines "current" (default: the plugin’s manifests under the root; an entry is current when one of them names its fingerprint)',
    )
    .option('--json', 'Print the report as JSON')
    .example('smart-cache stats --json')
    .action((options: StoreCommandOptions) =>
      useStore(options, async ({ store, root, describe, where }) => {
        const manifests = await loadManifests(root, options.manifest)
        const manifest = manifests[0] ? displayPath(manifests[0].file, root) : null
        const report = buildStats(await store.list(), namedFingerprints(manifests), describe, manifest, await store.temps(), where)
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStats(report))
      }),
    )
}

export function buildStats(
  entries: StoreEntry[],
  named: Map<string, Set<string>>,
  store: string,
  manifest: string | null,
  temps: TempFiles = { files: 0, bytes: 0, stale: 0, staleBytes: 0 },
  where?: string,
): CacheStatsReport {
  const byStatus: CacheStatsReport['byStatus'] = { current: zero(), stale: zero(), unknown: zero(), corrupt: zero(), oversized: zero() }
  const perId = new Map<string, CacheStatsReport['perFunction'][number] & { fps: Set<string> }>()
  let bytes = 0
  for (const e of entries) {
    bytes += e.size
    const s = byStatus[statusOf(e, named)]
    s.entries++
    s.bytes += e.size
    if (e.corrupt || e.oversized) continue
    const f = perId.get(e.id) ?? {
      id: e.id,
      fingerprints: 0,
      entries: 0,
      bytes: 0,
      share: 0,
      errors: 0,
      lastAccess: 0,
      hitRatio: null,
      fps: new Set<string>(),
    }
    f.fps.add(e.fingerprint)
    f.entries++
    f.bytes += e.size
    f.errors += e.error ? 1 : 0
    f.lastAccess = Math.max(f.lastAccess, e.lastAccess)
    perId.set(e.id, f)
  }
  const perFunction = [...perId.values()].map(({ fps, ...f }) => ({ ...f, fingerprints: fps.size, share: bytes ? f.bytes / bytes : 0 }))
  return {
    store,
    where: where ?? null,
    manifest,
    entries: entries.length,
    bytes,
    functions: perFunction.length,
    byStatus,
    errors: perFunction.reduce((n, f) => n + f.errors, 0),
    hitRatio: null,
    perFunction,
    temps,
  }
}

function zero() {
  return { entries: 0, bytes: 0 }
}

export function formatStats(r: CacheStatsReport, now = Date.now()): string {
  const line = (label: string, s: { entries: number; bytes: number }) =>
    `${label.padEnd(9)}${entries(s.entries, 7)}  ${formatSize(s.bytes)}`
  const out = [
    `store: ${r.store}`,
    ...(r.where ? [`found by: ${r.where}`] : []),
    `manifest: ${r.manifest ?? 'none found (current/stale unknown)'}`,
    '',
    line('total', r),
    line('current', r.byStatus.current),
    line('stale', r.byStatus.stale),
    line('unknown', r.byStatus.unknown),
    line('corrupt', r.byStatus.corrupt),
    ...(r.byStatus.oversized.entries > 0
      ? [`${line('oversized', r.byStatus.oversized)}  (over --max-entry-size: not read; prune removes them)`]
      : []),
    ...(r.temps.files > 0 ? [formatTemps(r.temps)!] : []),
    `${r.functions} function(s), ${r.errors} cached error(s)`,
    'hit ratio: not recorded by the store (read fn.stats in the running program)',
  ]
  if (r.perFunction.length > 0) {
    const rows = r.perFunction.map(f => [
      f.id,
      String(f.fingerprints),
      String(f.entries),
      formatSize(f.bytes),
      `${(f.share * 100).toFixed(1)}%`,
      formatAgo(f.lastAccess, now),
    ])
    out.push(
      '',
      table([['FUNCTION', 'VERSIONS', 'ENTRIES', 'SIZE', 'SHARE', 'LAST USE'], ...rows], [false, true, true, true, true, false]).trimEnd(),
    )
  }
  return `${out.join('\n')}\n`
}
