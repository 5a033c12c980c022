import { parentPort } from 'node:worker_threads'
import { initHash } from '../hash.ts'
import { analyzeSource } from './parse.ts'

/**
 * Worker entry: parses and analyzes files off the main thread, on a thread whose native stack is
 * large enough for the parser's recursion on very deep code (a segfault on the main thread's 8 MB).
 */
interface Request { id: number, filename: string, source: string }

const ready = initHash()
parentPort!.on('message', async (req: Request) => {
  await ready
  try {
    parentPort!.postMessage({ id: req.id, result: analyzeSource(req.filename, req.source) })
  }
  catch (error) {
    parentPort!.postMessage({ id: req.id, crash: String((error as Error)?.stack ?? error) })
  }
})
