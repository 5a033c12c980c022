import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/** esbuild: the output directory of a build, from its options (`undefined` when not written). */
export function esbuildOutDir(options: { outdir?: string; outfile?: string; write?: boolean; absWorkingDir?: string }): string | undefined {
  if (options.write === false) return undefined
  const base = options.absWorkingDir ?? process.cwd()
  if (options.outdir) return resolve(base, options.outdir)
  return options.outfile ? dirname(resolve(base, options.outfile)) : undefined
}

export function writeManifestFile(dir: string, fileName: string, json: string): void {
  const path = resolve(dir, fileName)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, json)
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
