import type { Diagnostic } from './diagnostics.js'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeAtomic } from '@smart-cache/fingerprint'

/**
 * Bumped when the rewrite changes what it outputs for the same input; with the package's
 * version, part of the cache file's validity.
 */
const REWRITE_VERSION = 4

/** A module's rewrite as the last build made it. */
export interface CachedModule {
  /** Digest of the module code the rewrite was made from. */
  digest: string
  /** Per cached function: the name asked from the engine, its id and the fingerprint in `code`. */
  plan: Array<[engineName: string, id: string, fingerprint: string]>
  /** The rewritten code and its source map (JSON), `null` when the module has no mark. */
  code: string | null
  map: string | null
  /** Warnings of the rewrite itself (unsupported marks…), not of the purity diagnostics. */
  notes: Diagnostic[]
  /** Errors of browser builds: synchronous functions marked (see `TransformOutput.syncMarks`). */
  syncMarks: Diagnostic[]
  /** The rewrite of a one-off build, whose fingerprints are imported (see core/deferred.ts), when it was made. */
  deferred?: CachedDeferred
}

/** A rewrite whose fingerprints are the exports of `source`, in `ids` order. */
export interface CachedDeferred {
  source: string
  code: string
  map: string
  ids: string[]
}

interface Stored {
  version: string
  modules: Record<string, CachedModule>
  diagnostics: Record<string, { key: string; found: Diagnostic[] }>
}

/** Digest of a text (keys of the build cache). */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** The build cache file of a root, beside the engine's cache, or `false` (memory only). */
export function buildCacheFile(root: string, cacheDir: string | false | undefined): string | false {
  if (cacheDir === false) return false
  const dir = cacheDir ?? join(root, 'node_modules', '.cache', 'smart-cache', 'engine')
  return join(dir, 'plugin', `build-${digest(root).slice(0, 16)}.json`)
}

/**
 * The package's version, read once (`unknown` when its package.json cannot be read): the nearest
 * package.json of this package from `dist/` (bundled) or `src/core/` (sources, tests).
 */
export function pluginVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string }
      if (pkg.name === 'unplugin-smart-cache') return `${pkg.version}+${REWRITE_VERSION}`
    } catch {}
  }
  return `unknown+${REWRITE_VERSION}`
}

/**
 * What the last build made of each marked module and the impurity findings of each cached
 * function. A module whose code is unchanged and whose functions' fingerprints are the same gets
 * the same rewrite without being parsed; findings are keyed by the exact bytes of everything a
 * function reaches (the engine's `sourceHash`) and the module's code. A missing, corrupt or
 * unwritable file only costs the next build a full rewrite.
 */
export class BuildCache {
  private data: Stored | undefined
  private dirty = false

  constructor(private file: string | false) {}

  /** Whether an earlier build left a cache (a cold build has none). */
  exists(): boolean {
    return this.file !== false && existsSync(this.file)
  }

  /** Root-relative paths of the modules the last build rewrote (the Node loader warms them up front). */
  rewrittenModules(): string[] {
    return Object.entries(this.load().modules)
      .filter(([, m]) => m.plan?.length > 0 && m.code !== null)
      .map(([rel]) => rel)
  }

  /** The cached rewrite of module `rel` when made from exactly this code. */
  module(rel: string, codeDigest: string): CachedModule | undefined {
    const m = this.load().modules[rel]
    return m?.digest === codeDigest && isModule(m) ? m : undefined
  }

  setModule(rel: string, entry: CachedModule): void {
    this.load().modules[rel] = entry
    this.dirty = true
  }

  /** Keeps the deferred rewrite of module `rel` beside its full rewrite of the same code (none: nothing is kept). */
  setDeferred(rel: string, codeDigest: string, deferred: CachedDeferred): void {
    const m = this.load().modules[rel]
    if (m?.digest !== codeDigest || m.code === null) return
    m.deferred = deferred
    this.dirty = true
  }

  diagnostics(id: string, key: string): Diagnostic[] | undefined {
    const e = this.load().diagnostics[id]
    return e?.key === key && isDiagnostics(e.found) ? e.found : undefined
  }

  setDiagnostics(id: string, key: string, found: Diagnostic[]): void {
    this.load().diagnostics[id] = { key, found }
    this.dirty = true
  }

  /** Writes the cache when something changed (atomically; an unwritable cache only means a slower next build). */
  async save(): Promise<void> {
    if (!this.file || !this.dirty) return
    this.dirty = false
    await writeAtomic(this.file, JSON.stringify(this.data)).catch(() => {})
  }

  private load(): Stored {
    if (this.data) return this.data
    const version = pluginVersion()
    this.data = { version, modules: Object.create(null), diagnostics: Object.create(null) }
    if (this.file) {
      try {
        const raw = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<Stored> | null
        if (raw?.version === version && isRecord(raw.modules) && isRecord(raw.diagnostics)) {
          Object.assign(this.data.modules, raw.modules)
          Object.assign(this.data.diagnostics, raw.diagnostics)
        }
      } catch {}
    }
    return this.data
  }
}

function isRecord(x: unknown): x is Record<string, never> {
  return !!x && typeof x === 'object' && !Array.isArray(x)
}

const isText = (x: unknown): x is string => typeof x === 'string'

/** The file is read as is: an entry is served only in the shape the plugin writes it. */
function isModule(m: CachedModule): boolean {
  return (
    (m.code === null || isText(m.code)) &&
    (m.map === null || isText(m.map)) &&
    Array.isArray(m.plan) &&
    m.plan.every(p => Array.isArray(p) && p.length === 3 && p.every(isText)) &&
    isDiagnostics(m.notes) &&
    isDiagnostics(m.syncMarks) &&
    (m.deferred === undefined || isDeferred(m.deferred))
  )
}

function isDeferred(d: CachedDeferred): boolean {
  return isRecord(d) && isText(d.source) && isText(d.code) && isText(d.map) && Array.isArray(d.ids) && d.ids.every(isText)
}

function isDiagnostics(x: unknown): x is Diagnostic[] {
  return Array.isArray(x) && x.every(d => isRecord(d) && isText((d as Partial<Diagnostic>).message))
}
