import { createBLAKE3 } from 'hash-wasm'
import { describe, expect, it } from 'vitest'
import { Blake3Js } from '../src/core/blake3-js.ts'

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let x = seed
  for (let i = 0; i < n; i++) out[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24
  return out
}

describe('BLAKE3 in JavaScript (used before the WebAssembly has loaded)', () => {
  it('equals hash-wasm at every length around block, chunk and subtree boundaries, fed whole or in pieces', async () => {
    const wasm = await createBLAKE3()
    const js = new Blake3Js()
    const lengths = new Set<number>()
    for (let n = 0; n <= 2100; n += 7) lengths.add(n)
    for (const edge of [
      63,
      64,
      65,
      1023,
      1024,
      1025,
      2047,
      2048,
      2049,
      3072,
      4095,
      4096,
      4097,
      8192,
      8193,
      16 * 1024 + 1,
      100_000,
      1 << 20,
    ])
      lengths.add(edge)
    for (const n of lengths) {
      const input = bytes(n, n)
      const expected = wasm.init().update(input).digest('hex')
      expect(js.init().update(input).digest('hex'), `length ${n}`).toBe(expected)
      const cut = Math.floor(n / 3)
      expect(
        js
          .init()
          .update(input.subarray(0, cut))
          .update(input.subarray(cut, cut + 1))
          .update(input.subarray(cut + 1))
          .digest('hex'),
        `length ${n} in pieces`,
      ).toBe(expected)
    }
    expect(js.init().update('smart-cache ✓').digest('binary')).toEqual(wasm.init().update('smart-cache ✓').digest('binary'))
  })

  it('keyed mode equals hash-wasm createBLAKE3(256, key) (entry signing in browsers), and refuses a key that is not 32 bytes', async () => {
    const key = bytes(32, 99)
    const wasm = await createBLAKE3(256, key)
    const js = new Blake3Js(key)
    for (const n of [0, 1, 64, 65, 1024, 1025, 2048, 3073, 70_000]) {
      const input = bytes(n, n + 1)
      expect(js.init().update(input).digest('hex'), `length ${n}`).toBe(wasm.init().update(input).digest('hex'))
    }
    expect(() => new Blake3Js(new Uint8Array(31))).toThrow(/^\[smart-cache\] a BLAKE3 key is 32 bytes/)
  })
})
