/** Counters of one cached function (live object). */
export interface CacheStats {
  /** Results served from memory or storage. */
  hits: number
  /** Calls that ran the function. */
  misses: number
  /** Stale entries served while recomputing (`swr`). */
  stale: number
  /** Storage failures, corrupt entries and refused (unsigned, forged, unverifiable) entries; each is also treated as a miss. */
  errors: number
  /** Corrupt or truncated entries detected (included in `errors`). */
  corrupt: number
  /** Entries without a MAC while a secret is set: never served (included in `errors`). */
  unsigned: number
  /** Entries whose MAC does not verify with the secret: never served (included in `errors`). */
  forged: number
  /** Results not stored, or stored entries not read, because they exceed `maxEntrySize`. */
  oversized: number
  /** Bytes read from storage. */
  bytesRead: number
  /** Bytes written to storage. */
  bytesWritten: number
}

export function createStats(): CacheStats {
  return { hits: 0, misses: 0, stale: 0, errors: 0, corrupt: 0, unsigned: 0, forged: 0, oversized: 0, bytesRead: 0, bytesWritten: 0 }
}
