import { closeSync, openSync, readSync } from 'node:fs'
import { packDeps, type PortableOptions } from '@smart-cache/fingerprint'
import { digest, pluginVersion } from './build-cache.js'
import type { DepFingerprint } from './engine.js'
import { DEFAULT_ENVIRONMENT } from './engine-record.js'

export interface ManifestEntry {
  fingerprint: string
  /** The engine's hash of the exact bytes the function reaches (see {@link manifestDigest}); absent from injected engines. */
  sourceHash?: string
  deps: DepFingerprint[]
  /** The environment whose engine fingerprinted it (Vite: client, ssr…; `default` for other bundlers), set by the registry. */
  environment?: string
}

/** The engine options of each environment (see core/engine-record.ts). */
export type EngineRecordJson = Record<string, PortableOptions>

/** The manifest entry of a fingerprint; its `deps` are read only if the manifest is made. */
export function manifestEntry(fp: { hash: string; sourceHash?: string; deps: DepFingerprint[] }): ManifestEntry {
  return {
    fingerprint: fp.hash,
    sourceHash: fp.sourceHash,
    get deps() {
      return fp.deps
    },
  }
}

/**
 * What a manifest's content is a function of: each function's id, fingerprint and `sourceHash`
 * (which covers the exact bytes of every file it reaches, so its deps rows follow from it) and
 * the plugin version. A build whose digest is the written manifest's skips making it again.
 * `undefined` when an entry has no `sourceHash`: nothing then proves the deps unchanged.
 */
export function manifestDigest(entries: Iterable<[string, ManifestEntry]>, engine?: EngineRecordJson): string | undefined {
  const all = [...entries]
  if (all.some(([, e]) => e.sourceHash === undefined)) return undefined
  const lines = all.map(([id, e]) => `${id}\0${e.fingerprint}\0${e.sourceHash}\0${e.environment ?? ''}`).sort()
  return digest(`manifest 3\n${pluginVersion()}\n${JSON.stringify(engine ?? null)}\n${lines.join('\n')}`)
}

/** The `digest` a manifest file was written with (read from its first bytes), if any. */
export function writtenManifestDigest(file: string): string | undefined {
  let fd: number | undefined
  try {
    fd = openSync(file, 'r')
    const head = Buffer.alloc(256)
    const n = readSync(fd, head, 0, head.length, 0)
    return /^\{\n {2}"version": 2,\n {2}"digest": "([0-9a-f]{64})"/.exec(head.toString('utf8', 0, n))?.[1]
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * Contract 3: `smart-cache-manifest.json`, functions sorted by id, no absolute path. Version 2
 * stores each distinct dependency once (`deps`: `[file, binding, hash, line]` rows) and each
 * function's deps as `[start, length…]` runs of rows: fifty functions of a large app reach the
 * same ten thousand bindings, which version 1 repeated fifty times (a 100 MB file). `engine`:
 * the options each environment's engine was created with (the CLI fingerprints with them); with
 * several, each function names its `environment`.
 */
export function manifestJson(
  entries: Iterable<[string, ManifestEntry]>,
  now = new Date(),
  contentDigest?: string,
  engine?: EngineRecordJson,
): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const { rows, lists } = packDeps(sorted.map(([, e]) => e.deps))
  const several = engine !== undefined && Object.keys(engine).length > 1
  // Indented like JSON.stringify(…, null, 2) down to the functions; one row or function a line.
  const functions = sorted.map(
    ([id, e], i) =>
      `    ${JSON.stringify(id)}: { "fingerprint": ${JSON.stringify(e.fingerprint)}, "deps": ${JSON.stringify(lists[i])}${several && e.environment !== undefined ? `, "environment": ${JSON.stringify(e.environment)}` : ''} }`,
  )
  const table = rows.length === 0 ? '[]' : `[\n${rows.map(r => `    ${JSON.stringify(r)}`).join(',\n')}\n  ]`
  const body = functions.length === 0 ? '{}' : `{\n${functions.join(',\n')}\n  }`
  const digestLine = contentDigest ? `\n  "digest": ${JSON.stringify(contentDigest)},` : ''
  const engineLine = engine ? `\n  "engine": ${JSON.stringify(engine, null, 2).replaceAll('\n', '\n  ')},` : ''
  return `{\n  "version": 2,${digestLine}\n  "createdAt": ${JSON.stringify(now.toISOString())},${engineLine}\n  "deps": ${table},\n  "functions": ${body}\n}\n`
}

/** Cached functions per module id, kept current across watch rebuilds. */
export class FunctionRegistry {
  private byModule = new Map<string, { functions: Map<string, ManifestEntry>; environment: string }>()
  /** Changes with every `set()`. */
  version = 0

  /** The cached functions of a module, fingerprinted by the engine of `environment`. */
  set(moduleId: string, functions: Map<string, ManifestEntry>, environment = ''): void {
    this.version++
    if (functions.size === 0) this.byModule.delete(moduleId)
    else this.byModule.set(moduleId, { functions, environment: environment || DEFAULT_ENVIRONMENT })
  }

  /** Module ids whose cached functions reach `relFile`. */
  dependents(relFile: string): string[] {
    const out: string[] = []
    for (const [moduleId, { functions }] of this.byModule) {
      if ([...functions.values()].some(f => f.deps.some(d => d.file === relFile))) out.push(moduleId)
    }
    return out
  }

  /** Every function with the environment that fingerprinted it (its deps still read only if the manifest is made). */
  entries(): [string, ManifestEntry][] {
    return [...this.byModule.values()].flatMap(({ functions, environment }) =>
      [...functions].map(([id, e]): [string, ManifestEntry] => [
        id,
        {
          fingerprint: e.fingerprint,
          sourceHash: e.sourceHash,
          environment,
          get deps() {
            return e.deps
          },
        },
      ]),
    )
  }

  /** The environments whose engines fingerprinted the functions held. */
  environments(): Set<string> {
    return new Set([...this.byModule.values()].map(m => m.environment))
  }

  get size(): number {
    return this.byModule.size
  }
}
