import { readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { unpackDeps } from '@smart-cache/fingerprint'

/**
 * Where the plugin writes the manifest of the build whose output is `outDir` by default (issue 17:
 * outside the deployed output): `<root>/node_modules/.cache/smart-cache/manifests/<outDir, / as __>.json`.
 */
export function manifestFileFor(root: string, outDir: string): string {
  return join(root, 'node_modules/.cache/smart-cache/manifests', `${relative(root, resolve(root, outDir)).split(/[\\/]/).join('__')}.json`)
}

/** The default manifest of the build of `root` into `outDir`, with packed deps expanded. */
export function readBuildManifest(root: string, outDir: string): any {
  return expandManifest(JSON.parse(readFileSync(manifestFileFor(root, outDir), 'utf8')))
}

/** A manifest as JSON gives it, with version 2's packed deps expanded into each function's `deps` list. */
export function expandManifest<M extends { version: number; deps?: unknown; functions: Record<string, { deps: any }> }>(m: M): M {
  if (m.version !== 2) return m
  const fns = Object.values(m.functions)
  const lists = unpackDeps(
    m.deps,
    fns.map(f => f.deps),
  )
  fns.forEach((f, i) => {
    f.deps = lists[i]
  })
  return m
}
