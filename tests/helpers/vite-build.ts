import { existsSync, readFileSync } from 'node:fs'
import type { InlineConfig } from 'vite'
import { manifestFileFor, readBuildManifest } from './manifest.ts'
import type { TempProject } from './temp-project.ts'

/** What a Vite build of a project gives a test: the fingerprint of one function and the bundle. */
export interface ViteSsrBuilt {
  /** The fingerprint the default manifest of `dist/` gives the function; `null` without one (a function with no fingerprint is in no manifest, and there may then be none). */
  fp: string | null
  /** `dist/main.js`. */
  bundled: string
}

/**
 * A Vite SSR build of `entry` (to `dist/main.js`) with unplugin-smart-cache first and `config`'s
 * own plugins after it; the fingerprint the default manifest gives `id` and the bundle.
 */
export async function viteSsrBuild(
  project: TempProject,
  { entry = 'src/main.ts', id = `${entry}#f`, config = {} }: { entry?: string; id?: string; config?: InlineConfig } = {},
): Promise<ViteSsrBuilt> {
  const { build } = await import('vite')
  const { default: plugin } = await import('unplugin-smart-cache/vite')
  await build({
    root: project.dir,
    configFile: false,
    logLevel: 'silent',
    ...config,
    build: { ssr: entry, outDir: 'dist' },
    plugins: [plugin(), ...(config.plugins ?? [])],
  })
  const manifest = existsSync(manifestFileFor(project.dir, 'dist')) ? readBuildManifest(project.dir, 'dist') : undefined
  return { fp: manifest?.functions[id]?.fingerprint ?? null, bundled: readFileSync(project.path('dist/main.js'), 'utf8') }
}
