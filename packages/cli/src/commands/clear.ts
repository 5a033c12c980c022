import type { CAC } from 'cac'
import { useStore, withStoreFlags, type StoreCommandOptions } from '../store-access.ts'

/** `smart-cache clear [ID...] [store flags]` */
export function registerClear(cli: CAC): void {
  withStoreFlags(cli.command('clear [...ids]', 'Delete every cache entry, or only those of the given function ids'))
    .option('--json', 'Print { deleted: { id: count } } as JSON')
    .example('smart-cache clear')
    .example('smart-cache clear src/math.ts#fib')
    .action((ids: string[], options: StoreCommandOptions) => useStore(options, async ({ store, describe }) => {
      const deleted: Record<string, number> = {}
      if (ids.length === 0) deleted['*'] = await store.clear()
      for (const id of ids.map(String)) {
        deleted[id] = await store.delete({ id })
      }
      if (options.json) return void process.stdout.write(`${JSON.stringify({ store: describe, deleted }, null, 2)}\n`)
      const lines = Object.entries(deleted).map(([id, n]) => (id === '*' ? `deleted ${n} entries from ${describe}` : `${id}: deleted ${n} entries`))
      process.stdout.write(`${lines.join('\n')}\n`)
      const missing = Object.entries(deleted).filter(([id, n]) => id !== '*' && n === 0).map(([id]) => id)
      if (missing.length > 0) process.stderr.write(`[smart-cache] no entries for ${missing.join(', ')}. Run \`smart-cache ls\` to see the stored ids.\n`)
    }))
}
