import type { LoaderData, ModuleKind } from './session.js'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { BuildCache, buildCacheFile } from '../core/build-cache.js'
import { transformFromCache } from '../core/cached.js'
import { createEngine } from '../core/engine.js'
import { resolveOptions } from '../core/options.js'
import { cjsRuntimeImport, inlineSourceMap } from './output.js'

/** A module's last rewrite, still valid when the module's text is `source`. */
export interface WarmRewrite {
  source: string
  code: string
  map: string
  warnings: string[]
  errors: string[]
}

/**
 * A warm start without the transform thread: before the program runs, every module the last run
 * rewrote is read and checked the way the plugin checks a warm build (same text, same
 * fingerprints from the engine's stored answers, findings cached), in this thread. Hooks then
 * serve those modules at once; any other marked module goes to the thread as usual. `undefined`
 * when there is nothing to warm or anything fails (the thread does all the work then).
 */
export async function warmRewrites(data: LoaderData): Promise<Record<string, WarmRewrite> | undefined> {
  if (!data.warmStart) return undefined
  try {
    const options = resolveOptions({ root: data.root, cacheDir: data.cacheDir, diagnostics: data.diagnostics })
    const cache = new BuildCache(buildCacheFile(data.root, options.cacheDir))
    const rels = cache.rewrittenModules()
    if (rels.length === 0) return undefined
    const engine = await createEngine(data.root, options.cacheDir, undefined, { resolve: data.resolve, entries: data.entries })
    const env = { root: data.root, engine, options, cache }
    const warm: Record<string, WarmRewrite> = Object.create(null)
    await Promise.all(
      rels.map(async rel => {
        const file = resolve(data.root, rel)
        let source: string
        try {
          source = readFileSync(file, 'utf8')
        } catch {
          return
        }
        const out = await transformFromCache(source, file, env).catch(() => undefined)
        if (out)
          warm[file] = {
            source,
            code: out.code,
            map: typeof out.map === 'string' ? out.map : JSON.stringify(out.map),
            warnings: out.warnings.map(w => w.message),
            errors: out.errors.map(e => e.message),
          }
      }),
    )
    return warm
  } catch {
    return undefined
  }
}

/** The module's warm rewrite as Node should run it, when `code` is the text it was checked for. */
export function warmSource(
  warm: Record<string, WarmRewrite> | undefined,
  file: string,
  code: string,
  kind: ModuleKind,
  warn: (message: string) => void,
): string | undefined {
  const w = warm?.[file]
  if (!w || w.source !== code) return undefined
  for (const message of w.warnings) warn(message)
  if (w.errors.length > 0) throw new Error(w.errors.join('\n\n'))
  return inlineSourceMap(kind === 'cjs' ? cjsRuntimeImport(w.code) : w.code, w.map)
}
