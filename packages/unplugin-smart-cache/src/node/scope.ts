import { sep } from 'node:path'

/** Whether the loader looks at this file: the project's own sources, never dependencies. */
export function isProjectFile(file: string, root: string): boolean {
  return file.startsWith(root.endsWith(sep) ? root : root + sep) && !/[\\/]node_modules[\\/]/.test(file.slice(root.length))
}

/** Set in the transform threads (and their parser threads): there `smart-cache/register` does nothing. */
export const LOADER_THREAD_ENV = 'SMART_CACHE_LOADER_THREAD'
