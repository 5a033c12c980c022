import { base64ToBytes } from './base64.ts'
import { blake3Bytes } from './blake3.ts'
import { blake3Small, SMALL_MAX } from './blake3-small.ts'
import { equalBytes, type Signer } from './mac.ts'

/**
 * The stored entry (little-endian):
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 4 | magic `SCE1` |
 * | 4 | 1 | format version (4) |
 * | 5 | 1 | flags: bit 0 = the payload is a thrown error, bit 1 = `mac` is a keyed BLAKE3 MAC |
 * | 6 | 2 | reserved, 0 |
 * | 8 | 4 | header length H |
 * | 12 | 4 | payload length P |
 * | 16 | 8 | createdAt, ms since epoch (float64) |
 * | 24 | 32 | BLAKE3-256 over the storage key (`u32le(length) ‖ UTF-8`) and bytes [0, 24) and [56, end); with flag bit 1, the keyed BLAKE3 MAC of `core/mac.ts` over the same |
 * | 56 | H | header: UTF-8 JSON `{ "id", "fingerprint" }` |
 * | 56+H | P | payload: the value codec's bytes |
 *
 * The total length must be exactly 56 + H + P, so truncation is detected before the checksum.
 * A reader with a secret accepts only entries whose MAC verifies (see {@link SignatureError}).
 *
 * Every entry, signed or not, binds its full storage key (`sc1:<fingerprint>:<argsHash>`, so the
 * layout version, the fingerprint and the arguments' hash) and the format version: an entry
 * swapped with another's, or copied under another key, fails its checksum. Version 1
 * did not cover the key in the unsigned checksum; its entries are {@link OutdatedEntryError}s.
 * Version 3: arrays with named properties got their own argument encoding,
 * so an entry written for one under the plain array's key is never served; older ones are misses.
 * Version 4: the payload may be in the value codec's JSON form (`core/codec.ts`).
 */
export const FORMAT_VERSION = 4
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
  /** The entry carries a MAC (verified, unless opened with `acceptUnverified`). */
  signed: boolean
}

/** What an entry is opened against: the storage key it must be bound to, and the signer (none = unsigned entries). */
export interface Signing {
  /** The storage key the entry was read from: covered by the checksum or MAC. */
  key: string
  signer: Signer | undefined
  /** Accept signed entries without verifying them when there is no signer (inspection only). @default false */
  acceptUnverified?: boolean
}

/** What an entry is sealed with. */
export interface SealOptions extends Omit<Signing, 'acceptUnverified'> {
  /** {@link FLAG_ERROR} for a cached thrown error. @default 0 */
  flags?: number
  /** ms since epoch. @default Date.now() */
  createdAt?: number
  /**
   * The payload is the tail of a buffer of its own with exactly {@link envelopeRoom} bytes before it
   * (`encodeValue(value, room)`): the entry is built in that buffer, which it then shares, without
   * copying the payload (2 MB: one allocation and copy less). Other payloads are copied.
   * @default false
   */
  inPlace?: boolean
}

const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder('utf-8', { fatal: true })

/** The length {@link sealEnvelope} gives, without hashing. */
export function sealedSize(header: EnvelopeHeader, payloadLength: number): number {
  return envelopeRoom(header) + payloadLength
}

/** The bytes an entry of `header` holds before its payload: the fixed fields and the header. */
export function envelopeRoom(header: EnvelopeHeader): number {
  return FIXED + headerBytes(header).length
}

/** Builds the bytes of one entry, bound to `options.key` (in the payload's buffer with `options.inPlace`). */
export function sealEnvelope(header: EnvelopeHeader, payload: Uint8Array, options: SealOptions): Uint8Array {
  const { key, signer, createdAt = Date.now() } = options
  const flags = signer ? (options.flags ?? 0) | FLAG_MAC : (options.flags ?? 0) & ~FLAG_MAC
  const head = headerBytes(header)
  const room = FIXED + head.length
  const inPlace = options.inPlace === true && payload.byteOffset === room && payload.buffer.byteLength === room + payload.length
  const out = inPlace ? new Uint8Array(payload.buffer) : new Uint8Array(room + payload.length)
  const view = new DataView(out.buffer)
  out.set(MAGIC, 0)
  out[4] = FORMAT_VERSION
  out[5] = flags
  out[6] = 0
  out[7] = 0
  view.setUint32(8, head.length, true)
  view.setUint32(12, payload.length, true)
  view.setFloat64(16, createdAt, true)
  out.set(head, FIXED)
  if (!inPlace) out.set(payload, room)
  out.set(signer ? signer.mac(key, covered(out)) : checksum(key, out), 24)
  return out
}

function headerBytes(header: EnvelopeHeader): Uint8Array {
  return utf8.encode(JSON.stringify({ id: header.id, fingerprint: header.fingerprint }))
}

/** Why an entry was rejected. */
export class CorruptEntryError extends Error {
  constructor(reason: string) {
    super(`[smart-cache] corrupt cache entry: ${reason}`)
    this.name = 'CorruptEntryError'
  }
}

/** An entry of another format version (an older or newer smart-cache wrote it): a plain miss, overwritten. */
export class OutdatedEntryError extends CorruptEntryError {
  constructor(readonly version: number) {
    super(`format version ${version}, this smart-cache reads version ${FORMAT_VERSION}`)
    this.name = 'OutdatedEntryError'
  }
}

/** A signature problem: `unsigned` or `forged` with a secret set, `unverifiable` (signed, but no secret). */
export class SignatureError extends CorruptEntryError {
  constructor(
    readonly reason: 'unsigned' | 'forged' | 'unverifiable',
    detail: string,
  ) {
    super(detail)
    this.name = 'SignatureError'
  }
}

/** Parses and verifies one entry; throws {@link CorruptEntryError} (or {@link SignatureError}) on any mismatch. */
export function openEnvelope(raw: unknown, signing: Signing): Envelope {
  const bytes = toBytes(raw)
  if (bytes.length < FIXED) throw new CorruptEntryError(`${bytes.length} bytes, shorter than the ${FIXED}-byte envelope`)
  for (let i = 0; i < 4; i++) if (bytes[i] !== MAGIC[i]) throw new CorruptEntryError('bad magic')
  if (bytes[4] !== FORMAT_VERSION) throw new OutdatedEntryError(bytes[4]!)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headLength = view.getUint32(8, true)
  const payloadLength = view.getUint32(12, true)
  if (FIXED + headLength + payloadLength !== bytes.length) {
    throw new CorruptEntryError(`length ${bytes.length}, header says ${FIXED + headLength + payloadLength} (truncated?)`)
  }
  const flags = bytes[5]!
  verify(bytes, flags, signing)
  const header = parseHeader(bytes.subarray(FIXED, FIXED + headLength))
  return {
    header,
    flags,
    createdAt: view.getFloat64(16, true),
    payload: bytes.subarray(FIXED + headLength),
    size: bytes.length,
    signed: (flags & FLAG_MAC) !== 0,
  }
}

function verify(bytes: Uint8Array, flags: number, signing: Signing): void {
  const signer = signing.signer
  const stored = bytes.subarray(24, FIXED)
  if (!(flags & FLAG_MAC)) {
    if (signer) throw new SignatureError('unsigned', 'unsigned entry, but signing is on (a secret is set)')
    if (!equalBytes(stored, checksum(signing.key, bytes)))
      throw new CorruptEntryError(`checksum mismatch (damaged, or not written under the key ${signing.key})`)
    return
  }
  if (signer) {
    if (!equalBytes(stored, signer.mac(signing.key, covered(bytes))))
      throw new SignatureError('forged', 'MAC mismatch (forged, corrupt, or written with another secret)')
  } else if (!signing.acceptUnverified) {
    throw new SignatureError('unverifiable', 'signed entry, but no secret is set to verify it')
  }
}

/** The bytes a checksum or MAC covers: [0, 24) and [56, end). */
function covered(bytes: Uint8Array): Uint8Array[] {
  return [bytes.subarray(0, 24), bytes.subarray(FIXED)]
}

/** The last header parsed and its bytes: the entries a process reads mostly share one (one function's). */
let lastHeaderBytes = new Uint8Array(0)
let lastHeader: EnvelopeHeader | undefined

function parseHeader(bytes: Uint8Array): EnvelopeHeader {
  if (lastHeader && equalBytes(bytes, lastHeaderBytes)) return { ...lastHeader }
  const header = JSON.parse(fromUtf8.decode(bytes)) as Partial<EnvelopeHeader>
  if (typeof header.id !== 'string' || typeof header.fingerprint !== 'string') throw new CorruptEntryError('bad header')
  lastHeader = { id: header.id, fingerprint: header.fingerprint }
  lastHeaderBytes = bytes.slice()
  return { ...lastHeader }
}

const scratch = new Uint8Array(SMALL_MAX)
const scratchView = new DataView(scratch.buffer)

/**
 * Unkeyed BLAKE3-256 over the same input as the MAC: `u32le(len(key)) || key || covered bytes`.
 * A small entry's input is laid out in one reused buffer (no allocation: a small hit's
 * checksum used to allocate five arrays); the result may be that reused digest: use it at once.
 */
function checksum(key: string, bytes: Uint8Array): Uint8Array {
  const bodyLength = 24 + bytes.length - FIXED
  if (4 + key.length * 3 + bodyLength <= SMALL_MAX) {
    const { written } = utf8.encodeInto(key, scratch.subarray(4))
    scratchView.setUint32(0, written, true)
    scratch.set(bytes.subarray(0, 24), 4 + written)
    scratch.set(bytes.subarray(FIXED), 28 + written)
    return blake3Small(scratch.subarray(0, 4 + written + bodyLength))
  }
  const keyBytes = utf8.encode(key)
  const length = new Uint8Array(4)
  new DataView(length.buffer).setUint32(0, keyBytes.length, true)
  return blake3Bytes([length, keyBytes, ...covered(bytes)])
}

/** Accepts what drivers return for raw items: Uint8Array/Buffer, ArrayBuffer, or unstorage's base64 fallback. */
export function toBytes(raw: unknown): Uint8Array {
  if (raw instanceof Uint8Array) return raw
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw)
  if (ArrayBuffer.isView(raw)) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
  if (typeof raw === 'string') return base64ToBytes(raw.startsWith('base64:') ? raw.slice(7) : raw)
  throw new CorruptEntryError(`unexpected stored type ${raw === null ? 'null' : typeof raw}`)
}
