import type { LoaderData } from './session.js'
import type { RewriteReply, RewriteRequest, WorkerInit } from './worker.js'
import Module from 'node:module'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { mayHaveMarks } from '../core/marks.js'
import { isProjectFile } from './scope.js'
import { Reporter } from './reporter.js'

/** A rewrite that takes longer than this is given up (the module runs unchanged, with a warning). */
const TIMEOUT_MS = 120_000

/**
 * CommonJS: `require()` compiles modules synchronously, so a module with a mark waits for the
 * transform thread (started by the first such module) with `Atomics.wait`. The thread runs the
 * same transform as the ES module hooks, with the same caches.
 */
class SyncTransformer {
  private worker: { port: import('node:worker_threads').MessagePort, flag: Int32Array, worker: Worker } | undefined
  private next = 0
  private reporter = new Reporter()

  constructor(private data: LoaderData, private env: Record<string, string>) {}

  rewrite(code: string, file: string): string | undefined {
    const w = this.start()
    const id = this.next++
    Atomics.store(w.flag, 0, 0)
    w.port.postMessage({ id, code, file, kind: 'cjs' } satisfies RewriteRequest)
    if (Atomics.wait(w.flag, 0, 0, TIMEOUT_MS) === 'timed-out') {
      this.reporter.warn(`[smart-cache] rewriting ${file} took over ${TIMEOUT_MS / 1000} s; it runs unchanged (its cached functions fingerprint their own source only). Please report this.`)
      return undefined
    }
    const reply = receiveMessageOnPort(w.port)?.message as RewriteReply | undefined
    if (reply?.error !== undefined)
      throw new Error(reply.error)
    return reply?.code
  }

  private start(): NonNullable<SyncTransformer['worker']> {
    if (this.worker)
      return this.worker
    const { port1, port2 } = new MessageChannel()
    const flag = new Int32Array(new SharedArrayBuffer(4))
    const init: WorkerInit = { data: this.data, sync: { port: port2, flag } }
    // No inherited flags: `--import smart-cache/register` must not load the loader again in it.
    const worker = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: init, transferList: [port2], execArgv: [], env: { ...process.env, ...this.env } })
    worker.unref()
    port1.unref()
    this.worker = { port: port1, flag, worker }
    return this.worker
  }
}

type Compile = (this: unknown, content: string, filename: string, ...rest: unknown[]) => unknown

/** Rewrites CommonJS modules of the project that hold marks as `require()` compiles them. */
export function hookCommonJs(data: LoaderData, env: Record<string, string>): void {
  const proto = (Module as unknown as { prototype: { _compile: Compile } }).prototype
  const original = proto._compile
  const transformer = new SyncTransformer(data, env)
  proto._compile = function (content, filename, ...rest) {
    // Node 22+ passes the format: ES modules (require(esm)) went through the ES module hooks.
    const format = rest[0]
    const esm = typeof format === 'string' && format.startsWith('module')
    if (!esm && typeof content === 'string' && mayHaveMarks(content) && isProjectFile(filename, data.root))
      content = transformer.rewrite(content, filename) ?? content
    return original.call(this, content, filename, ...rest)
  }
}
