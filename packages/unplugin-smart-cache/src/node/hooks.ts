import type { LoadHook } from 'node:module'
import type { LoaderData, ModuleKind } from './session.js'
import { Buffer } from 'node:buffer'
import { fileURLToPath } from 'node:url'
import { mayHaveMarks } from '../core/marks.js'
import { isProjectFile, LOADER_THREAD_ENV } from './scope.js'
import { Transformer } from './transformer.js'

// Hooks for `module.register` (they run in Node's hooks thread): a module that holds the text
// `smart-cache` is rewritten by the plugin's transform; every other module passes through untouched.

let session: { root: string, transformer: Transformer } | undefined


/** Receives `register()`'s data: the project root and the options. */
export function initialize(data: LoaderData): void {
  session = { root: data.root, transformer: new Transformer(data, { [LOADER_THREAD_ENV]: '1' }) }
}

/** ES modules only: CommonJS is rewritten as `require()` compiles it (see cjs.ts), whoever loads it. */
const KINDS: Record<string, ModuleKind> = { 'module': 'esm', 'module-typescript': 'esm' }

export const load: LoadHook = async (url, context, nextLoad) => {
  const result = await nextLoad(url, context)
  const kind = KINDS[String(result.format)]
  if (!session || !kind || !url.startsWith('file:'))
    return result
  const file = fileURLToPath(url)
  if (!isProjectFile(file, session.root))
    return result
  const source = result.source
  if (source == null)
    return result
  const code = typeof source === 'string' ? source : Buffer.from(source as Uint8Array).toString('utf8')
  if (!mayHaveMarks(code))
    return result
  const rewritten = await session.transformer.rewrite(code, file, kind)
  return rewritten === undefined ? result : { ...result, source: rewritten }
}
