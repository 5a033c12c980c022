import type { RewriteReply, RewriteRequest, WorkerInit } from './worker.js'
import type { LoaderData, ModuleKind } from './session.js'
import { Worker } from 'node:worker_threads'
import { Reporter } from './reporter.js'
import { warmSource } from './warm.js'

/**
 * The hooks thread's handle on the transform thread, started by the first module with a mark
 * (a program without marks never starts it). The thread never keeps the process alive.
 */
export class Transformer {
  private worker: Worker | undefined
  private pending = new Map<number, { resolve: (code: string | undefined) => void; reject: (e: Error) => void }>()
  private next = 0

  private reporter = new Reporter()

  constructor(
    private data: LoaderData,
    private env: Record<string, string>,
  ) {}

  rewrite(code: string, file: string, kind: ModuleKind): Promise<string | undefined> {
    try {
      const warm = warmSource(this.data.warm, file, code, kind, message => this.reporter.warn(message))
      if (warm !== undefined) return Promise.resolve(warm)
    } catch (error) {
      return Promise.reject(error)
    }
    const id = this.next++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      const w = this.start()
      w.ref()
      w.postMessage({ id, code, file, kind } satisfies RewriteRequest)
    })
  }

  /**
   * Starts the thread now, while Node loads the program, when the project ran with the loader
   * before (its build cache exists): the first marked module then finds the caches read.
   */
  prewarm(): void {
    if (this.data.warmStart && !this.data.warm) this.start()
  }

  private start(): Worker {
    if (this.worker) return this.worker
    // No inherited flags: `--import smart-cache/register` must not load the loader again in it.
    const w = new Worker(new URL('./worker.mjs', import.meta.url), {
      workerData: { data: this.data } satisfies WorkerInit,
      execArgv: [],
      env: { ...process.env, ...this.env },
    })
    w.on('message', (reply: RewriteReply) => {
      const p = this.pending.get(reply.id)
      this.pending.delete(reply.id)
      if (this.pending.size === 0) w.unref()
      if (reply.error !== undefined) p?.reject(new Error(reply.error))
      else p?.resolve(reply.code)
    })
    w.on('error', error => this.fail(`the transform thread failed: ${error.message}`))
    w.on('exit', code => this.fail(`the transform thread exited (code ${code})`))
    this.worker = w
    return w
  }

  /** Modules waiting when the thread dies run unchanged, with one warning: never a hang. */
  private fail(why: string): void {
    this.worker = undefined
    if (this.pending.size > 0)
      this.reporter.warn(
        `[smart-cache] ${why}; the modules it was rewriting run unchanged (their cached functions fingerprint their own source only). Please report this.`,
      )
    for (const [id, p] of this.pending) {
      this.pending.delete(id)
      p.resolve(undefined)
    }
  }
}
