import { Worker } from 'node:worker_threads'
import type { FileAnalysis, SyntaxErrorInfo } from './analyze/types.ts'

/**
 * Native stack of a parser thread. oxc-parser recurses once per nesting level, and the main
 * thread's 8 MB overflow (a segfault) near 20,000 levels. This is address space, committed only as
 * deep code uses it; with it, files up to MAX_SOURCE_BYTES parse (2,000,000 levels measured).
 */
const STACK_MB = 4096
/** A runaway file fails its own request (the worker runs out of heap) instead of the process. */
const HEAP_MB = 4096

/**
 * The parent's Node flags minus `--input-type`, which a worker started from a file rejects (the
 * parent may be `node --input-type=module -e …`).
 */
function workerExecArgv(): string[] {
  return process.execArgv.filter(arg => !arg.startsWith('--input-type'))
}

/** An analysis with its JSON text as the worker sent it (what the disk cache stores), or why there is none. */
export type Analyzed = { ok: true, analysis: FileAnalysis, json: string } | { ok: false, error: SyntaxErrorInfo }

interface Pending { resolve: (r: Analyzed) => void, reject: (e: Error) => void, size: number }

/** One parser thread and its requests in flight. */
class ParserThread {
  readonly pending = new Map<number, Pending>()
  /** Bytes of source waiting in this thread: requests go where the least is waiting. */
  load = 0

  constructor(readonly worker: Worker, private onExit: () => void) {
    worker.on('message', (msg: { id: number, analysis?: string, error?: SyntaxErrorInfo, crash?: string }) => {
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      this.load -= p.size
      if (this.pending.size === 0) worker.unref()
      if (msg.analysis !== undefined) p.resolve({ ok: true, analysis: JSON.parse(msg.analysis) as FileAnalysis, json: msg.analysis })
      else if (msg.error) p.resolve({ ok: false, error: msg.error })
      else p.reject(new Error(`[smart-cache] internal error while analyzing a file: ${msg.crash}`))
    })
    const fail = (error: Error): void => {
      this.onExit()
      this.load = 0
      for (const p of this.pending.values()) p.reject(new Error(`[smart-cache] the parser thread stopped: ${error.message}`))
      this.pending.clear()
    }
    worker.on('error', fail)
    worker.on('exit', code => fail(new Error(`exit code ${code}`)))
    // After the listeners: adding a 'message' listener refs the worker's port again.
    worker.unref()
  }

  send(id: number, filename: string, bytes: Uint8Array, p: Pending): void {
    this.pending.set(id, p)
    this.load += p.size
    if (this.pending.size === 1) this.worker.ref()
    this.worker.postMessage({ id, filename, bytes })
  }
}

/**
 * Lazily started worker threads that parse and analyze files; a request goes to the thread with
 * the fewest bytes waiting. Idle threads do not keep the process alive. A thread that dies fails its
 * pending requests with a clear error and is replaced on the next request.
 */
export class AnalyzerPool {
  private threads: Array<ParserThread | undefined>
  private nextId = 0

  constructor(private workerUrl: URL, size: number) {
    this.threads = Array.from({ length: Math.max(1, size) })
  }

  analyze(filename: string, bytes: Uint8Array): Promise<Analyzed> {
    const thread = this.pick()
    const id = this.nextId++
    return new Promise<Analyzed>((resolve, reject) => thread.send(id, filename, bytes, { resolve, reject, size: bytes.length + 1024 }))
  }

  /** Starts the first thread ahead of the first request (it loads the parser while the caller works). */
  warm(): void {
    if (!this.threads[0]) this.start(0)
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    const running = this.threads.filter(t => t !== undefined)
    this.threads = this.threads.map(() => undefined)
    await Promise.all(running.map(t => t.worker.terminate()))
  }

  private pick(): ParserThread {
    let best = -1
    for (let i = 0; i < this.threads.length; i++) {
      const t = this.threads[i]
      if (!t) return this.start(i)
      if (best === -1 || t.load < this.threads[best]!.load) best = i
    }
    return this.threads[best]!
  }

  private start(i: number): ParserThread {
    const worker = new Worker(this.workerUrl, { execArgv: workerExecArgv(), resourceLimits: { stackSizeMb: STACK_MB, maxOldGenerationSizeMb: HEAP_MB } })
    const thread = new ParserThread(worker, () => {
      if (this.threads[i] === thread) this.threads[i] = undefined
    })
    this.threads[i] = thread
    return thread
  }
}
