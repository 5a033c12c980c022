import { createBLAKE3 } from 'hash-wasm'
import { Blake3Js, type Blake3Hasher } from './blake3-js.ts'

/** The BLAKE3 hashers of one process, each owned by one module so their states never interleave. */
export interface Hashers {
  /** Canonical argument hashing (`core/args.ts`). */
  args: Blake3Hasher
  /** Envelope checksums (`core/envelope.ts`). */
  envelope: Blake3Hasher
  /** Everything else (fallback fingerprints). */
  misc: Blake3Hasher
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

let jsHashers: Hashers | undefined

/**
 * The WebAssembly hashers once loaded; before that, the same BLAKE3 in JavaScript (slower, same
 * digests), so that synchronous calls need not wait (issue 13). Starts loading the WebAssembly.
 */
export function getHashers(): Hashers {
  if (hashers) return hashers
  loadHashers().catch(() => {}) // a failure is reported by the calls that await it
  jsHashers ??= { args: new Blake3Js(), envelope: new Blake3Js(), misc: new Blake3Js() }
  return jsHashers
}

/** BLAKE3-256 of a UTF-8 string, as 64 hex chars. */
export function blake3Hex(text: string): string {
  const h = getHashers().misc
  h.init()
  h.update(text)
  return h.digest('hex')
}
