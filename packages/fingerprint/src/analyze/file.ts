import { readFileSync } from 'node:fs'
import { blake3 } from '../hash.ts'
import { contentKey } from '../version.ts'
import { analyzeSource } from './analyze-source.ts'
import type { SyntaxErrorInfo } from './analysis-types.ts'

export interface FileRequest {
  id: number
  path: string
  ext: string
}
export interface FileResult {
  id: number
  hash?: string
  key?: string
  analysis?: string
  error?: SyntaxErrorInfo
  crash?: string
}

/** Reads, hashes and analyzes one file (in a parser thread, or inline for small files). Call `initHash()` first. */
export function analyzeFile(req: FileRequest, bytes?: Uint8Array): FileResult {
  if (!bytes) {
    try {
      bytes = readFileSync(req.path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error)
      return {
        id: req.id,
        error: {
          kind: 'read',
          message: `cannot be read (${code}). Check that the file exists and is readable.`,
          line: 0,
          column: 0,
          codeframe: '',
        },
      }
    }
  }
  const hash = blake3(bytes)
  const key = contentKey(req.ext, hash)
  const r = analyzeSource(`file${req.ext}`, bytes)
  if (!r.ok) return { id: req.id, error: r.error }
  // JSON text: cheaper to post than a structured clone, and what the snapshot stores.
  return { id: req.id, hash, key, analysis: JSON.stringify(r.analysis) }
}

/** Larger files always go to a parser thread. */
export const INLINE_MAX_BYTES = 16 * 1024
/** More brackets than this and a file goes to a parser thread (see `fitsMainStack`). */
const INLINE_MAX_BRACKETS = 1500

/**
 * Whether the parser can safely run on the main thread's 8 MB native stack: it recurses per
 * nesting level and crashes the process near 5,000 nested parentheses (measured; every construct
 * without brackets stays far from the limit in 16 KB). Nesting depth is at most the number of
 * opening brackets, so a small file with few of them is safe.
 */
export function fitsMainStack(bytes: Uint8Array): boolean {
  if (bytes.length > INLINE_MAX_BYTES) return false
  let brackets = 0
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]
    if (c === 0x28 || c === 0x5b || c === 0x7b) brackets++ // ( [ {
  }
  return brackets <= INLINE_MAX_BRACKETS
}
