import { relative, sep } from 'node:path'

/** The runtime package whose `smartCache` marks a function. */
export const RUNTIME = 'smart-cache'

/** The file of a module id: its query string and hash (`?v=…`, `?vue&type=…`, `#x`) dropped. */
export function fileOfId(id: string): string {
  return id.replace(/[?#].*$/, '')
}

const SCRIPT_FILE_RE = /\.[cm]?[jt]sx?$/

/**
 * Whether the module's code is its file's: the file (query dropped) is a JavaScript or TypeScript
 * module, which the engine reads and fingerprints. `false` for a component (`.vue`, `.svelte`,
 * `.astro`, `.mdx`), a block of one (`App.vue?vue&type=script&lang.ts`) or an inline script of an
 * HTML page (`index.html?html-proxy&index=0.js`): its code is what a framework made of the file.
 */
export function isScriptFile(id: string): boolean {
  return SCRIPT_FILE_RE.test(fileOfId(id))
}

/** Root-relative posix path of a module id (query string dropped). */
export function relativeId(root: string, id: string): string {
  return relative(root, fileOfId(id)).split(sep).join('/')
}
