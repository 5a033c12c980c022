import { blake3Hex } from './blake3.ts'
import { warnOnce } from './warn.ts'

/**
 * Fingerprint used without the plugin: BLAKE3 of the function's own source, with line endings
 * normalised to `\n` and outer whitespace trimmed. Indentation and inner whitespace are kept
 * (they can be string content). Dependencies are not covered, so this warns once. A custom `key`
 * function counts by its source too: two functions of the same source keyed differently
 * (`{ key: u => u.id }`, `{ key: u => u.name }`) would otherwise share entries, one serving the
 * other's results for arguments whose keys happen to match.
 */
export function sourceFingerprint(fn: Function, id: string, key?: Function): string {
  warnOnce(
    'no-plugin',
    `[smart-cache] ${id}: no fingerprint from unplugin-smart-cache, so only the function's own source is fingerprinted; ` +
      'changes in the functions it calls do not invalidate its cache. Fix: add unplugin-smart-cache to your bundler.',
  )
  const source = (f: Function) => Function.prototype.toString.call(f).replace(/\r\n?/g, '\n').trim()
  return blake3Hex(`smart-cache/source-fingerprint\n${source(fn)}${key ? `\nkey:${source(key)}` : ''}`)
}

/** The fingerprint of a function the build could not fingerprint: none, and its calls are never cached. */
export const NO_FINGERPRINT = ''

/**
 * For a meta whose fingerprint is `null` (the plugin's engine failed on the function): caching it on
 * its own source, as without the plugin, could serve results of old code after a change in what it
 * calls, so it runs uncached, and says so once.
 */
export function unfingerprinted(id: string): string {
  warnOnce(
    `unfingerprinted:${id}`,
    `[smart-cache] ${id}: the build could not fingerprint this function (unplugin-smart-cache warned why), so it runs uncached: ` +
      'every call computes. Fix: the cause in that build warning, then rebuild.',
  )
  return NO_FINGERPRINT
}
