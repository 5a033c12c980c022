import { CHUNK_END, CHUNK_START, compress, IV, loadWords, ROOT } from './blake3-compress.ts'

/**
 * BLAKE3-256 (unkeyed) for inputs of at most one chunk (1024 bytes), in plain JavaScript.
 *
 * Why: hash-wasm's fixed cost per digest (crossing into WebAssembly, copying in and out) is
 * ~350 ns, more than the whole hash of a small argument list. Inputs above {@link SMALL_MAX} go
 * to hash-wasm. Equality with hash-wasm is tested for every length 0…1024 (test/blake3-small.test.ts).
 */
export const SMALL_MAX = 1024

const block = new Uint32Array(16)
const cv = new Uint32Array(8)
const out = new Uint8Array(32)
const outWords = new Uint32Array(out.buffer)
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/**
 * BLAKE3-256 of `input` (at most {@link SMALL_MAX} bytes). The returned array is reused by the
 * next call: copy it if you keep it.
 */
export function blake3Small(input: Uint8Array): Uint8Array {
  if (input.length > SMALL_MAX) throw new RangeError(`[smart-cache] blake3Small: ${input.length} bytes > ${SMALL_MAX}`)
  cv.set(IV)
  let offset = 0
  let flags = CHUNK_START
  while (input.length - offset > 64) {
    loadWords(input, offset, 64, block)
    compress(cv, 0, block, 0, 64, flags, cv, 0)
    flags = 0
    offset += 64
  }
  const last = input.length - offset
  loadWords(input, offset, last, block)
  compress(cv, 0, block, 0, last, flags | CHUNK_END | ROOT, cv, 0)
  if (LITTLE_ENDIAN) outWords.set(cv)
  else for (let i = 0; i < 32; i++) out[i] = (cv[i >> 2]! >>> ((i & 3) * 8)) & 0xff
  return out
}
