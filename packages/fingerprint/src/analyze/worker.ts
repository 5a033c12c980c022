import { readFileSync } from 'node:fs'
import { parentPort } from 'node:worker_threads'
import { blake3, initHash } from '../hash.ts'
import { contentKey } from '../version.ts'
import { analyzeSource } from './parse.ts'
import type { SyntaxErrorInfo } from './types.ts'

/**
 * Worker entry: reads, hashes and analyzes files off the main thread, on a
 * thread whose native stack is large enough for the parser's recursion on very deep code (a
 * segfault on the main thread's 8 MB). Requests come in batches; results go back in chunks.
 */
export interface FileRequest { id: number, path: string, ext: string }
export interface FileResult { id: number, hash?: string, key?: string, analysis?: string, error?: SyntaxErrorInfo, crash?: string }
interface Batch { requests: FileRequest[] }

/**
 * Results are posted in chunks: at most this many, and at least every FLUSH_MS, so the main
 * thread starts linking (and finds the next files) as soon as large files are done.
 */
const CHUNK = 64
const FLUSH_MS = 2

function handle(req: FileRequest): FileResult {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(req.path)
  }
  catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    return { id: req.id, error: { kind: 'read', message: `cannot be read (${code}). Check that the file exists and is readable.`, line: 0, column: 0, codeframe: '' } }
  }
  const hash = blake3(bytes)
  const key = contentKey(req.ext, hash)
  const r = analyzeSource(`file${req.ext}`, bytes)
  if (!r.ok) return { id: req.id, error: r.error }
  // JSON text: cheaper to post than a structured clone, and what the snapshot stores.
  return { id: req.id, hash, key, analysis: JSON.stringify(r.analysis) }
}

const ready = initHash()
parentPort!.on('message', async (batch: Batch) => {
  await ready
  let out: FileResult[] = []
  let flushed = performance.now()
  for (const req of batch.requests) {
    try {
      out.push(handle(req))
    }
    catch (error) {
      out.push({ id: req.id, crash: String((error as Error)?.stack ?? error) })
    }
    if (out.length >= CHUNK || performance.now() - flushed >= FLUSH_MS) {
      parentPort!.postMessage(out)
      out = []
      flushed = performance.now()
    }
  }
  if (out.length > 0) parentPort!.postMessage(out)
})
