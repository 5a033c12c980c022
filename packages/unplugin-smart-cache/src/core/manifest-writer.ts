import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

/** esbuild: the output directory of a build, from its options (`undefined` when not written). */
export function esbuildOutDir(options: { outdir?: string, outfile?: string, write?: boolean, absWorkingDir?: string }): string | undefined {
  if (options.write === false)
    return undefined
  const base = options.absWorkingDir ?? process.cwd()
  if (options.outdir)
    return resolve(base, options.outdir)
  return options.outfile ? dirname(resolve(base, options.outfile)) : undefined
}

export function writeManifestFile(dir: string, fileName: string, json: string): void {
  const path = resolve(dir, fileName)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, json)
}
