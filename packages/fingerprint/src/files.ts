import { readFileSync, statSync } from 'node:fs'
import { FingerprintError } from './errors.ts'
import { blake3 } from './hash.ts'

/** A file's identity at one moment: enough to tell, without reading it, that it did not change. */
export interface Stamp { size: bigint, mtimeNs: bigint, ctimeNs: bigint, ino: bigint }

/** Within this many nanoseconds of a write, equal stamps prove nothing (the "racy git" problem). */
const RACY_NS = 3_000_000_000n

export function stampOf(abs: string): Stamp | undefined {
  const s = statSync(abs, { bigint: true, throwIfNoEntry: false })
  if (!s || !s.isFile()) return undefined
  return { size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, ino: s.ino }
}

/** True when `now` is far enough from the stamp's times that an equal stamp means equal content. */
export function sameStamp(a: Stamp, b: Stamp): boolean {
  if (a.size !== b.size || a.mtimeNs !== b.mtimeNs || a.ctimeNs !== b.ctimeNs || a.ino !== b.ino) return false
  const now = BigInt(Date.now()) * 1_000_000n
  return now - a.mtimeNs > RACY_NS && now - a.ctimeNs > RACY_NS
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

export interface TextFile { text: string, hash: string }

/**
 * Reads a source file as UTF-8 text (a BOM is dropped) with its BLAKE3 content hash.
 * A binary or non-UTF-8 file is an error that names the file.
 */
export function readText(abs: string, display: string): TextFile {
  const bytes = readFileSync(abs)
  const nul = bytes.indexOf(0)
  if (nul !== -1) {
    throw new FingerprintError(`${display} is a binary file (NUL byte at offset ${nul}), not source code. Import it through a loader or exclude it from the cached function's dependencies.`)
  }
  let text: string
  try {
    text = utf8.decode(bytes)
  }
  catch {
    throw new FingerprintError(`${display} is not valid UTF-8 text. Re-save it as UTF-8.`)
  }
  if (text.charCodeAt(0) === 0xFEFF) text = text.slice(1)
  return { text, hash: blake3(bytes) }
}

/** BLAKE3 of any file's bytes (assets imported by code). */
export function hashBytes(abs: string): string {
  return blake3(readFileSync(abs))
}
