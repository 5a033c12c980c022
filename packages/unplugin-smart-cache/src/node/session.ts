import type { CachedEnv } from '../core/cached.js'
import type { Diagnostic } from '../core/diagnostics.js'
import type { Engine } from '../core/engine.js'
import type { TransformOutput } from '../core/transform-output.js'
import type { TransformEnv } from '../core/transform.js'
import type { WarmRewrite } from './warm.js'
import type { ResolveOptions } from '@smart-cache/fingerprint'
import { readFileSync } from 'node:fs'
import { BuildCache, buildCacheFile } from '../core/build-cache.js'
import { transformFromCache } from '../core/cached.js'
import { createEngine, warningText } from '../core/engine.js'
import { relativeId } from '../core/ids.js'
import { resolveOptions } from '../core/options.js'
import { RuntimeFiles } from '../core/runtime-dir.js'
import { cjsRuntimeImport, inlineSourceMap } from './output.js'
import { Reporter } from './reporter.js'

const SAVE_DELAY_MS = 1000
const TS_FILE = /\.[cm]?tsx?$/

/** What the hooks thread gets from `register()`. */
export interface LoaderData {
  /** Absolute project root: ids are relative to it, as in the plugin and the CLI. */
  root: string
  /** Engine and build caches, as the plugin's `cacheDir` option (`undefined`: its default). */
  cacheDir?: string | false
  /** Purity diagnostics level. @default 'warn' */
  diagnostics?: 'warn' | 'error' | 'off'
  /** Whether an earlier run left a build cache: the transform thread then starts with the program. */
  warmStart?: boolean
  /** Modules whose last rewrite was checked before the program started (see warm.ts). */
  warm?: Record<string, WarmRewrite>
  /** How Node resolves imports in this process (its conditions), for the engine. */
  resolve?: ResolveOptions
  /** The main script (absolute), when `node` runs one: the program's entry, for the engine. */
  entries?: string[]
}

/** How Node evaluates the module (`load` hook formats). */
export type ModuleKind = 'esm' | 'cjs'

/**
 * The plugin's transform for one process: one engine, the shared build cache, the purity scan.
 * Every module with a mark goes through `rewrite`; diagnostics print once per process.
 */
export class LoaderSession {
  private base: Promise<CachedEnv & { runtime: RuntimeFiles }> | undefined
  private full: Promise<{ env: TransformEnv; transformModule: (typeof import('../core/transform.js'))['transformModule'] }> | undefined
  private active = 0
  private engineWarned = 0
  private compiledNoted = new Set<ModuleKind>()
  private saveTimer: ReturnType<typeof setTimeout> | undefined
  readonly reporter = new Reporter()

  /**
   * `deferSave`: the caches are written by `flush()` (the synchronous transformer calls it when
   * the process exits) instead of after each burst of rewrites, so a cold start keeps its parser
   * threads from one marked module to the next.
   */
  constructor(
    private data: LoaderData,
    private options: { deferSave?: boolean } = {},
  ) {}

  get root(): string {
    return this.data.root
  }

  /**
   * The module rewritten (cached functions get their fingerprints), or `undefined` when it has no
   * mark, is the runtime's own code, or cannot be rewritten (then it runs as written, with a warning).
   */
  async rewrite(code: string, file: string, kind: ModuleKind): Promise<string | undefined> {
    this.active++
    try {
      const env = await this.getBase().catch((error: Error) => {
        this.reporter.warn(
          `[smart-cache] the Node loader cannot start the fingerprint engine: ${error.message}. Modules run unchanged (cached functions fingerprint their own source only).`,
        )
        return undefined
      })
      if (!env || env.runtime.owns(file)) return undefined
      this.noteCompiled(code, file, kind)
      const out = await this.transform(code, file, env)
      this.report(env.engine, out)
      if (!out) return undefined
      const text = kind === 'cjs' ? cjsRuntimeImport(out.code) : out.code
      return inlineSourceMap(text, out.map)
    } finally {
      if (--this.active === 0) {
        if (this.options.deferSave) this.saveSoon()
        else await this.save().catch(() => {})
      }
    }
  }

  /**
   * A TypeScript module compiled by another loader before this one saw it (tsx imported first, or
   * tsx's CommonJS): its decorators are gone and warnings point into the compiled text. Said once
   * per process and kind. Node's own type stripping keeps every offset (types become spaces).
   */
  private noteCompiled(code: string, file: string, kind: ModuleKind): void {
    if (this.compiledNoted.has(kind) || !TS_FILE.test(file)) return
    let disk: string
    try {
      disk = readFileSync(file, 'utf8')
    } catch {
      return
    }
    if (disk.length === code.length) return
    this.compiledNoted.add(kind)
    const rel = relativeId(this.data.root, file)
    this.reporter.warn(
      kind === 'esm'
        ? `[smart-cache] ${rel} reached smart-cache/register already compiled by another TypeScript loader, so @smartCache decorators in such modules are not seen and warnings point into the compiled code. Fix: import smart-cache/register first: \`node --import smart-cache/register --import tsx …\`.`
        : `[smart-cache] ${rel} (CommonJS) reached smart-cache/register already compiled by another TypeScript loader, which may wrap the module so that its cached functions are no longer at module level (they are then left uncached, with a warning). Fix: write the module as an ES module (.ts/.mts), or run it with Node's own type stripping.`,
    )
  }

  /** Starts the engine (its check of stored answers runs ahead) and reads the rewrites of the last run. */
  async warm(): Promise<void> {
    const b = await this.getBase().catch(() => undefined)
    b?.cache.module('', '')
  }

  private async transform(code: string, file: string, env: CachedEnv): Promise<TransformOutput | null> {
    try {
      const cached = await transformFromCache(code, file, env)
      if (cached !== undefined) return cached
      const f = await this.getFull()
      return await f.transformModule(code, file, f.env)
    } catch (error) {
      this.reporter.warn(
        `[smart-cache] internal error while rewriting ${file}: ${(error as Error).message}. The module runs unchanged; please report this.`,
      )
      return null
    }
  }

  /** Prints warnings once; errors (a build would fail) are thrown, so the import fails with them. */
  private report(engine: Engine, out: TransformOutput | null): void {
    for (const w of engine.warnings.slice(this.engineWarned))
      this.reporter.warn(`[smart-cache] ${warningText(w).replace(/^\[smart-cache\]\s*/, '')}`)
    this.engineWarned = engine.warnings.length
    if (!out) return
    for (const w of out.warnings) this.reporter.warn(w.message)
    if (out.errors.length > 0) throw new Error(out.errors.map((e: Diagnostic) => e.message).join('\n\n'))
  }

  /** Writes the caches now. */
  flush(): Promise<void> {
    clearTimeout(this.saveTimer)
    return this.save().catch(() => {})
  }

  /** Deferred saving: also a second after the last rewrite, for programs that end without `exit` (signals). */
  private saveSoon(): void {
    clearTimeout(this.saveTimer)
    this.saveTimer = setTimeout(() => void this.save().catch(() => {}), SAVE_DELAY_MS)
  }

  /** Engine answers, its snapshot and the rewrites are written before the module runs: the process may exit at any time. */
  private async save(): Promise<void> {
    const b = this.base && (await this.base.catch(() => undefined))
    if (!b) return
    await b.cache.save()
    await b.engine.close?.()
  }

  private getBase(): Promise<CachedEnv & { runtime: RuntimeFiles }> {
    this.base ??= (async () => {
      const { root, cacheDir, diagnostics } = this.data
      const options = resolveOptions({ root, cacheDir, diagnostics })
      const engine = await createEngine(root, options.cacheDir, undefined, { resolve: this.data.resolve, entries: this.data.entries })
      return { root, engine, options, cache: new BuildCache(buildCacheFile(root, options.cacheDir)), runtime: new RuntimeFiles(root) }
    })()
    return this.base
  }

  private getFull(): NonNullable<LoaderSession['full']> {
    this.full ??= (async () => {
      const [b, transform, { DiagnosticsCollector }] = await Promise.all([
        this.getBase(),
        import('../core/transform.js'),
        import('../core/diagnostics.js'),
      ])
      return { env: { ...b, diagnostics: new DiagnosticsCollector(b.root) }, transformModule: transform.transformModule }
    })()
    return this.full
  }
}
