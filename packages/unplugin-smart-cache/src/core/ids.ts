import { relative, sep } from 'node:path'

/** The runtime package whose `smartCache` marks a function. */
export const RUNTIME = 'smart-cache'

/** The file of a module id: its query string and hash (`?v=…`, `?vue&type=…`, `#x`) dropped. */
export function fileOfId(id: string): string {
  return id.replace(/[?#].*$/, '')
}

/** Root-relative posix path of a module id (query string dropped). */
export function relativeId(root: string, id: string): string {
  return relative(root, fileOfId(id)).split(sep).join('/')
}
