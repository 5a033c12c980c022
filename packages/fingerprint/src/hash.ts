// The engine's one adapter over hash-wasm: BLAKE3 from its per-algorithm build (a file inside its
// dist folder, hence the exact version in package.json), loaded once.
import { createRequire } from 'node:module'
import type { IHasher } from 'hash-wasm'

type CreateBlake3 = (typeof import('hash-wasm'))['createBLAKE3']

let hasher: IHasher | undefined
let loading: Promise<void> | undefined

/**
 * hash-wasm's BLAKE3 alone: its package index loads every algorithm (~25 ms), its per-algorithm
 * build ~3 ms. The package has no `exports` map, so the file is reachable, but its path is not
 * API: package.json pins hash-wasm to one exact version, and a new one is taken by hand.
 */
function loadCreateBlake3(): CreateBlake3 {
  const require = createRequire(import.meta.url)
  return (require('hash-wasm/dist/blake3.umd.min.js') as { createBLAKE3: CreateBlake3 }).createBLAKE3
}

/** Loads the BLAKE3 WebAssembly module once; every other function here needs it. */
export function initHash(): Promise<void> {
  loading ??= loadCreateBlake3()().then(h => {
    hasher = h
  })
  return loading
}

/** BLAKE3-256 of a string (UTF-8) or bytes, as 64 hex chars. Call `initHash()` first. */
export function blake3(data: string | Uint8Array): string {
  if (!hasher) throw new Error('[smart-cache] internal: blake3() called before initHash()')
  hasher.init()
  hasher.update(data)
  return hasher.digest('hex')
}
