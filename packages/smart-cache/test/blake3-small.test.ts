import { createBLAKE3 } from 'hash-wasm'
import { describe, expect, it } from 'vitest'
import { blake3Small, SMALL_MAX } from '../src/core/blake3-small.ts'

describe('blake3Small (single-chunk BLAKE3 in JS)', () => {
  it('equals hash-wasm BLAKE3-256 for every length 0…1024 and random contents', async () => {
    const ref = await createBLAKE3()
    const data = new Uint8Array(SMALL_MAX)
    for (let i = 0; i < data.length; i++) data[i] = (i * 251 + 7) & 0xff
    for (let n = 0; n <= SMALL_MAX; n++) {
      const input = n % 3 === 0 ? crypto.getRandomValues(new Uint8Array(n)) : data.subarray(0, n)
      ref.init()
      ref.update(input)
      expect(Buffer.from(blake3Small(input)).toString('hex'), `length ${n}`).toBe(ref.digest('hex'))
    }
  })

  it('matches the official test vector for the empty input and refuses more than one chunk', () => {
    expect(Buffer.from(blake3Small(new Uint8Array(0))).toString('hex')).toBe(
      'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
    )
    expect(() => blake3Small(new Uint8Array(SMALL_MAX + 1))).toThrow(/\[smart-cache\]/)
  })
})
