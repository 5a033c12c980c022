import type { MessagePort } from 'node:worker_threads'
import type { LoaderData, ModuleKind } from './session.js'
import process from 'node:process'
import { parentPort, workerData } from 'node:worker_threads'
import { LoaderSession } from './session.js'

// The loader's transform thread. The engine does not run in Node's hooks thread itself: there,
// `require()` of an ES module (oxc-parser loads parts of itself that way) fails on Node 22.

/** A module to rewrite, or (`flush`) a request to write the caches now. */
export type RewriteRequest = { id: number; code: string; file: string; kind: ModuleKind; flush?: undefined } | { id: number; flush: true }
/** The answer: the new source (`undefined`: run the module as it is), or the error to throw. */
export interface RewriteReply {
  id: number
  code?: string
  error?: string
}

/** `sync`: the requester blocks on `flag` (CommonJS, from the main thread) until the reply is posted. */
export interface WorkerInit {
  data: LoaderData
  sync?: { port: MessagePort; flag: Int32Array }
}

const { data, sync } = workerData as WorkerInit
const session = new LoaderSession(data, { deferSave: !!sync })
const port = sync?.port ?? parentPort!
// A synchronous requester waits on `flag`: 1 = a reply was posted, 2 = this thread is gone.
if (sync) {
  process.on('exit', () => {
    Atomics.store(sync.flag, 0, 2)
    Atomics.notify(sync.flag, 0)
  })
}
// Started ahead of the first marked module (see `prewarm`) or by it: get the caches ready either way.
void session.warm()

port.on('message', (req: RewriteRequest) => {
  const reply = (r: RewriteReply): void => {
    port.postMessage(r)
    if (sync) {
      Atomics.store(sync.flag, 0, 1)
      Atomics.notify(sync.flag, 0)
    }
  }
  if (req.flush) {
    void session.flush().then(() => reply({ id: req.id }))
    return
  }
  session.rewrite(req.code, req.file, req.kind).then(
    code => reply({ id: req.id, code }),
    (error: Error) => reply({ id: req.id, error: error.message }),
  )
})
