/** hash-wasm's BLAKE3 bundle alone (see `core/blake3.ts`); its types are those of the package's index. */
declare module 'hash-wasm/dist/blake3.umd.min.js' {
  export { createBLAKE3 } from 'hash-wasm'
}
