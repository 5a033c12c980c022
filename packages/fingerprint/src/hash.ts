import { createBLAKE3, type IHasher } from 'hash-wasm'

let hasher: IHasher | undefined
let loading: Promise<void> | undefined

/** Loads the BLAKE3 WebAssembly module once; every other function here needs it. */
export function initHash(): Promise<void> {
  loading ??= createBLAKE3().then((h) => { hasher = h })
  return loading
}

/** BLAKE3-256 of a string (UTF-8) or bytes, as 64 hex chars. Call `initHash()` first. */
export function blake3(data: string | Uint8Array): string {
  if (!hasher) throw new Error('[smart-cache] internal: blake3() called before initHash()')
  hasher.init()
  hasher.update(data)
  return hasher.digest('hex')
}
