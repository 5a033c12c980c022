import { existsSync } from 'node:fs'
import type { Command } from 'cac'
import { openStore, type CacheStore } from 'smart-cache/store'
import { CliError } from './errors.ts'
import { findRoot } from './root.ts'
import { resolveStoreTarget, type StoreFlags } from './storage-config.ts'
import { parseSize } from './units.ts'

/** Flags of every command that reads the cache store. */
export interface StoreCommandOptions extends StoreFlags {
  root?: string
  manifest?: string
  json?: boolean
  maxEntrySize?: string
}

/** Adds `--root`, `--storage`, `--dir`, `--config` to a command. */
export function withStoreFlags(command: Command): Command {
  return command
    .option('--root <dir>', 'Project root (default: nearest folder with a package.json)')
    .option('--storage <url>', 'Store to open instead of the default folder: redis://HOST:PORT/DB[?base=PREFIX]')
    .option(
      '--dir <dir>',
      'Folder of a filesystem store (default, as the runtime: SMART_CACHE_DIR, else <nearest package.json folder>/node_modules/.cache/smart-cache/values, else $XDG_CACHE_HOME or ~/.cache + /smart-cache/values)',
    )
    .option('--config <file>', 'Config file (default: smart-cache.config.{json,mjs} at the root)')
    .option(
      '--max-entry-size <size>',
      "Entries larger than this are not read, only listed as oversized (and pruned); use the runtime's maxEntrySize (default: 16MB)",
    )
}

/**
 * An opened store with the project root and a description for the output; `where` says how a
 * folder was chosen (the runtime's rule, or a flag) and whether it exists.
 */
export interface OpenedStore {
  store: CacheStore
  root: string
  describe: string
  where: string | undefined
}

/** Opens the store named by the flags, runs `work`, always disposes; storage failures become one clear error. */
export async function useStore<T>(options: StoreCommandOptions, work: (opened: OpenedStore) => Promise<T>): Promise<T> {
  const root = findRoot(options.root, process.cwd(), false)
  const target = await resolveStoreTarget(root, options)
  const maxEntrySize = options.maxEntrySize === undefined ? undefined : parseSize(options.maxEntrySize, '--max-entry-size')
  if (maxEntrySize !== undefined && maxEntrySize < 1)
    throw new CliError(
      `--max-entry-size '${options.maxEntrySize}' must be at least 1 byte. Fix: pass the runtime's maxEntrySize, e.g. --max-entry-size 16MB.`,
    )
  const store = openStore({ cwd: root, maxEntrySize, ...target.options })
  const describe = store.location ?? target.describe
  try {
    return await work({ store, root, describe, where: whereOf(store) })
  } catch (error) {
    if (error instanceof CliError) throw error
    const message = ((error as Error)?.message ?? String(error)).trim().replace(/\.+$/, '')
    throw new CliError(
      `cannot use the store ${describe}: ${message.replace(/^\[smart-cache\]\s*/, '')}. Fix: check that it is reachable (is the server running? is the URL right?) or pass --storage/--dir.`,
    )
  } finally {
    await store.dispose().catch(() => {})
  }
}

/** `chosen by <rule>`, and whether the folder exists, for a filesystem store. */
function whereOf(store: CacheStore): string | undefined {
  if (store.location === undefined) return undefined
  const rule = store.locationRule === 'dir' ? '--dir or the config file' : store.locationRule
  return `${rule}${existsSync(store.location) ? '' : '; the folder does not exist (nothing cached there yet)'}`
}
