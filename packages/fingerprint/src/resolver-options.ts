import { createRequire } from 'node:module'
import type { NapiResolveOptions, ResolverFactory } from 'oxc-resolver'

/** How the engine resolves (TypeScript and Node rules); the answer cache re-resolves with the same. */
export const RESOLVER_OPTIONS: NapiResolveOptions = {
  tsconfig: 'auto',
  extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'],
  extensionAlias: { '.js': ['.ts', '.tsx', '.js', '.jsx'], '.jsx': ['.tsx', '.jsx'], '.mjs': ['.mts', '.mjs'], '.cjs': ['.cts', '.cjs'] },
  conditionNames: ['node', 'import', 'module', 'require', 'default'],
  mainFields: ['module', 'main'],
  builtinModules: true,
  // Bundlers ignore NODE_PATH, and package managers' script shims set it: honouring it would
  // make a fingerprint depend on how the process was started.
  nodePath: false,
}

/** A resolver with the engine's options, loaded on first use (the answer cache rarely needs one). */
export function createResolverFactory(): ResolverFactory {
  const { ResolverFactory: Factory } = createRequire(import.meta.url)('oxc-resolver') as typeof import('oxc-resolver')
  return new Factory(RESOLVER_OPTIONS)
}

/**
 * A resolution to repeat when checking stored answers: `[importer, specifier, result]`, the
 * result an absolute path or '' when it did not resolve. For bare specifiers under a
 * tsconfig.json (`paths` and `baseUrl` can send them to any folder, `extends` can change them)
 * and those leading into source: no folder stamp covers where they could go next.
 */
export type Resolution = [from: string, specifier: string, result: string]
