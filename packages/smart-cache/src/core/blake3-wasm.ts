import type { Blake3Module } from './blake3.ts'
import { warnOnce } from './warn.ts'

/**
 * hash-wasm's BLAKE3 module alone (a CommonJS bundle: its exports are the default export under
 * Node), for `setBlake3Loader`: only the Node entries import this module, so the browser bundle
 * holds no WebAssembly. If the module or its WebAssembly cannot load (a CSP without
 * 'wasm-unsafe-eval'), it warns once and rejects: BLAKE3 in JavaScript goes on serving.
 *
 * The runtime's one import of hash-wasm: its package index loads every algorithm, so this reaches
 * into its per-algorithm build. That file is reachable (the package has no `exports` map) but its
 * path is not API: package.json pins hash-wasm to one exact version, and a new one is taken by hand.
 */
export function loadBlake3Wasm(): Promise<Blake3Module> {
  return import('hash-wasm/dist/blake3.umd.min.js').then(m => {
    const module = ((m as { default?: Blake3Module }).default ?? m) as Blake3Module
    return { createBLAKE3: (bits, key) => module.createBLAKE3(bits, key).catch(failed) }
  }, failed)
}

function failed(error: unknown): never {
  warnOnce(
    'no-blake3',
    `[smart-cache] BLAKE3 (WebAssembly, hash-wasm) failed to load (${error instanceof Error ? error.message : String(error)}); ` +
      "BLAKE3 in JavaScript is used instead (same keys, slower for large arguments and entries). Fix: allow WebAssembly (CSP 'wasm-unsafe-eval').",
  )
  throw error
}
