import { CHUNK_END, CHUNK_START, compress, IV, KEYED_HASH, loadWords, PARENT, ROOT } from './blake3-compress.ts'
import { toHex } from './hex.ts'

/**
 * BLAKE3-256 (any length, streaming, unkeyed or keyed) in plain JavaScript, after the
 * specification's reference implementation, over the compression function of
 * `blake3-compress.ts`. It is the only BLAKE3 of the browser build (no WebAssembly there, to keep
 * the bundle small), and in Node it serves the calls made before hash-wasm's WebAssembly has
 * loaded, so that a synchronous cached function can read its entry on its first call. Equality with
 * hash-wasm is tested (test/blake3-js.test.ts).
 */

const BLOCK = 64
const BLOCKS_PER_CHUNK = 16
/** Subtrees on the stack: one per bit of the chunk counter (2^54 chunks is far beyond any input). */
const MAX_DEPTH = 54

const utf8 = new TextEncoder()

/** The subset of hash-wasm's `IHasher` the runtime uses. */
export interface Blake3Hasher {
  init(): Blake3Hasher
  update(data: Uint8Array | string): Blake3Hasher
  digest(format: 'binary'): Uint8Array
  digest(format?: 'hex'): string
}

/** A streaming BLAKE3-256 hasher; with a 32-byte `key`, BLAKE3's keyed mode (as `createBLAKE3(256, key)`). */
export class Blake3Js implements Blake3Hasher {
  private readonly key: Uint32Array
  private readonly mode: number
  private readonly cv = new Uint32Array(8)
  private readonly words = new Uint32Array(16)
  private readonly buffer = new Uint8Array(BLOCK)
  private buffered = 0
  /** Blocks compressed into `cv` in the current chunk. */
  private blocks = 0
  private chunk = 0
  /** Chaining values of completed subtrees, 8 words each. */
  private readonly stack = new Uint32Array(MAX_DEPTH * 8)
  private depth = 0

  constructor(key?: Uint8Array) {
    if (key && key.length !== 32) throw new RangeError(`[smart-cache] a BLAKE3 key is 32 bytes, got ${key.length}`)
    this.key = IV
    if (key) loadWords(key, 0, 32, (this.key = new Uint32Array(16)))
    this.mode = key ? KEYED_HASH : 0
    this.init()
  }

  init(): this {
    this.cv.set(this.key.subarray(0, 8))
    this.buffered = 0
    this.blocks = 0
    this.chunk = 0
    this.depth = 0
    return this
  }

  update(data: Uint8Array | string): this {
    const bytes = typeof data === 'string' ? utf8.encode(data) : data
    const end = bytes.length
    let at = 0
    while (at < end) {
      if (this.buffered === BLOCK) {
        loadWords(this.buffer, 0, BLOCK, this.words)
        this.compressBlock()
        this.buffered = 0
      }
      // Whole blocks straight from the input; the last block is kept: it may be the root's.
      if (this.buffered === 0) {
        for (; end - at > BLOCK; at += BLOCK) {
          loadWords(bytes, at, BLOCK, this.words)
          this.compressBlock()
        }
      }
      const take = Math.min(BLOCK - this.buffered, end - at)
      this.buffer.set(bytes.subarray(at, at + take), this.buffered)
      this.buffered += take
      at += take
    }
    return this
  }

  digest(format: 'binary'): Uint8Array
  digest(format?: 'hex'): string
  digest(format: 'binary' | 'hex' = 'hex'): Uint8Array | string {
    const words = this.rootWords()
    const out = new Uint8Array(32)
    for (let i = 0; i < 32; i++) out[i] = (words[i >> 2]! >>> (8 * (i & 3))) & 0xff
    return format === 'binary' ? out : toHex(out)
  }

  private flags(): number {
    return this.mode | (this.blocks === 0 ? CHUNK_START : 0)
  }

  /** `words`, a full block that is not the input's last, into the chunk; a full chunk goes onto the stack. */
  private compressBlock(): void {
    if (this.blocks < BLOCKS_PER_CHUNK - 1) {
      compress(this.cv, 0, this.words, this.chunk, BLOCK, this.flags(), this.cv, 0)
      this.blocks++
      return
    }
    compress(this.cv, 0, this.words, this.chunk, BLOCK, this.flags() | CHUNK_END, this.cv, 0)
    // Merge with the completed subtrees of equal size: one per trailing zero bit of the chunk count.
    for (let total = ++this.chunk; (total & 1) === 0; total /= 2) this.parent(--this.depth, 0, this.cv)
    this.stack.set(this.cv, 8 * this.depth++)
    this.cv.set(this.key.subarray(0, 8))
    this.blocks = 0
  }

  /** The parent of the subtree at `depth` (left) and `right`, written to `right`. */
  private parent(depth: number, flags: number, right: Uint32Array): void {
    const w = this.words
    w.set(this.stack.subarray(8 * depth, 8 * depth + 8))
    w.set(right, 8)
    compress(this.key, 0, w, 0, BLOCK, this.mode | PARENT | flags, right, 0)
  }

  /** The root output: the last chunk's output folded up the stack of subtrees (the state is left as it was). */
  private rootWords(): Uint32Array {
    const out = new Uint32Array(8)
    loadWords(this.buffer, 0, this.buffered, this.words)
    const flags = this.flags() | CHUNK_END
    compress(this.cv, 0, this.words, this.chunk, this.buffered, this.depth === 0 ? flags | ROOT : flags, out, 0)
    for (let d = this.depth - 1; d >= 0; d--) this.parent(d, d === 0 ? ROOT : 0, out)
    return out
  }
}
