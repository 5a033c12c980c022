import { keyedHasher } from './blake3.ts'
import { Blake3Js, type Blake3Hasher } from './blake3-js.ts'
import { toHex } from './hex.ts'

/**
 * Entry signing: a keyed BLAKE3-256 MAC that lets readers of a shared store reject
 * entries written by anyone who does not hold the secret.
 *
 * - The 32-byte BLAKE3 key is derived from the secret as
 *   `BLAKE3-256("smart-cache entry MAC key v1" || 0x00 || secret)` (secret as UTF-8 when a string).
 *   hash-wasm has no `derive_key` mode; the fixed context prefix gives the same domain separation,
 *   and BLAKE3's keyed mode requires exactly 32 bytes, which the digest is.
 * - The MAC covers the storage key (length-prefixed UTF-8) and every envelope byte except the
 *   MAC slot itself, so an entry cannot be altered, nor copied under another key (replayed for
 *   other arguments or another function).
 */
export const MAC_KEY_CONTEXT = 'smart-cache entry MAC key v1'

/** Computes MACs with one derived key. */
export interface Signer {
  /** 32 bytes: keyed BLAKE3 over `u32le(len(key)) || key || parts...`. */
  mac(storeKey: string, parts: readonly Uint8Array[]): Uint8Array
}

const utf8 = new TextEncoder()
const signers = new Map<string, Promise<Signer>>()

/** The signer of a secret; one keyed hasher per distinct secret, created once. */
export function createSigner(secret: string | Uint8Array): Promise<Signer> {
  const bytes = typeof secret === 'string' ? utf8.encode(secret) : secret
  const id = toHex(bytes)
  let signer = signers.get(id)
  if (!signer) {
    signer = deriveMacKey(bytes).then(keyedHasher).then(toSigner)
    signers.set(id, signer)
  }
  return signer
}

/** The 32-byte keyed-mode key for a secret (see the module comment). */
export async function deriveMacKey(secret: Uint8Array): Promise<Uint8Array> {
  const h = new Blake3Js() // unkeyed: the same digest as hash-wasm's, without a second WebAssembly instance
  h.update(utf8.encode(MAC_KEY_CONTEXT))
  h.update(new Uint8Array([0]))
  h.update(secret)
  return h.digest('binary')
}

function toSigner(hasher: Blake3Hasher): Signer {
  return {
    mac(storeKey, parts) {
      const key = utf8.encode(storeKey)
      const length = new Uint8Array(4)
      new DataView(length.buffer).setUint32(0, key.length, true)
      hasher.init()
      hasher.update(length)
      hasher.update(key)
      for (const part of parts) hasher.update(part)
      return hasher.digest('binary')
    },
  }
}

/** Constant-time comparison of two MACs. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!
  return diff === 0
}
