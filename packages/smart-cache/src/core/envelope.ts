import { getHashers } from './blake3.ts'

/**
 * The stored entry (little-endian):
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 4 | magic `SCE1` |
 * | 4 | 1 | format version (1) |
 * | 5 | 1 | flags: bit 0 = the payload is a thrown error, bit 1 = `mac` is a keyed BLAKE3 MAC (issue 6) |
 * | 6 | 2 | reserved, 0 |
 * | 8 | 4 | header length H |
 * | 12 | 4 | payload length P |
 * | 16 | 8 | createdAt, ms since epoch (float64) |
 * | 24 | 32 | BLAKE3-256 over bytes [0, 24) and [56, end) |
 * | 56 | H | header: UTF-8 JSON `{ "id", "fingerprint" }` |
 * | 56+H | P | payload: the value codec's bytes |
 *
 * The total length must be exactly 56 + H + P, so truncation is detected before the checksum.
 */
export const FORMAT_VERSION = 1
export const FLAG_ERROR = 1
export const FLAG_MAC = 2
const MAGIC = [0x53, 0x43, 0x45, 0x31]
const FIXED = 56

export interface EnvelopeHeader {
  id: string
  fingerprint: string
}

export interface Envelope {
  header: EnvelopeHeader
  flags: number
  createdAt: number
  payload: Uint8Array
  size: number
}

const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder('utf-8', { fatal: true })

/** Builds the bytes of one entry. */
export function sealEnvelope(header: EnvelopeHeader, payload: Uint8Array, flags = 0, createdAt = Date.now()): Uint8Array {
  const head = utf8.encode(JSON.stringify({ id: header.id, fingerprint: header.fingerprint }))
  const out = new Uint8Array(FIXED + head.length + payload.length)
  const view = new DataView(out.buffer)
  out.set(MAGIC, 0)
  out[4] = FORMAT_VERSION
  out[5] = flags
  view.setUint32(8, head.length, true)
  view.setUint32(12, payload.length, true)
  view.setFloat64(16, createdAt, true)
  out.set(head, FIXED)
  out.set(payload, FIXED + head.length)
  out.set(checksum(out), 24)
  return out
}

/** Why an entry was rejected. */
export class CorruptEntryError extends Error {
  constructor(reason: string) {
    super(`[smart-cache] corrupt cache entry: ${reason}`)
    this.name = 'CorruptEntryError'
  }
}

/** Parses and verifies one entry; throws {@link CorruptEntryError} on any mismatch. */
export function openEnvelope(raw: unknown): Envelope {
  const bytes = toBytes(raw)
  if (bytes.length < FIXED) throw new CorruptEntryError(`${bytes.length} bytes, shorter than the ${FIXED}-byte envelope`)
  for (let i = 0; i < 4; i++) if (bytes[i] !== MAGIC[i]) throw new CorruptEntryError('bad magic')
  if (bytes[4] !== FORMAT_VERSION) throw new CorruptEntryError(`format version ${bytes[4]}, expected ${FORMAT_VERSION}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headLength = view.getUint32(8, true)
  const payloadLength = view.getUint32(12, true)
  if (FIXED + headLength + payloadLength !== bytes.length) {
    throw new CorruptEntryError(`length ${bytes.length}, header says ${FIXED + headLength + payloadLength} (truncated?)`)
  }
  const flags = bytes[5]!
  if (flags & FLAG_MAC) throw new CorruptEntryError('signed entry, but signing is not supported by this version')
  const expected = checksum(bytes)
  for (let i = 0; i < 32; i++) if (bytes[24 + i] !== expected[i]) throw new CorruptEntryError('checksum mismatch')
  const header = parseHeader(bytes.subarray(FIXED, FIXED + headLength))
  return {
    header,
    flags,
    createdAt: view.getFloat64(16, true),
    payload: bytes.subarray(FIXED + headLength),
    size: bytes.length,
  }
}

function parseHeader(bytes: Uint8Array): EnvelopeHeader {
  const header = JSON.parse(fromUtf8.decode(bytes)) as Partial<EnvelopeHeader>
  if (typeof header.id !== 'string' || typeof header.fingerprint !== 'string') throw new CorruptEntryError('bad header')
  return { id: header.id, fingerprint: header.fingerprint }
}

function checksum(bytes: Uint8Array): Uint8Array {
  const h = getHashers().envelope
  h.init()
  h.update(bytes.subarray(0, 24))
  h.update(bytes.subarray(FIXED))
  return h.digest('binary')
}

/** Accepts what drivers return for raw items: Uint8Array/Buffer, ArrayBuffer, or unstorage's base64 fallback. */
export function toBytes(raw: unknown): Uint8Array {
  if (raw instanceof Uint8Array) return raw
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw)
  if (ArrayBuffer.isView(raw)) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
  if (typeof raw === 'string') return base64ToBytes(raw.startsWith('base64:') ? raw.slice(7) : raw)
  throw new CorruptEntryError(`unexpected stored type ${raw === null ? 'null' : typeof raw}`)
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}
