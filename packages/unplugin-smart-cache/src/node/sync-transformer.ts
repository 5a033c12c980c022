import type { ModuleKind, LoaderData } from './session.js'
import type { RewriteReply, RewriteRequest, WorkerInit } from './worker.js'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { Reporter } from './reporter.js'
import { warmSource } from './warm.js'

/** A rewrite that takes longer than this is given up (the module runs unchanged, with a warning). */
const TIMEOUT_MS = 120_000
/** How long the process waits at exit for the caches to be written. */
const FLUSH_MS = 15_000

/**
 * The transform thread for hooks that must answer synchronously (`require()`'s compile step,
 * `module.registerHooks`): a module with a mark waits for it with `Atomics.wait`. Started by the
 * first such module; it never keeps the process alive.
 */
export class SyncTransformer {
  private worker: { port: import('node:worker_threads').MessagePort; flag: Int32Array; worker: Worker } | undefined
  private next = 0
  private used = false
  private reporter = new Reporter()

  constructor(
    private data: LoaderData,
    private env: Record<string, string>,
  ) {}

  rewrite(code: string, file: string, kind: ModuleKind): string | undefined {
    const warm = warmSource(this.data.warm, file, code, kind, message => this.reporter.warn(message))
    if (warm !== undefined) return warm
    this.used = true
    const w = this.start()
    const id = this.next++
    Atomics.store(w.flag, 0, 0)
    w.port.postMessage({ id, code, file, kind } satisfies RewriteRequest)
    if (Atomics.wait(w.flag, 0, 0, TIMEOUT_MS) === 'timed-out') {
      this.reporter.warn(
        `[smart-cache] rewriting ${file} took over ${TIMEOUT_MS / 1000} s; it runs unchanged (its cached functions fingerprint their own source only). Please report this.`,
      )
      return undefined
    }
    if (Atomics.load(w.flag, 0) === 2) {
      this.worker = undefined // a later module starts a new thread
      this.reporter.warn(
        `[smart-cache] the transform thread stopped while rewriting ${file}; it runs unchanged (its cached functions fingerprint their own source only). Please report this.`,
      )
      return undefined
    }
    let reply: RewriteReply | undefined
    do reply = receiveMessageOnPort(w.port)?.message as RewriteReply | undefined
    while (reply && reply.id !== id) // the late answer of a request that timed out
    if (reply?.error !== undefined) throw new Error(reply.error)
    return reply?.code
  }

  /** At exit: the thread writes the engine's answers and snapshot and the rewrites, once. */
  private flush(): void {
    const w = this.worker
    if (!w || !this.used || Atomics.load(w.flag, 0) === 2) return
    Atomics.store(w.flag, 0, 0)
    w.port.postMessage({ id: this.next++, flush: true } satisfies RewriteRequest)
    Atomics.wait(w.flag, 0, 0, FLUSH_MS)
  }

  /**
   * Starts the thread now, while Node loads the program, when the project ran with the loader
   * before (its build cache exists): the first marked module then finds the caches read.
   */
  prewarm(): void {
    if (this.data.warmStart && !this.data.warm) this.start()
  }

  private start(): NonNullable<SyncTransformer['worker']> {
    if (this.worker) return this.worker
    const { port1, port2 } = new MessageChannel()
    const flag = new Int32Array(new SharedArrayBuffer(4))
    const init: WorkerInit = { data: this.data, sync: { port: port2, flag } }
    // No inherited flags: `--import smart-cache/register` must not load the loader again in it.
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), {
      workerData: init,
      transferList: [port2],
      execArgv: [],
      env: { ...process.env, ...this.env },
    })
    worker.unref()
    port1.unref()
    this.worker = { port: port1, flag, worker }
    process.once('exit', () => this.flush())
    return this.worker
  }
}
