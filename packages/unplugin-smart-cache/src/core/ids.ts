import { relative, sep } from 'node:path'

/** The runtime package whose `smartCache` marks a function. */
export const RUNTIME = 'smart-cache'

/** Root-relative posix path of a module id (query string dropped). */
export function relativeId(root: string, id: string): string {
  return relative(root, id.replace(/[?#].*$/, ''))
    .split(sep)
    .join('/')
}
