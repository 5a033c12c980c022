/** hash-wasm's BLAKE3 bundle alone, imported by `core/blake3-wasm.ts` only; its types are those of the package's index. */
declare module 'hash-wasm/dist/blake3.umd.min.js' {
  export { createBLAKE3 } from 'hash-wasm'
}
