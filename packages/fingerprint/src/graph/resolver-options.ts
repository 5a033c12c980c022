import { createRequire } from 'node:module'
import type { NapiResolveOptions, ResolverFactory } from 'oxc-resolver'
import type { LoadKind } from '../analyze/analysis-types.ts'

/** How the engine resolves (TypeScript and Node rules); the answer cache re-resolves with the same. */
export const RESOLVER_OPTIONS: NapiResolveOptions = {
  tsconfig: 'auto',
  extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'],
  extensionAlias: { '.js': ['.ts', '.tsx', '.js', '.jsx'], '.jsx': ['.tsx', '.jsx'], '.mjs': ['.mts', '.mjs'], '.cjs': ['.cts', '.cjs'] },
  conditionNames: ['node', 'import', 'module', 'default'],
  mainFields: ['module', 'main'],
  builtinModules: true,
  // Bundlers ignore NODE_PATH, and package managers' script shims set it: honouring it would
  // make a fingerprint depend on how the process was started.
  nodePath: false,
}

/** `require()` resolves package `exports` and `imports` with the `require` condition, not `import`. */
export const REQUIRE_CONDITIONS = ['node', 'require', 'default']

/** Resolvers with the engine's options, one per kind of load, loaded on first use (the answer cache rarely needs one). */
export interface ResolverPair {
  resolveFileSync: (from: string, specifier: string, kind?: LoadKind) => ReturnType<ResolverFactory['resolveFileSync']>
  clearCache: () => void
}

export function createResolverFactory(): ResolverPair {
  const { ResolverFactory: Factory } = createRequire(import.meta.url)('oxc-resolver') as typeof import('oxc-resolver')
  const forImport = new Factory(RESOLVER_OPTIONS)
  let forRequire: ResolverFactory | undefined
  return {
    resolveFileSync: (from, specifier, kind = 'i') => {
      if (kind === 'i') return forImport.resolveFileSync(from, specifier)
      forRequire ??= forImport.cloneWithOptions({ ...RESOLVER_OPTIONS, conditionNames: REQUIRE_CONDITIONS })
      return forRequire.resolveFileSync(from, specifier)
    },
    clearCache: () => {
      forImport.clearCache()
      forRequire?.clearCache()
    },
  }
}

/**
 * A resolution to repeat when checking stored answers: `[importer, specifier, result]`, the
 * result an absolute path or '' when it did not resolve. For bare specifiers under a
 * tsconfig.json (`paths` and `baseUrl` can send them to any folder, `extends` can change them)
 * and those leading into source: no folder stamp covers where they could go next.
 */
export type Resolution = [from: string, specifier: string, result: string, kind?: LoadKind]
