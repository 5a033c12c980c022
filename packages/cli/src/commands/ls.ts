import type { CAC } from 'cac'
import { displayPath, loadManifests, namedFingerprints } from '../manifests.ts'
import type { TempFiles } from 'smart-cache/store'
import { groupRows, type FunctionRow } from '../status.ts'
import { useStore, withStoreFlags, type StoreCommandOptions } from '../store-access.ts'
import { table } from '../table.ts'
import { formatTemps } from '../temps.ts'
import { formatAgo, formatSize } from '../units.ts'

/** `smart-cache ls [--json] [--manifest FILE] [store flags]` */
export function registerLs(cli: CAC): void {
  withStoreFlags(cli.command('ls', 'List cached functions: entries, bytes, last use, and whether their fingerprint is current'))
    .option(
      '--manifest <file>',
      `Manifest that defines "current" (default: the plugin’s manifests under the root; an entry is current when one of them names its fingerprint)`,
    )
    .option('--json', 'Print { store, manifest, functions: [...] } as JSON')
    .example('smart-cache ls')
    .example('smart-cache ls --storage redis://127.0.0.1:6379/0 --json')
    .action((options: StoreCommandOptions) =>
      useStore(options, async ({ store, root, describe, where }) => {
        const manifests = await loadManifests(root, options.manifest)
        const manifest = manifests[0] ? displayPath(manifests[0].file, root) : null
        const rows = groupRows(await store.list(), namedFingerprints(manifests))
        const temps = await store.temps()
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ store: describe, manifest, functions: rows, temps }, null, 2)}\n`)
          return
        }
        process.stdout.write(formatLs(rows, where ? `${describe}\nfound by: ${where}` : describe, manifest, Date.now(), temps))
      }),
    )
}

/** The human table, with a header naming the store and the manifest. */
export function formatLs(rows: FunctionRow[], store: string, manifest: string | null, now = Date.now(), temps?: TempFiles): string {
  const tempLine = temps && formatTemps(temps)
  const head = `store: ${store}\nmanifest: ${manifest ?? 'none found (status unknown; build with the plugin or pass --manifest FILE)'}\n${tempLine ? `${tempLine}\n` : ''}`
  if (rows.length === 0) return `${head}\nno cached entries.\n`
  const cells = rows.map(r => [
    r.id,
    r.fingerprint.slice(0, 12),
    String(r.entries),
    formatSize(r.bytes),
    formatAgo(r.lastAccess, now),
    r.status,
  ])
  const body = table(
    [['FUNCTION', 'FINGERPRINT', 'ENTRIES', 'SIZE', 'LAST USE', 'STATUS'], ...cells],
    [false, false, true, true, false, false],
  )
  return `${head}\n${body}`
}
