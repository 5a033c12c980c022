import type { ModuleKind } from './session.js'
import { Buffer } from 'node:buffer'
import { sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mayHaveMarks } from '../core/marks.js'

/** Set in the transform threads (and their parser threads): there `smart-cache/register` does nothing. */
export const LOADER_THREAD_ENV = 'SMART_CACHE_LOADER_THREAD'

/** Whether the loader looks at this file: the project's own sources, never dependencies. */
export function isProjectFile(file: string, root: string): boolean {
  return file.startsWith(root.endsWith(sep) ? root : root + sep) && !/[\\/]node_modules[\\/]/.test(file.slice(root.length))
}

/** ES modules only in load hooks: CommonJS is rewritten as `require()` compiles it (see cjs.ts). */
const KINDS: Record<string, ModuleKind> = { module: 'esm', 'module-typescript': 'esm' }

/**
 * What a load hook rewrites: an ES module of the project whose text holds `smart-cache`
 * (a cheap check; every other module passes through untouched).
 */
export function toRewrite(
  url: string,
  result: { format?: string | null; source?: unknown },
  root: string,
): { code: string; file: string; kind: ModuleKind } | undefined {
  const kind = KINDS[String(result.format)]
  if (!kind || result.source == null || !url.startsWith('file:')) return undefined
  const file = fileURLToPath(url)
  if (!isProjectFile(file, root)) return undefined
  const source = result.source
  const code = typeof source === 'string' ? source : Buffer.from(source as Uint8Array).toString('utf8')
  return mayHaveMarks(code) ? { code, file, kind } : undefined
}
