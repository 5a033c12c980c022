import { parentPort } from 'node:worker_threads'
import { initHash } from '../hash.ts'
import { analyzeFile, type FileRequest, type FileResult } from './file.ts'

export type { FileRequest, FileResult }

/**
 * Worker entry: reads, hashes and analyzes files off the main thread, on a
 * thread whose native stack is large enough for the parser's recursion on very deep code (a
 * segfault on the main thread's 8 MB). Requests come in batches; results go back in chunks.
 */
interface Batch {
  requests: FileRequest[]
}

/**
 * Results are posted in chunks: at most this many, and at least every FLUSH_MS, so the main
 * thread starts linking (and finds the next files) as soon as large files are done.
 */
const CHUNK = 64
const FLUSH_MS = 2

const ready = initHash()
parentPort!.on('message', async (batch: Batch) => {
  await ready
  let out: FileResult[] = []
  let flushed = performance.now()
  for (const req of batch.requests) {
    try {
      out.push(analyzeFile(req))
    } catch (error) {
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
