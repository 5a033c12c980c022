import type { LoaderData, ModuleKind } from './session.js'
import { parentPort, workerData } from 'node:worker_threads'
import { LoaderSession } from './session.js'

// The loader's transform thread. The engine does not run in Node's hooks thread itself: there,
// `require()` of an ES module (oxc-parser loads parts of itself that way) fails on Node 22.

/** A module to rewrite, from the hooks thread. */
export interface RewriteRequest { id: number, code: string, file: string, kind: ModuleKind }
/** The answer: the new source (`undefined`: run the module as it is), or the error to throw. */
export interface RewriteReply { id: number, code?: string, error?: string }

const session = new LoaderSession(workerData as LoaderData)

parentPort!.on('message', (req: RewriteRequest) => {
  session.rewrite(req.code, req.file, req.kind).then(
    code => parentPort!.postMessage({ id: req.id, code } satisfies RewriteReply),
    (error: Error) => parentPort!.postMessage({ id: req.id, error: error.message } satisfies RewriteReply),
  )
})
