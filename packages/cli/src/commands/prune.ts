import type { CAC } from 'cac'
import type { CacheStore, TempFiles } from 'smart-cache/store'
import { loadManifests, namedFingerprints } from '../manifests.ts'
import { createProgress } from '../progress.ts'
import { planPrune, type PrunePlan, type PruneReason } from '../prune-plan.ts'
import { useStore, withStoreFlags, type StoreCommandOptions } from '../store-access.ts'
import { entries, formatSize, parseDuration, parseSize } from '../units.ts'

interface Options extends StoreCommandOptions {
  maxAge?: string
  maxSize?: string
  dryRun?: boolean
}

const LABELS: Record<PruneReason, string> = {
  corrupt: 'corrupt',
  oversized: 'over the size limit',
  unnamed: 'old fingerprint',
  age: 'unused too long',
  size: 'over the size cap',
}

/** `smart-cache prune [--max-age D] [--max-size S] [--dry-run] [--manifest FILE] [store flags]` */
export function registerPrune(cli: CAC): void {
  withStoreFlags(
    cli.command(
      'prune',
      'Delete corrupt entries, entries over --max-entry-size, old fingerprints of functions a manifest names, entries unused for --max-age, then LRU entries over --max-size; and stale temp files of interrupted writes',
    ),
  )
    .option(
      '--max-age <duration>',
      'Also delete entries not used for this long: 7d, 12h, 30m (stores other than the filesystem record no reads: counted from creation)',
    )
    .option('--max-size <size>', 'Then delete least recently used entries until the store is under this size: 500MB, 2GB')
    .option('--dry-run', 'Print what would be deleted, delete nothing')
    .option('--manifest <file>', 'Manifest naming the fingerprints to keep (default: the plugin’s manifests under the root)')
    .option('--json', 'Print the result as JSON')
    .example('smart-cache prune --max-age 30d --max-size 500MB --dry-run')
    .action(async (options: Options) => {
      const maxAge = options.maxAge === undefined ? undefined : parseDuration(options.maxAge, '--max-age')
      const maxSize = options.maxSize === undefined ? undefined : parseSize(options.maxSize, '--max-size')
      await useStore(options, async ({ store, root, describe }) => {
        // A manifest that cannot be read may name entries a build still uses: stop rather than guess.
        const manifests = await loadManifests(root, options.manifest, 'fail')
        const plan = planPrune(await store.list(), { named: namedFingerprints(manifests), maxAge, maxSize, now: Date.now() })
        if (!options.dryRun) await execute(store, plan)
        const temps = options.dryRun ? staleOf(await store.temps()) : await store.sweep()
        const result = { store: describe, dryRun: Boolean(options.dryRun), manifests: manifests.length, ...summary(plan), temps }
        process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatPrune(result))
      })
    })
}

/** Deletes the planned entries, one store pass per fingerprint, with a progress bar on large caches. */
async function execute(store: CacheStore, plan: PrunePlan): Promise<void> {
  const byFingerprint = new Map<string, Set<string>>()
  for (const { entry } of plan.remove) {
    const keys = byFingerprint.get(entry.fingerprint) ?? new Set<string>()
    keys.add(entry.key)
    byFingerprint.set(entry.fingerprint, keys)
  }
  const progress = createProgress('pruning', plan.remove.length)
  try {
    for (const [fingerprint, keys] of byFingerprint) {
      await store.delete({ fingerprint, where: e => keys.has(e.key) })
      progress.tick(keys.size)
    }
  } finally {
    progress.stop()
  }
}

function staleOf(t: TempFiles): { files: number; bytes: number } {
  return { files: t.stale, bytes: t.staleBytes }
}

function summary(plan: PrunePlan) {
  const removed = plan.remove.reduce((acc, { entry }) => ({ entries: acc.entries + 1, bytes: acc.bytes + entry.size }), {
    entries: 0,
    bytes: 0,
  })
  return { removed, byReason: plan.totals, kept: plan.kept }
}

type Result = ReturnType<typeof summary> & { store: string; dryRun: boolean; manifests: number; temps: { files: number; bytes: number } }

export function formatPrune(r: Result): string {
  const verb = r.dryRun ? 'would delete' : 'deleted'
  const lines = [
    `store: ${r.store}`,
    `${verb} ${entries(r.removed.entries)}, ${r.dryRun ? 'would free' : 'freed'} ${formatSize(r.removed.bytes)}`,
  ]
  for (const reason of Object.keys(LABELS) as PruneReason[]) {
    const t = r.byReason[reason]
    if (t.entries > 0) lines.push(`  ${LABELS[reason].padEnd(18)}${entries(t.entries, 7)}  ${formatSize(t.bytes)}`)
  }
  if (r.temps.files > 0)
    lines.push(
      `${r.dryRun ? 'would delete' : 'deleted'} ${r.temps.files} stale temp file(s) of interrupted writes, ${formatSize(r.temps.bytes)}`,
    )
  lines.push(`kept ${entries(r.kept.entries)}, ${formatSize(r.kept.bytes)}`)
  if (r.manifests === 0)
    lines.push('note: no build manifest found, so entries of old fingerprints were kept. Build with the plugin or pass --manifest FILE.')
  return `${lines.join('\n')}\n`
}
