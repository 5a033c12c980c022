import { beforeAll, describe, expect, it } from 'vitest'
import { loadHashers } from '../src/core/blake3.ts'
import { CorruptEntryError, FLAG_ERROR, openEnvelope, sealEnvelope } from '../src/core/envelope.ts'

beforeAll(() => loadHashers())
const header = { id: 'src/a.ts#f', fingerprint: 'a'.repeat(64) }
const payload = new TextEncoder().encode('[1,2,3]')

describe('envelope', () => {
  it('round-trips header, flags, createdAt and payload', () => {
    const bytes = sealEnvelope(header, payload, FLAG_ERROR, 1234)
    const env = openEnvelope(bytes)
    expect(env).toMatchObject({ header, flags: FLAG_ERROR, createdAt: 1234, size: bytes.length })
    expect([...env.payload]).toEqual([...payload])
  })

  it('detects truncation, every single-bit flip and wrong versions', () => {
    const bytes = sealEnvelope(header, payload)
    for (let n = 0; n < bytes.length; n++) expect(() => openEnvelope(bytes.subarray(0, n))).toThrow(CorruptEntryError)
    for (let i = 0; i < bytes.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = bytes.slice()
        copy[i]! ^= 1 << bit
        expect(() => openEnvelope(copy), `byte ${i} bit ${bit}`).toThrow(CorruptEntryError)
      }
    }
    expect(() => openEnvelope(new Uint8Array([...bytes, 0]))).toThrow(/truncated/)
  })

  it('accepts Buffer, ArrayBuffer and unstorage base64 strings; rejects other types', () => {
    const bytes = sealEnvelope(header, payload)
    expect(openEnvelope(Buffer.from(bytes)).header).toEqual(header)
    expect(openEnvelope(bytes.slice().buffer).header).toEqual(header)
    expect(openEnvelope(`base64:${Buffer.from(bytes).toString('base64')}`).header).toEqual(header)
    expect(() => openEnvelope({})).toThrow(CorruptEntryError)
  })
})
