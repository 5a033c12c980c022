import type { SyncTransformer } from './sync-transformer.js'
import * as nodeModule from 'node:module'
import { toRewrite } from './scope.js'

type RegisterHooks = (hooks: {
  load: (url: string, context: object, nextLoad: (url: string, context?: object) => { format?: string | null; source?: unknown }) => object
}) => unknown

/**
 * In-thread ES module hooks (`module.registerHooks`, Node >= 22.15 and 23.5): a module without a
 * mark costs one text check, not a trip to Node's hooks thread (a no-op `module.register` hook
 * alone makes a 1,000-module start-up about twice as long). Returns `false` where Node lacks them.
 */
export function registerSyncHooks(root: string, transformer: SyncTransformer): boolean {
  const registerHooks = (nodeModule as unknown as { registerHooks?: RegisterHooks }).registerHooks
  if (typeof registerHooks !== 'function') return false
  registerHooks({
    load(url, context, nextLoad) {
      const result = nextLoad(url, context)
      const job = toRewrite(url, result, root)
      const rewritten = job && transformer.rewrite(job.code, job.file, job.kind)
      return rewritten === undefined ? result : { ...result, source: rewritten }
    },
  })
  return true
}
