import type { Storage } from 'unstorage'
import { loadHashers } from './core/blake3.ts'
import { readBounded } from './core/bounded-read.ts'
import { FLAG_ERROR, openEnvelope } from './core/envelope.ts'
import { LAYOUT_PREFIX, parseEntryKey } from './core/layout.ts'
import type { Signer } from './core/mac.ts'
import type { StoreEntry } from './store.ts'

/** How the store reads entries: through `storage`, verifying with `signer`, at most `maxEntrySize` bytes each. */
export interface Reader {
  storage: Storage
  signer: Signer | undefined
  maxEntrySize: number
}

/** Every entry of the layout (of one fingerprint if given), sorted by id, fingerprint, key. */
export async function readAllEntries(reader: Reader, fingerprint?: string): Promise<StoreEntry[]> {
  await loadHashers()
  const base = fingerprint ? `${LAYOUT_PREFIX}:${fingerprint}` : LAYOUT_PREFIX
  const keys = (await reader.storage.getKeys(base)).filter(k => parseEntryKey(k))
  const entries: StoreEntry[] = []
  for (const key of keys) {
    const entry = await readEntry(reader, key)
    if (entry) entries.push(entry)
  }
  return entries.sort((a, b) => compare(a.id, b.id) || compare(a.fingerprint, b.fingerprint) || compare(a.key, b.key))
}

/** One entry as listed: read at most `maxEntrySize` bytes of it, never through a link, never blocking on a FIFO. */
async function readEntry({ storage, signer, maxEntrySize }: Reader, key: string): Promise<StoreEntry | undefined> {
  const { fingerprint, argsHash } = parseEntryKey(key)!
  const meta: Record<string, unknown> = await Promise.resolve()
    .then(() => storage.getMeta(key))
    .catch(() => ({}))
  const touched = meta.mtime instanceof Date ? meta.mtime.getTime() : undefined
  const unread = { key, fingerprint, argsHash, id: '', createdAt: 0, lastAccess: touched ?? 0, error: false, signed: false }
  const size = typeof meta.size === 'number' ? meta.size : 0
  let item
  try {
    item = await readBounded(storage, key, maxEntrySize)
  } catch {
    return { ...unread, size, corrupt: true, oversized: false } // unreadable, or a FIFO, link, device…
  }
  if (item === null) return undefined
  if ('tooLarge' in item) return { ...unread, size: item.tooLarge, corrupt: false, oversized: true }
  try {
    const env = openEnvelope(item.raw, { signer, key, acceptUnverified: true })
    const ok = env.header.fingerprint === fingerprint
    return {
      ...unread,
      id: ok ? env.header.id : '',
      size: env.size,
      createdAt: env.createdAt,
      lastAccess: Math.max(touched ?? env.createdAt, env.createdAt),
      error: (env.flags & FLAG_ERROR) !== 0,
      corrupt: !ok,
      oversized: false,
      signed: env.signed,
    }
  } catch {
    return { ...unread, size: item.size, corrupt: true, oversized: false }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
