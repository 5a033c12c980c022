import type { CAC } from 'cac'
import { useStore, withStoreFlags, type StoreCommandOptions } from '../store-access.ts'
import { entries } from '../units.ts'

/** `smart-cache clear [ID...] [store flags]` */
export function registerClear(cli: CAC): void {
  withStoreFlags(cli.command('clear [...ids]', 'Delete every cache entry, or only those of the given function ids'))
    .option('--json', 'Print { deleted: { id: count } } as JSON')
    .example('smart-cache clear')
    .example('smart-cache clear src/math.ts#fib')
    .action((ids: string[], options: StoreCommandOptions) =>
      useStore(options, async ({ store, describe }) => {
        const deleted: Record<string, number> = {}
        if (ids.length === 0) deleted['*'] = await store.clear()
        for (const id of ids.map(String)) {
          deleted[id] = await store.delete({ id })
        }
        const missing = Object.entries(deleted)
          .filter(([id, n]) => id !== '*' && n === 0)
          .map(([id]) => id)
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ store: describe, deleted }, null, 2)}\n`)
          return missing.length > 0 ? 1 : 0
        }
        const lines = Object.entries(deleted).map(([id, n]) =>
          id === '*' ? `deleted ${entries(n)} from ${describe}` : `${id}: deleted ${entries(n)}`,
        )
        process.stdout.write(`${lines.join('\n')}\n`)
        if (missing.length === 0) return 0
        // A mistyped id must not look like success (exit 1), as `rm` of a missing file.
        process.stderr.write(`[smart-cache] no entries for ${missing.join(', ')}. Fix: run \`smart-cache ls\` to see the stored ids.\n`)
        return 1
      }),
    )
}
