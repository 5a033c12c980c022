import type { TempFiles } from 'smart-cache/store'
import { formatSize } from './units.ts'

/** The `ls`/`stats` line about temp files of interrupted writes, or undefined when there are none. */
export function formatTemps(t: TempFiles): string | undefined {
  if (t.files === 0) return undefined
  const stale =
    t.stale === 0 ? 'none stale (writes in progress)' : `${t.stale} stale (${formatSize(t.staleBytes)}): \`smart-cache prune\` removes them`
  return `temp files of interrupted writes: ${t.files} (${formatSize(t.bytes)}), ${stale}`
}
