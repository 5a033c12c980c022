import { readFileSync } from 'node:fs'
import { FingerprintError } from '../errors.ts'
import { blake3 } from '../hash.ts'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Source text from bytes: UTF-8 (a BOM is dropped); a binary or non-UTF-8 file is an error. */
export function decodeSource(bytes: Uint8Array): { text: string } | { error: 'binary' | 'encoding'; message: string } {
  const nul = bytes.indexOf(0)
  if (nul !== -1)
    return {
      error: 'binary',
      message: `is a binary file (NUL byte at offset ${nul}), not source code. Import it through a loader or keep it out of the cached function's dependencies.`,
    }
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    return { error: 'encoding', message: 'is not valid UTF-8 text. Re-save it as UTF-8.' }
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text }
}

/** Reads a text file (JSON imports); `display` names it in the error. */
export function readText(abs: string, display: string): string {
  const r = decodeSource(readFileSync(abs))
  if ('error' in r) throw new FingerprintError(`${display} ${r.message}`)
  return r.text
}

/** BLAKE3 of any file's bytes (assets imported by code). */
export function hashBytes(abs: string): string {
  return blake3(readFileSync(abs))
}
