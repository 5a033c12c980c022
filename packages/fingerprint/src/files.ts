import { readFileSync, statSync } from 'node:fs'
import { FingerprintError } from './errors.ts'
import { RACY_MS } from './facts.ts'
import { blake3 } from './hash.ts'

/** A file's identity at one moment: enough to tell, without reading it, that it did not change. */
export interface Stamp { size: number, mtimeMs: number, ctimeMs: number, ino: number }


export function stampOf(abs: string): Stamp | undefined {
  const s = statSync(abs, { throwIfNoEntry: false })
  if (!s || !s.isFile()) return undefined
  return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino }
}

/** True when the stamps are equal and old enough that equal stamps mean equal content. */
export function sameStamp(a: Stamp, b: Stamp): boolean {
  if (a.size !== b.size || a.mtimeMs !== b.mtimeMs || a.ctimeMs !== b.ctimeMs || a.ino !== b.ino) return false
  const now = Date.now()
  return now - a.mtimeMs > RACY_MS && now - a.ctimeMs > RACY_MS
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Source text from bytes: UTF-8 (a BOM is dropped); a binary or non-UTF-8 file is an error. */
export function decodeSource(bytes: Uint8Array): { text: string } | { error: 'binary' | 'encoding', message: string } {
  const nul = bytes.indexOf(0)
  if (nul !== -1) return { error: 'binary', message: `is a binary file (NUL byte at offset ${nul}), not source code. Import it through a loader or keep it out of the cached function's dependencies.` }
  let text: string
  try {
    text = utf8.decode(bytes)
  }
  catch {
    return { error: 'encoding', message: 'is not valid UTF-8 text. Re-save it as UTF-8.' }
  }
  return { text: text.charCodeAt(0) === 0xFEFF ? text.slice(1) : text }
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
