import type { LoadHook } from 'node:module'
import type { LoaderData } from './session.js'
import { LOADER_THREAD_ENV, toRewrite } from './scope.js'
import { Transformer } from './transformer.js'

// Hooks for `module.register` (Node without `module.registerHooks`; they run in Node's hooks
// thread): an ES module that holds the text `smart-cache` is rewritten by the plugin's transform;
// every other module passes through untouched.

let session: { root: string; transformer: Transformer } | undefined

/** Receives `register()`'s data: the project root and the options. */
export function initialize(data: LoaderData): void {
  session = { root: data.root, transformer: new Transformer(data, { [LOADER_THREAD_ENV]: '1' }) }
  session.transformer.prewarm()
}

export const load: LoadHook = async (url, context, nextLoad) => {
  const result = await nextLoad(url, context)
  const job = session && toRewrite(url, result, session.root)
  if (!job) return result
  const rewritten = await session!.transformer.rewrite(job.code, job.file, job.kind)
  return rewritten === undefined ? result : { ...result, source: rewritten }
}
