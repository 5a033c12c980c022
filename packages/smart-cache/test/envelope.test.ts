import { beforeAll, describe, expect, it } from 'vitest'
import { loadHashers } from '../src/core/blake3.ts'
import { encodeValue } from '../src/core/codec.ts'
import {
  CorruptEntryError,
  envelopeRoom,
  FLAG_ERROR,
  FORMAT_VERSION,
  OutdatedEntryError,
  openEnvelope,
  sealEnvelope,
} from '../src/core/envelope.ts'

beforeAll(() => loadHashers())
const header = { id: 'src/a.ts#f', fingerprint: 'a'.repeat(64) }
const payload = new TextEncoder().encode('[1,2,3]')
const KEY = `sc1:${'a'.repeat(64)}:${'1'.repeat(64)}`
const at = { key: KEY, signer: undefined }

describe('envelope', () => {
  it('round-trips header, flags, createdAt and payload', () => {
    const bytes = sealEnvelope(header, payload, { ...at, flags: FLAG_ERROR, createdAt: 1234 })
    const env = openEnvelope(bytes, at)
    expect(env).toMatchObject({ header, flags: FLAG_ERROR, createdAt: 1234, size: bytes.length })
    expect([...env.payload]).toEqual([...payload])
  })

  it('detects truncation, every single-bit flip and wrong versions', () => {
    const bytes = sealEnvelope(header, payload, at)
    for (let n = 0; n < bytes.length; n++) expect(() => openEnvelope(bytes.subarray(0, n), at)).toThrow(CorruptEntryError)
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = bytes.slice()
        copy[i]! ^= 1 << bit
        expect(() => openEnvelope(copy, at), `byte ${i} bit ${bit}`).toThrow(CorruptEntryError)
      }
    }
    expect(() => openEnvelope(new Uint8Array([...bytes, 0]), at)).toThrow(/truncated/)
  })

  it('binds the full storage key, unsigned too: the same bytes under another key are corrupt', () => {
    const bytes = sealEnvelope(header, payload, at)
    const others = [
      `sc1:${'a'.repeat(64)}:${'2'.repeat(64)}`, // other arguments
      `sc1:${'b'.repeat(64)}:${'1'.repeat(64)}`, // other fingerprint
      `sc2:${'a'.repeat(64)}:${'1'.repeat(64)}`, // other layout version
    ]
    for (const key of others)
      expect(() => openEnvelope(bytes, { key, signer: undefined })).toThrow(/checksum mismatch .*not written under the key/)
    expect(openEnvelope(bytes, at).header).toEqual(header)
  })

  it('an entry of another format version is an OutdatedEntryError (a plain miss for the runtime)', () => {
    expect(FORMAT_VERSION).toBe(4)
    const old = sealEnvelope(header, payload, at)
    old[4] = 1
    expect(() => openEnvelope(old, at)).toThrow(OutdatedEntryError)
    expect(() => openEnvelope(old, at)).toThrow(/format version 1, this smart-cache reads version 4/)
  })

  it('accepts Buffer, ArrayBuffer and unstorage base64 strings; rejects other types', () => {
    const bytes = sealEnvelope(header, payload, at)
    expect(openEnvelope(Buffer.from(bytes), at).header).toEqual(header)
    expect(openEnvelope(bytes.slice().buffer, at).header).toEqual(header)
    expect(openEnvelope(`base64:${Buffer.from(bytes).toString('base64')}`, at).header).toEqual(header)
    expect(() => openEnvelope({}, at)).toThrow(CorruptEntryError)
  })

  it("built in the payload's own buffer (inPlace), an entry has the very bytes of a copied one; other payloads are copied", () => {
    const big = Array.from({ length: 3000 }, (_, i) => ({ i, s: `row ${i}` })) // over the small-hash size
    for (const value of [{ a: 1 }, big, 'é\u{1F600}']) {
      const copied = sealEnvelope(header, encodeValue(value) as Uint8Array, { ...at, createdAt: 5 })
      const payload = encodeValue(value, envelopeRoom(header)) as Uint8Array
      expect(payload.byteOffset).toBe(envelopeRoom(header))
      const built = sealEnvelope(header, payload, { ...at, createdAt: 5, inPlace: true })
      expect(built.buffer).toBe(payload.buffer)
      expect(Buffer.from(built).equals(Buffer.from(copied))).toBe(true)
      expect(openEnvelope(built, at).createdAt).toBe(5)
    }
    // A payload inside a larger shared buffer is never written around, even when asked to.
    const pool = new Uint8Array(envelopeRoom(header) + payload.length + 8).fill(7)
    pool.set(payload, envelopeRoom(header))
    const inside = pool.subarray(envelopeRoom(header), envelopeRoom(header) + payload.length)
    const sealed = sealEnvelope(header, inside, { ...at, inPlace: true })
    expect(sealed.buffer).not.toBe(pool.buffer)
    expect(pool.subarray(0, envelopeRoom(header)).every(b => b === 7)).toBe(true)
    expect([...openEnvelope(sealed, at).payload]).toEqual([...payload])
  })
})
