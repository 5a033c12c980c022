import { createBLAKE3, type IHasher } from 'hash-wasm'

/** The BLAKE3 hashers of one process, each owned by one module so their states never interleave. */
export interface Hashers {
  /** Canonical argument hashing (`core/args.ts`). */
  args: IHasher
  /** Envelope checksums (`core/envelope.ts`). */
  envelope: IHasher
  /** Everything else (fallback fingerprints). */
  misc: IHasher
}

let hashers: Hashers | undefined
let pending: Promise<Hashers> | undefined

/** Loads the WebAssembly BLAKE3 once; later calls resolve at once. */
export function loadHashers(): Promise<Hashers> {
  pending ??= Promise.all([createBLAKE3(), createBLAKE3(), createBLAKE3()]).then(([args, envelope, misc]) => {
    hashers = { args, envelope, misc }
    return hashers
  })
  return pending
}

/** The hashers, or a clear error if {@link loadHashers} has not resolved yet. */
export function getHashers(): Hashers {
  if (!hashers) throw new Error('[smart-cache] BLAKE3 is not loaded yet, so .fingerprint/.stats are not available before the first call. Fix: `await ready()` (exported by smart-cache) first.')
  return hashers
}

/** BLAKE3-256 of a UTF-8 string, as 64 hex chars. */
export function blake3Hex(text: string): string {
  const h = getHashers().misc
  h.init()
  h.update(text)
  return h.digest('hex')
}
