/**
 * BLAKE3-256 (unkeyed, any length, streaming) in plain JavaScript, after the specification's
 * reference implementation. hash-wasm is faster but loads asynchronously: this one serves the
 * calls made before it has loaded, so that a synchronous cached function can read its entry on its
 * first call (issue 13). Equality with hash-wasm is tested (test/blake3-js.test.ts).
 */

const IV = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
const PERMUTATION = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8]
const CHUNK_START = 1
const CHUNK_END = 2
const PARENT = 4
const ROOT = 8
const BLOCK = 64
const CHUNK = 1024

const state = new Uint32Array(16)
const message = new Uint32Array(16)
const permuted = new Uint32Array(16)

function g(a: number, b: number, c: number, d: number, x: number, y: number): void {
  const s = state
  s[a] = (s[a]! + s[b]! + x) | 0
  s[d] = rotr(s[d]! ^ s[a]!, 16)
  s[c] = (s[c]! + s[d]!) | 0
  s[b] = rotr(s[b]! ^ s[c]!, 12)
  s[a] = (s[a]! + s[b]! + y) | 0
  s[d] = rotr(s[d]! ^ s[a]!, 8)
  s[c] = (s[c]! + s[d]!) | 0
  s[b] = rotr(s[b]! ^ s[c]!, 7)
}

function rotr(x: number, n: number): number {
  return (x >>> n) | (x << (32 - n))
}

/** Compresses `block` (16 words) into the first 8 words of `out` (the next chaining value). */
function compress(cv: Uint32Array, block: Uint32Array, counter: number, length: number, flags: number, out: Uint32Array): void {
  state.set(cv)
  state.set(IV.subarray(0, 4), 8)
  state[12] = counter >>> 0
  state[13] = Math.floor(counter / 0x100000000)
  state[14] = length
  state[15] = flags
  const m = message
  m.set(block)
  for (let round = 0; round < 7; round++) {
    g(0, 4, 8, 12, m[0]!, m[1]!)
    g(1, 5, 9, 13, m[2]!, m[3]!)
    g(2, 6, 10, 14, m[4]!, m[5]!)
    g(3, 7, 11, 15, m[6]!, m[7]!)
    g(0, 5, 10, 15, m[8]!, m[9]!)
    g(1, 6, 11, 12, m[10]!, m[11]!)
    g(2, 7, 8, 13, m[12]!, m[13]!)
    g(3, 4, 9, 14, m[14]!, m[15]!)
    for (let i = 0; i < 16; i++) permuted[i] = m[PERMUTATION[i]!]!
    m.set(permuted)
  }
  for (let i = 0; i < 8; i++) out[i] = state[i]! ^ state[i + 8]!
}

function loadWords(bytes: Uint8Array, length: number, out: Uint32Array): void {
  out.fill(0)
  for (let i = 0; i < length; i++) out[i >> 2]! |= bytes[i]! << (8 * (i & 3))
}

const utf8 = new TextEncoder()

/** The subset of hash-wasm's `IHasher` the runtime uses. */
export interface Blake3Hasher {
  init(): Blake3Hasher
  update(data: Uint8Array | string): Blake3Hasher
  digest(format: 'binary'): Uint8Array
  digest(format?: 'hex'): string
}

/** A streaming BLAKE3-256 hasher. */
export class Blake3Js implements Blake3Hasher {
  private cv = new Uint32Array(8)
  private block = new Uint8Array(BLOCK)
  private blockLength = 0
  private blocksInChunk = 0
  private chunk = 0
  private stack: Uint32Array[] = []
  private words = new Uint32Array(16)

  constructor() {
    this.init()
  }

  init(): this {
    this.cv.set(IV)
    this.blockLength = 0
    this.blocksInChunk = 0
    this.chunk = 0
    this.stack = []
    return this
  }

  update(data: Uint8Array | string): this {
    const bytes = typeof data === 'string' ? utf8.encode(data) : data
    let offset = 0
    while (offset < bytes.length) {
      if (this.blockLength === BLOCK) {
        if (this.blocksInChunk === CHUNK / BLOCK - 1) this.endChunk()
        else this.compressBlock()
      }
      const take = Math.min(BLOCK - this.blockLength, bytes.length - offset)
      this.block.set(bytes.subarray(offset, offset + take), this.blockLength)
      this.blockLength += take
      offset += take
    }
    return this
  }

  digest(format: 'binary'): Uint8Array
  digest(format?: 'hex'): string
  digest(format: 'binary' | 'hex' = 'hex'): Uint8Array | string {
    const words = this.rootWords()
    const out = new Uint8Array(32)
    for (let i = 0; i < 32; i++) out[i] = (words[i >> 2]! >>> (8 * (i & 3))) & 0xff
    if (format === 'binary') return out
    let hex = ''
    for (const b of out) hex += b.toString(16).padStart(2, '0')
    return hex
  }

  private startFlag(): number {
    return this.blocksInChunk === 0 ? CHUNK_START : 0
  }

  /** A full block that is not the chunk's last: into the chunk's chaining value. */
  private compressBlock(): void {
    loadWords(this.block, BLOCK, this.words)
    compress(this.cv, this.words, this.chunk, BLOCK, this.startFlag(), this.cv)
    this.blocksInChunk++
    this.blockLength = 0
  }

  /** The chunk is full: its chaining value goes onto the stack, merged with completed subtrees. */
  private endChunk(): void {
    loadWords(this.block, BLOCK, this.words)
    let cv: Uint32Array = new Uint32Array(8)
    compress(this.cv, this.words, this.chunk, BLOCK, this.startFlag() | CHUNK_END, cv)
    let total = ++this.chunk
    while ((total & 1) === 0) {
      cv = parent(this.stack.pop()!, cv, 0)
      total /= 2
    }
    this.stack.push(cv)
    this.cv.set(IV)
    this.blocksInChunk = 0
    this.blockLength = 0
  }

  /** The root output: the last chunk's output folded up the stack of subtrees. */
  private rootWords(): Uint32Array {
    loadWords(this.block, this.blockLength, this.words)
    const out = new Uint32Array(8)
    const flags = this.startFlag() | CHUNK_END
    if (this.stack.length === 0) {
      compress(this.cv, this.words, this.chunk, this.blockLength, flags | ROOT, out)
      return out
    }
    let cv: Uint32Array = new Uint32Array(8)
    compress(this.cv, this.words, this.chunk, this.blockLength, flags, cv)
    for (let i = this.stack.length - 1; i >= 0; i--) cv = parent(this.stack[i]!, cv, i === 0 ? ROOT : 0)
    return cv
  }
}

function parent(left: Uint32Array, right: Uint32Array, extra: number): Uint32Array {
  const block = new Uint32Array(16)
  block.set(left)
  block.set(right, 8)
  const out = new Uint32Array(8)
  compress(IV, block, 0, BLOCK, PARENT | extra, out)
  return out
}
