import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/** esbuild: the output directory of a build, from its options (`undefined` when not written). */
export function esbuildOutDir(options: { outdir?: string; outfile?: string; write?: boolean; absWorkingDir?: string }): string | undefined {
  if (options.write === false) return undefined
  const base = options.absWorkingDir ?? process.cwd()
  if (options.outdir) return resolve(base, options.outdir)
  return options.outfile ? dirname(resolve(base, options.outfile)) : undefined
}

/** The default manifests whose write failed in this process: each is reported once (watch mode rebuilds). */
const unwritable = new Set<string>()

/**
 * Writes a manifest. One asked for beside the output fails the build like any output file; the
 * default one, in the cache folder (`manifest: true`), only warns when it cannot be written (a
 * read-only `node_modules`, a CI cache restored with another owner): it serves the CLI, and the
 * cache must never fail a build that would work without it.
 */
export function writeManifestFile(dir: string, fileName: string, json: string): void {
  const path = resolve(dir, fileName)
  try {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, json)
  } catch (error) {
    if (!isDefaultManifest(path)) throw error
    if (unwritable.has(path)) return
    unwritable.add(path)
    console.warn(
      `[smart-cache] cannot write the build manifest ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). The build and its cached values are ` +
        'not affected, but the CLI (ls, stats, prune) reads an older manifest or none. Fix: make that folder writable, or set the ' +
        'plugin option `manifest: false`.',
    )
  }
}

/** Whether `path` is a default manifest (under `<root>/node_modules/.cache/smart-cache/manifests/`). */
function isDefaultManifest(path: string): boolean {
  return dirname(path).replaceAll('\\', '/').endsWith(`/${MANIFESTS_DIR}`)
}

/** Where manifests go by default: beside the engine's cache, never into the deployed output. */
export const MANIFESTS_DIR = 'node_modules/.cache/smart-cache/manifests'

/**
 * The default manifest of the build whose output is `outDir`: `<root>/node_modules/.cache/
 * smart-cache/manifests/<outDir relative to root, / as __>.json` (`dist.json`,
 * `dist__server.json`), one per output folder, so a client and an SSR build keep one each.
 */
export function cachedManifestFile(root: string, outDir: string): string {
  const rel = relative(root, resolve(root, outDir))
  const slug =
    rel === ''
      ? '_root'
      : rel
          .split(/[\\/]+/)
          .map(part => (part === '..' ? '_up' : part.replace(/[^\w.-]/g, '_')))
          .join('__')
  return join(root, MANIFESTS_DIR, `${slug}.json`)
}
