import { DEFAULT_MAX_ENTRY_SIZE, MAX_READ_SIZE, checkMaxEntrySize } from './limits.ts'
import { createSigner, type Signer } from './mac.ts'

/** Options for shared or untrusted stores (part of `SharedOptions`). */
export interface SecurityOptions {
  /**
   * Secret for signing entries with a keyed BLAKE3 MAC. When set, every entry written is signed and
   * entries that are unsigned or carry a wrong MAC are never served: they count as misses
   * (`stats.unsigned`, `stats.forged`) and are overwritten. Use it for stores other writers can reach
   * (Redis, a shared folder); every process sharing the store needs the same secret.
   * The `SMART_CACHE_SECRET` environment variable overrides it.
   * @default undefined (entries carry a plain BLAKE3 checksum only)
   */
  secret?: string | Uint8Array
  /**
   * Largest stored entry in bytes (envelope included). Larger results are returned and kept in
   * memory but not stored (one warning, `stats.oversized`); larger stored entries are skipped
   * after checking their size, without loading them. Capped at 2 GiB - 1 (`MAX_READ_SIZE`).
   * @default 16_777_216 (16 MiB)
   */
  maxEntrySize?: number
}

/** The resolved security settings of one cached function. */
export interface Security {
  signer: Signer | undefined
  maxEntrySize: number
}

/** Reads `SMART_CACHE_SECRET` through globalThis, so browser bundles need no `process`. */
export function envSecret(): string | undefined {
  const raw = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.SMART_CACHE_SECRET
  return raw ? raw : undefined
}

/** Resolves `secret` (env first) and `maxEntrySize`; throws a `[smart-cache]` TypeError on bad values. */
export async function resolveSecurity(options: SecurityOptions, where: string): Promise<Security> {
  const secret = envSecret() ?? options.secret
  if (secret !== undefined) checkSecret(secret, where)
  const maxEntrySize = options.maxEntrySize ?? DEFAULT_MAX_ENTRY_SIZE
  checkMaxEntrySize(maxEntrySize, where)
  return { signer: secret === undefined ? undefined : await createSigner(secret), maxEntrySize: Math.min(maxEntrySize, MAX_READ_SIZE) }
}

function checkSecret(secret: unknown, where: string): void {
  const ok = (typeof secret === 'string' || secret instanceof Uint8Array) && secret.length > 0
  if (!ok) {
    throw new TypeError(
      `[smart-cache] ${where}: options.secret must be a non-empty string or Uint8Array, got ${describe(secret)}. ` +
        'Fix: pass the shared secret (e.g. from SMART_CACHE_SECRET), or leave it undefined to disable signing.',
    )
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return 'an empty string'
  if (value instanceof Uint8Array) return 'an empty Uint8Array'
  return value === null ? 'null' : typeof value
}
