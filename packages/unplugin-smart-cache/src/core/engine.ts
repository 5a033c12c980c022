import type {
  BindingFingerprint as EngineFingerprint,
  DependencyInfo,
  FingerprintingOptions,
  GlobalImport,
  ResolveOptions,
} from '@smart-cache/fingerprint'

/** One reached binding, as Contract 1 of docs/architecture.md describes it (the engine's own type). */
export type DepFingerprint = DependencyInfo

/** The engine's answer; `sourceHash` may be absent from injected engines (tests). */
export type BindingFingerprint = Omit<EngineFingerprint, 'sourceHash'> & {
  /** Digest of the exact bytes reached. */
  sourceHash?: string
}

/** The subset of `@smart-cache/fingerprint`'s engine (Contract 1) the plugin uses. */
export interface Engine {
  fingerprint: (file: string, name: string) => Promise<BindingFingerprint>
  invalidate: (absFile: string) => void
  /** Checks every known file again at the next call (a rebuild whose changed files are not reported). */
  recheck?: () => void
  warnings: readonly unknown[]
  /** Saves what the engine computed, keeping it running (a dev server saves while idle). */
  save?: () => Promise<void> | void
  close?: () => Promise<void> | void
}

/** What the engine must know of the bundler: how it resolves imports, and what it replaces at build time. */
export interface BundlerOptions {
  resolve?: ResolveOptions
  defines?: Record<string, string>
  globals?: Record<string, GlobalImport | readonly GlobalImport[]>
  /** Why the build may turn global names into imports that `globals` does not list (see the engine's option). */
  undeclaredGlobals?: string
  /** The program's entry modules (absolute), where the bundler names them (see bundler-entries.ts). */
  entries?: readonly string[]
}

/** An engine used instead of `@smart-cache/fingerprint`, or a factory of one given the root (tests: `withEngine` in options.ts). */
export type EngineOverride = Engine | ((root: string) => Engine)

/** Creates the real engine, or the injected one (tests). */
export async function createEngine(
  root: string,
  cacheDir: string | false | undefined,
  injected?: EngineOverride,
  bundler: BundlerOptions = {},
): Promise<Engine> {
  if (injected) return typeof injected === 'function' ? injected(root) : injected
  const mod: Partial<typeof import('@smart-cache/fingerprint')> = await import('@smart-cache/fingerprint')
  if (typeof mod.createFingerprinter !== 'function')
    throw new Error(
      '[smart-cache] @smart-cache/fingerprint does not export createFingerprinter: rebuild it (`pnpm --filter @smart-cache/fingerprint build`) or update it.',
    )
  // The plugin reports every change it sees (watchChange, hotUpdate): the engine checks the
  // files it knows once, not again on every call.
  return mod.createFingerprinter({
    root,
    recheck: 'after-invalidate',
    ...(cacheDir === undefined ? {} : { cacheDir }),
    ...fingerprintingOptions(bundler),
  })
}

/** The engine options that decide fingerprints (empty ones left out): what the engine is given, and what the manifest records for the CLI. */
export function fingerprintingOptions(bundler: BundlerOptions): FingerprintingOptions {
  return {
    ...(bundler.resolve ? { resolve: bundler.resolve } : {}),
    ...(bundler.defines && Object.keys(bundler.defines).length > 0 ? { defines: bundler.defines } : {}),
    ...(bundler.globals && Object.keys(bundler.globals).length > 0 ? { globals: bundler.globals } : {}),
    ...(bundler.undeclaredGlobals === undefined ? {} : { undeclaredGlobals: bundler.undeclaredGlobals }),
    // The engine and the manifest's record make them root-relative.
    ...(bundler.entries && bundler.entries.length > 0 ? { entries: [...bundler.entries] } : {}),
  }
}

/** Text of one engine warning, whatever its shape. */
export function warningText(w: unknown): string {
  if (typeof w === 'string') return w
  if (w && typeof w === 'object' && 'message' in w) return String((w as { message: unknown }).message)
  return JSON.stringify(w)
}
