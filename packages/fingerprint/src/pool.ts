import { Worker } from 'node:worker_threads'
import type { AnalyzeResult } from './analyze/types.ts'

/** Native stack of the parser thread: oxc-parser recurses on nesting depth (50,000-deep code needs ~100 MB). */
const STACK_MB = 512

interface Pending { resolve: (r: AnalyzeResult) => void, reject: (e: Error) => void }

/**
 * One lazily started worker thread that parses and analyzes files. Idle, it does not keep the
 * process alive. If it dies, pending requests fail with a clear error and the next request
 * starts a fresh worker.
 */
export class AnalyzerPool {
  private worker: Worker | undefined
  private pending = new Map<number, Pending>()
  private nextId = 0

  constructor(private workerUrl: URL) {}

  analyze(filename: string, source: string): Promise<AnalyzeResult> {
    const worker = this.start()
    const id = this.nextId++
    return new Promise<AnalyzeResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      if (this.pending.size === 1) worker.ref()
      worker.postMessage({ id, filename, source })
    })
  }

  /** Stops the worker; pending requests are rejected. */
  async close(): Promise<void> {
    const w = this.worker
    this.worker = undefined
    if (w) await w.terminate()
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(this.workerUrl, { resourceLimits: { stackSizeMb: STACK_MB } })
    worker.unref()
    worker.on('message', (msg: { id: number, result?: AnalyzeResult, crash?: string }) => {
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (this.pending.size === 0) worker.unref()
      if (msg.result) p.resolve(msg.result)
      else p.reject(new Error(`[smart-cache] internal error while analyzing a file: ${msg.crash}`))
    })
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined
      for (const p of this.pending.values()) p.reject(new Error(`[smart-cache] the parser worker stopped: ${error.message}`))
      this.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', code => fail(new Error(`exit code ${code}`)))
    this.worker = worker
    return worker
  }
}
