/**
 * The BLAKE3 compression function (the first 8 words of its output), shared by {@link blake3Small}
 * and the streaming {@link Blake3Js}: written out over locals, the form V8 runs fastest.
 */

/** BLAKE3's IV (SHA-256's), also the key words of the unkeyed mode. */
export const IV = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
export const CHUNK_START = 1
export const CHUNK_END = 2
export const PARENT = 4
export const ROOT = 8
export const KEYED_HASH = 16

/**
 * One compression: the block `b` (16 words) into the chaining value at `cv[cvAt…]`, written to
 * `out[outAt…]` (may be the same place). State and message live in locals; the
 * eight G mixes of a round are written out (columns, then diagonals) and the message words are
 * permuted between rounds, as in the specification.
 */
export function compress(
  cv: Uint32Array,
  cvAt: number,
  b: Uint32Array,
  counter: number,
  blockLen: number,
  flags: number,
  out: Uint32Array,
  outAt: number,
): void {
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
  let v0 = cv[cvAt]!,
    v1 = cv[cvAt + 1]!,
    v2 = cv[cvAt + 2]!,
    v3 = cv[cvAt + 3]!,
    v4 = cv[cvAt + 4]!,
    v5 = cv[cvAt + 5]!,
    v6 = cv[cvAt + 6]!,
    v7 = cv[cvAt + 7]!
  let v8 = IV[0]!,
    v9 = IV[1]!,
    v10 = IV[2]!,
    v11 = IV[3]!,
    v12 = counter | 0,
    v13 = (counter / 0x100000000) | 0,
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
  out[outAt] = v0 ^ v8
  out[outAt + 1] = v1 ^ v9
  out[outAt + 2] = v2 ^ v10
  out[outAt + 3] = v3 ^ v11
  out[outAt + 4] = v4 ^ v12
  out[outAt + 5] = v5 ^ v13
  out[outAt + 6] = v6 ^ v14
  out[outAt + 7] = v7 ^ v15
}

/** Loads up to 64 bytes of `input` at `offset` into `block` as 16 little-endian words, zero-padded. */
export function loadWords(input: Uint8Array, offset: number, length: number, block: Uint32Array): void {
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
