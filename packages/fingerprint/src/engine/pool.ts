import { readFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import type { FileResult } from '../analyze/file.ts'
import type { FileAnalysis, SyntaxErrorInfo } from '../analyze/analysis-types.ts'
import { initHash } from '../hash.ts'

/**
 * Native stack of a parser thread. oxc-parser recurses once per nesting level, and the main
 * thread's 8 MB overflow (a segfault) near 20,000 levels. This is address space, committed only as
 * deep code uses it; with it, files up to MAX_SOURCE_BYTES parse (2,000,000 levels measured).
 */
const STACK_MB = 4096
/**
 * Bytes waiting in every running thread before another one starts (each request counts its size
 * plus 1 KB). Starting a thread costs more than parsing a few files: a build that parses a handful
 * keeps one thread, a cold start of thousands uses them all.
 */
const SHARE_LOAD = 64 * 1024
/** A runaway file fails its own request (the worker runs out of heap) instead of the process. */
const HEAP_MB = 4096

/**
 * Node flags of a parser thread: none. The thread runs only the engine's own code, and Node refuses
 * to start a worker given many of the parent's flags: V8 heap flags (`node --max-old-space-size=8192
 * node_modules/vite/bin/vite.js build`, common for large apps), `--input-type` (`node -e`), options
 * of the whole process. Inheriting them failed every fingerprint of such a build.
 */
const WORKER_EXEC_ARGV: string[] = []

/** An analysis with its JSON text as the worker sent it, the content hash and cache key, or why there is none. */
export type Analyzed = { ok: true; analysis: FileAnalysis; json: string; hash: string; key: string } | { ok: false; error: SyntaxErrorInfo }

/** One file to analyze: its absolute path, extension (the language) and size (for balancing). */
export interface AnalyzeRequest {
  path: string
  ext: string
  size: number
}

/** While no thread runs, batches of at most this many files are parsed on the main thread (when small enough). */
const INLINE_MAX_FILES = 8

/** An analysis from a thread's (or the inline parser's) result. */
function settleResult(r: FileResult, p: { resolve: (r: Analyzed) => void; reject: (e: Error) => void }): void {
  if (r.analysis !== undefined)
    p.resolve({ ok: true, analysis: JSON.parse(r.analysis) as FileAnalysis, json: r.analysis, hash: r.hash!, key: r.key! })
  else if (r.error) p.resolve({ ok: false, error: r.error })
  else p.reject(new Error(`[smart-cache] internal error while analyzing a file: ${r.crash}`))
}

interface Pending {
  resolve: (r: Analyzed) => void
  reject: (e: Error) => void
  size: number
}
interface Queued extends Pending {
  request: AnalyzeRequest
}

/** One parser thread and its requests in flight. */
class ParserThread {
  readonly pending = new Map<number, Pending>()
  /** Bytes of source waiting in this thread: requests go where the least is waiting. */
  load = 0

  constructor(
    readonly worker: Worker,
    private onExit: () => void,
  ) {
    worker.on('message', (results: FileResult[]) => {
      for (const r of results) this.settle(r)
      if (this.pending.size === 0) worker.unref()
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

  /** Posts a batch of requests in one message. */
  send(batch: Array<[number, Queued]>): void {
    if (this.pending.size === 0) this.worker.ref()
    for (const [id, q] of batch) {
      this.pending.set(id, q)
      this.load += q.size
    }
    this.worker.postMessage({ requests: batch.map(([id, q]) => ({ id, path: q.request.path, ext: q.request.ext })) })
  }

  private settle(r: FileResult): void {
    const p = this.pending.get(r.id)
    if (!p) return
    this.pending.delete(r.id)
    this.load -= p.size
    settleResult(r, p)
  }
}

/** An inline analysis, an internal failure reported like a thread's crash. */
function inlineResult(
  analyze: (typeof import('../analyze/file.ts'))['analyzeFile'],
  request: AnalyzeRequest,
  bytes: Uint8Array,
): FileResult {
  try {
    return analyze({ id: 0, path: request.path, ext: request.ext }, bytes)
  } catch (error) {
    return { id: 0, crash: String((error as Error)?.stack ?? error) }
  }
}

/** A file's bytes, or `undefined` when unreadable (its thread then reports why). */
function readSmall(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path)
  } catch {
    return undefined
  }
}

/**
 * Lazily started worker threads that read, hash and analyze files. Requests
 * made in the same turn of the event loop are posted together, split between the threads by bytes
 * waiting. Idle threads do not keep the process alive. A thread that dies fails its pending
 * requests with a clear error and is replaced on the next request.
 */
export class AnalyzerPool {
  private threads: Array<ParserThread | undefined>
  private nextId = 0
  private queue: Queued[] = []

  constructor(
    private workerUrl: URL,
    size: number,
  ) {
    this.threads = Array.from({ length: Math.max(1, size) })
  }

  analyze(request: AnalyzeRequest): Promise<Analyzed> {
    return new Promise<Analyzed>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.dispatch())
      this.queue.push({ request, resolve, reject, size: request.size + 1024 })
    })
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    const running = this.threads.filter(t => t !== undefined)
    this.threads = this.threads.map(() => undefined)
    await Promise.all(running.map(t => t.worker.terminate()))
  }

  /**
   * Sends the queued requests, each to the thread with the fewest bytes waiting. A few small
   * files while no thread runs are parsed right here: starting a thread costs more.
   */
  private dispatch(): void {
    const queued = this.queue.splice(0)
    if (queued.length <= INLINE_MAX_FILES && !this.threads.some(t => t !== undefined)) void this.inline(queued)
    else this.toThreads(queued)
  }

  private inlineParser: Promise<typeof import('../analyze/file.ts')> | undefined

  /** Loads the inline parser and BLAKE3 ahead of the first batch (a cold start is about to parse). */
  prepareInline(): void {
    this.inlineParser ??= import('../analyze/file.ts')
    this.inlineParser.catch(() => {})
    initHash().catch(() => {})
  }

  /** Parses on the main thread the files whose size and brackets prove it safe; the others go to a thread. */
  private async inline(queued: Queued[]): Promise<void> {
    const rest: Queued[] = []
    try {
      const [{ analyzeFile, fitsMainStack, INLINE_MAX_BYTES }] = await Promise.all([
        (this.inlineParser ??= import('../analyze/file.ts')),
        initHash(),
      ])
      for (const q of queued) {
        const bytes = q.request.size <= INLINE_MAX_BYTES ? readSmall(q.request.path) : undefined
        if (!bytes || !fitsMainStack(bytes)) rest.push(q)
        else settleResult(inlineResult(analyzeFile, q.request, bytes), q)
      }
    } catch {
      // the parser could not load here: the threads do the work
      rest.splice(0, rest.length, ...queued)
    }
    if (rest.length > 0) this.toThreads(rest)
  }

  private toThreads(queued: Queued[]): void {
    const batches = new Map<ParserThread, Array<[number, Queued]>>()
    for (const q of queued) {
      let thread: ParserThread
      try {
        thread = this.pick()
      } catch (error) {
        q.reject(error as Error)
        continue
      }
      thread.load += q.size
      let batch = batches.get(thread)
      if (!batch) batches.set(thread, (batch = []))
      batch.push([this.nextId++, q])
    }
    for (const [thread, batch] of batches) {
      for (const [, q] of batch) thread.load -= q.size
      thread.send(batch)
    }
  }

  /** The running thread with the least waiting; another starts only when that one has enough queued to share. */
  private pick(): ParserThread {
    let best: ParserThread | undefined
    let free = -1
    for (let i = 0; i < this.threads.length; i++) {
      const t = this.threads[i]
      if (!t) free = free === -1 ? i : free
      else if (!best || t.load < best.load) best = t
    }
    if (free !== -1 && (!best || best.load >= SHARE_LOAD)) return this.start(free)
    return best!
  }

  private start(i: number): ParserThread {
    const worker = new Worker(this.workerUrl, {
      execArgv: WORKER_EXEC_ARGV,
      resourceLimits: { stackSizeMb: STACK_MB, maxOldGenerationSizeMb: HEAP_MB },
    })
    const thread = new ParserThread(worker, () => {
      if (this.threads[i] === thread) this.threads[i] = undefined
    })
    this.threads[i] = thread
    return thread
  }
}
