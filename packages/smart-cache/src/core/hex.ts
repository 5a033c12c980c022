/** Each byte's two lowercase hex digits as ASCII, the first in the low byte. */
const HEX_CODES = new Uint16Array(256)
for (let i = 0; i < 256; i++) {
  const pair = i.toString(16).padStart(2, '0')
  HEX_CODES[i] = pair.charCodeAt(0) | (pair.charCodeAt(1) << 8)
}
const digestOut = new Uint8Array(64)
const asciiDecoder = new TextDecoder()

/**
 * Lowercase hex of `bytes`: ASCII bytes decoded at once, faster than joining strings. A 32-byte
 * digest (the common case: every BLAKE3-256) is written into one reused buffer.
 */
export function toHex(bytes: Uint8Array): string {
  const out = bytes.length === 32 ? digestOut : new Uint8Array(2 * bytes.length)
  for (let i = 0; i < bytes.length; i++) {
    const pair = HEX_CODES[bytes[i]!]!
    out[2 * i] = pair & 0xff
    out[2 * i + 1] = pair >> 8
  }
  return asciiDecoder.decode(out)
}
