/**
 * BLAKE3-256 (unkeyed) for inputs of at most one chunk (1024 bytes), in plain JavaScript.
 *
 * Why: hash-wasm's fixed cost per digest (crossing into WebAssembly, copying in and out) is
 * ~350 ns, more than the whole hash of a small argument list. Inputs above {@link SMALL_MAX} go
 * to hash-wasm. Equality with hash-wasm is tested for every length 0…1024 (test/blake3-small.test.ts).
 */
export const SMALL_MAX = 1024

const IV = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
const CHUNK_START = 1
const CHUNK_END = 2
const ROOT = 8

const block = new Uint32Array(16)
const cv = new Uint32Array(8)
const out = new Uint8Array(32)
const outWords = new Uint32Array(out.buffer)
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/**
 * One compression of `block` into `cv` (chunk counter 0). State and message live in locals; the
 * eight G mixes of a round are written out (columns, then diagonals) and the message words are
 * permuted between rounds, as in the specification.
 */
function compress(blockLen: number, flags: number): void {
  const b = block
  let m0 = b[0]!,
    m1 = b[1]!,
    m2 = b[2]!,
    m3 = b[3]!,
    m4 = b[4]!,
    m5 = b[5]!,
    m6 = b[6]!,
    m7 = b[7]!
  let m8 = b[8]!,
    m9 = b[9]!,
    m10 = b[10]!,
    m11 = b[11]!,
    m12 = b[12]!,
    m13 = b[13]!,
    m14 = b[14]!,
    m15 = b[15]!
  let v0 = cv[0]!,
    v1 = cv[1]!,
    v2 = cv[2]!,
    v3 = cv[3]!,
    v4 = cv[4]!,
    v5 = cv[5]!,
    v6 = cv[6]!,
    v7 = cv[7]!
  let v8 = IV[0]!,
    v9 = IV[1]!,
    v10 = IV[2]!,
    v11 = IV[3]!,
    v12 = 0,
    v13 = 0,
    v14 = blockLen,
    v15 = flags
  for (let r = 0; r < 7; r++) {
    v0 = (v0 + v4 + m0) | 0
    v12 ^= v0
    v12 = (v12 >>> 16) | (v12 << 16)
    v8 = (v8 + v12) | 0
    v4 ^= v8
    v4 = (v4 >>> 12) | (v4 << 20)
    v0 = (v0 + v4 + m1) | 0
    v12 ^= v0
    v12 = (v12 >>> 8) | (v12 << 24)
    v8 = (v8 + v12) | 0
    v4 ^= v8
    v4 = (v4 >>> 7) | (v4 << 25)
    v1 = (v1 + v5 + m2) | 0
    v13 ^= v1
    v13 = (v13 >>> 16) | (v13 << 16)
    v9 = (v9 + v13) | 0
    v5 ^= v9
    v5 = (v5 >>> 12) | (v5 << 20)
    v1 = (v1 + v5 + m3) | 0
    v13 ^= v1
    v13 = (v13 >>> 8) | (v13 << 24)
    v9 = (v9 + v13) | 0
    v5 ^= v9
    v5 = (v5 >>> 7) | (v5 << 25)
    v2 = (v2 + v6 + m4) | 0
    v14 ^= v2
    v14 = (v14 >>> 16) | (v14 << 16)
    v10 = (v10 + v14) | 0
    v6 ^= v10
    v6 = (v6 >>> 12) | (v6 << 20)
    v2 = (v2 + v6 + m5) | 0
    v14 ^= v2
    v14 = (v14 >>> 8) | (v14 << 24)
    v10 = (v10 + v14) | 0
    v6 ^= v10
    v6 = (v6 >>> 7) | (v6 << 25)
    v3 = (v3 + v7 + m6) | 0
    v15 ^= v3
    v15 = (v15 >>> 16) | (v15 << 16)
    v11 = (v11 + v15) | 0
    v7 ^= v11
    v7 = (v7 >>> 12) | (v7 << 20)
    v3 = (v3 + v7 + m7) | 0
    v15 ^= v3
    v15 = (v15 >>> 8) | (v15 << 24)
    v11 = (v11 + v15) | 0
    v7 ^= v11
    v7 = (v7 >>> 7) | (v7 << 25)
    v0 = (v0 + v5 + m8) | 0
    v15 ^= v0
    v15 = (v15 >>> 16) | (v15 << 16)
    v10 = (v10 + v15) | 0
    v5 ^= v10
    v5 = (v5 >>> 12) | (v5 << 20)
    v0 = (v0 + v5 + m9) | 0
    v15 ^= v0
    v15 = (v15 >>> 8) | (v15 << 24)
    v10 = (v10 + v15) | 0
    v5 ^= v10
    v5 = (v5 >>> 7) | (v5 << 25)
    v1 = (v1 + v6 + m10) | 0
    v12 ^= v1
    v12 = (v12 >>> 16) | (v12 << 16)
    v11 = (v11 + v12) | 0
    v6 ^= v11
    v6 = (v6 >>> 12) | (v6 << 20)
    v1 = (v1 + v6 + m11) | 0
    v12 ^= v1
    v12 = (v12 >>> 8) | (v12 << 24)
    v11 = (v11 + v12) | 0
    v6 ^= v11
    v6 = (v6 >>> 7) | (v6 << 25)
    v2 = (v2 + v7 + m12) | 0
    v13 ^= v2
    v13 = (v13 >>> 16) | (v13 << 16)
    v8 = (v8 + v13) | 0
    v7 ^= v8
    v7 = (v7 >>> 12) | (v7 << 20)
    v2 = (v2 + v7 + m13) | 0
    v13 ^= v2
    v13 = (v13 >>> 8) | (v13 << 24)
    v8 = (v8 + v13) | 0
    v7 ^= v8
    v7 = (v7 >>> 7) | (v7 << 25)
    v3 = (v3 + v4 + m14) | 0
    v14 ^= v3
    v14 = (v14 >>> 16) | (v14 << 16)
    v9 = (v9 + v14) | 0
    v4 ^= v9
    v4 = (v4 >>> 12) | (v4 << 20)
    v3 = (v3 + v4 + m15) | 0
    v14 ^= v3
    v14 = (v14 >>> 8) | (v14 << 24)
    v9 = (v9 + v14) | 0
    v4 ^= v9
    v4 = (v4 >>> 7) | (v4 << 25)
    const t0 = m2,
      t1 = m6,
      t2 = m3,
      t3 = m10,
      t4 = m7,
      t5 = m0,
      t6 = m4,
      t7 = m13,
      t8 = m1,
      t9 = m11,
      t10 = m12,
      t11 = m5,
      t12 = m9,
      t13 = m14,
      t14 = m15,
      t15 = m8
    m0 = t0
    m1 = t1
    m2 = t2
    m3 = t3
    m4 = t4
    m5 = t5
    m6 = t6
    m7 = t7
    m8 = t8
    m9 = t9
    m10 = t10
    m11 = t11
    m12 = t12
    m13 = t13
    m14 = t14
    m15 = t15
  }
  cv[0] = v0 ^ v8
  cv[1] = v1 ^ v9
  cv[2] = v2 ^ v10
  cv[3] = v3 ^ v11
  cv[4] = v4 ^ v12
  cv[5] = v5 ^ v13
  cv[6] = v6 ^ v14
  cv[7] = v7 ^ v15
}

/** Loads up to 64 bytes at `offset` as 16 little-endian words, zero-padded. */
function loadBlock(input: Uint8Array, offset: number, length: number): void {
  const full = length >> 2
  let w = 0
  for (; w < full; w++) {
    const i = offset + 4 * w
    block[w] = input[i]! | (input[i + 1]! << 8) | (input[i + 2]! << 16) | (input[i + 3]! << 24)
  }
  if (w < 16) {
    let word = 0
    for (let i = 0; i < (length & 3); i++) word |= input[offset + 4 * w + i]! << (8 * i)
    block[w++] = word
    for (; w < 16; w++) block[w] = 0
  }
}

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
    loadBlock(input, offset, 64)
    compress(64, flags)
    flags = 0
    offset += 64
  }
  const last = input.length - offset
  loadBlock(input, offset, last)
  compress(last, flags | CHUNK_END | ROOT)
  if (LITTLE_ENDIAN) outWords.set(cv)
  else for (let i = 0; i < 32; i++) out[i] = (cv[i >> 2]! >>> ((i & 3) * 8)) & 0xff
  return out
}
