import { parentPort } from 'node:worker_threads'
import { initHash } from '../hash.ts'
import { analyzeSource } from './parse.ts'

/**
 * Worker entry: parses and analyzes files off the main thread, on a thread whose native stack is
 * large enough for the parser's recursion on very deep code (a segfault on the main thread's 8 MB).
 */
interface Request { id: number, filename: string, bytes: Uint8Array }

const ready = initHash()
parentPort!.on('message', async (req: Request) => {
  await ready
  try {
    const r = analyzeSource(req.filename, req.bytes)
    // JSON text: cheaper to post than a structured clone, and what the disk cache stores.
    if (r.ok) parentPort!.postMessage({ id: req.id, analysis: JSON.stringify(r.analysis) })
    else parentPort!.postMessage({ id: req.id, error: r.error })
  }
  catch (error) {
    parentPort!.postMessage({ id: req.id, crash: String((error as Error)?.stack ?? error) })
  }
})
