import type { LoadHook } from 'node:module'
import type { LoaderData, ModuleKind } from './session.js'
import { Buffer } from 'node:buffer'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { mayHaveMarks } from '../core/marks.js'
import { Transformer } from './transformer.js'

// Hooks for `module.register` (they run in Node's hooks thread): a module that holds the text
// `smart-cache` is rewritten by the plugin's transform; every other module passes through untouched.

let session: { root: string, transformer: Transformer } | undefined

/** Set in the transform thread (and its parser threads): there `smart-cache/register` does nothing. */
export const LOADER_THREAD_ENV = 'SMART_CACHE_LOADER_THREAD'

/** Receives `register()`'s data: the project root and the options. */
export function initialize(data: LoaderData): void {
  session = { root: data.root, transformer: new Transformer(data, { [LOADER_THREAD_ENV]: '1' }) }
}

const KINDS: Record<string, ModuleKind> = { 'module': 'esm', 'module-typescript': 'esm', 'commonjs': 'cjs', 'commonjs-typescript': 'cjs' }

/** Whether the loader looks at this file: the project's own sources, never dependencies. */
function isProjectFile(file: string, root: string): boolean {
  return file.startsWith(root) && !/[\\/]node_modules[\\/]/.test(file.slice(root.length))
}

export const load: LoadHook = async (url, context, nextLoad) => {
  const result = await nextLoad(url, context)
  const kind = KINDS[String(result.format)]
  if (!session || !kind || !url.startsWith('file:'))
    return result
  const file = fileURLToPath(url)
  if (!isProjectFile(file, session.root))
    return result
  // CommonJS comes without source from Node's own load: read it to look for marks.
  const source = result.source ?? await readFile(file).catch(() => undefined)
  if (source === undefined)
    return result
  const code = typeof source === 'string' ? source : Buffer.from(source as Uint8Array).toString('utf8')
  if (!mayHaveMarks(code))
    return result
  const rewritten = await session.transformer.rewrite(code, file, kind)
  return rewritten === undefined ? result : { ...result, source: rewritten }
}
