import { blake3Hex } from './blake3.ts'
import { warnOnce } from './warn.ts'

/**
 * Fingerprint used without the plugin: BLAKE3 of the function's own source, with line endings
 * normalised to `\n` and outer whitespace trimmed. Indentation and inner whitespace are kept
 * (they can be string content). Dependencies are not covered, so this warns once.
 */
export function sourceFingerprint(fn: Function, id: string): string {
  warnOnce(
    'no-plugin',
    `[smart-cache] ${id}: no fingerprint from unplugin-smart-cache, so only the function's own source is fingerprinted; ` +
      'changes in the functions it calls do not invalidate its cache. Fix: add unplugin-smart-cache to your bundler.',
  )
  const source = Function.prototype.toString.call(fn).replace(/\r\n?/g, '\n').trim()
  return blake3Hex(`smart-cache/source-fingerprint\n${source}`)
}
