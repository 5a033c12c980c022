import type { Blake3Module } from './blake3.ts'

/**
 * hash-wasm's BLAKE3 module alone (a CommonJS bundle: its exports are the default export under
 * Node), for `setBlake3Loader`: only the Node entries import this module, so the browser bundle
 * holds no WebAssembly.
 */
export function loadBlake3Wasm(): Promise<Blake3Module> {
  return import('hash-wasm/dist/blake3.umd.min.js').then(m => ((m as { default?: Blake3Module }).default ?? m) as Blake3Module)
}
