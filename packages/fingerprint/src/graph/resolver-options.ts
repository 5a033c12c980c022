import { createRequire } from 'node:module'
import { sep } from 'node:path'
import type { NapiResolveOptions, ResolveResult, ResolverFactory } from 'oxc-resolver'
import type { LoadKind } from '../analyze/analysis-types.ts'
import type { AliasEntry, ResolveEnvironment, ResolveOptions } from '../types.ts'

/** Node's environment, when the caller names none. */
const NODE_ENVIRONMENT: ResolveEnvironment = { conditions: ['node', 'module'], mainFields: ['module', 'main'] }

/**
 * `./x.js` is the file itself when it exists (as Vite, esbuild, Rollup and Node load it), else
 * the TypeScript source it stands for.
 */
const EXTENSION_ALIAS: Record<string, string[]> = {
  '.js': ['.js', '.ts', '.tsx', '.jsx'],
  '.jsx': ['.jsx', '.tsx'],
  '.mjs': ['.mjs', '.mts'],
  '.cjs': ['.cjs', '.cts'],
}

/** How the engine resolves (TypeScript and Node rules, or the bundler's as given); the answer cache re-resolves with the same. */
function napiOptions(options: ResolveOptions, env: ResolveEnvironment, kind: LoadKind): NapiResolveOptions {
  return {
    tsconfig: 'auto',
    extensions: [...(options.extensions ?? ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'])],
    extensionAlias: Object.fromEntries(Object.entries(options.extensionAlias ?? EXTENSION_ALIAS).map(([k, v]) => [k, [...v]])),
    // `require()` resolves package `exports` and `imports` with the `require` condition, not `import`.
    conditionNames: [...env.conditions, kind === 'i' ? 'import' : 'require', 'default'],
    mainFields: [...(env.mainFields ?? NODE_ENVIRONMENT.mainFields!)],
    builtinModules: true,
    // Bundlers ignore NODE_PATH, and package managers' script shims set it: honouring it would
    // make a fingerprint depend on how the process was started.
    nodePath: false,
  }
}

/** A resolution's outcome: oxc-resolver's, or an error of the engine's (an alias it cannot follow, environments that disagree). */
export type ResolveOutcome = Pick<ResolveResult, 'path' | 'error' | 'builtin'>

/** Resolves as the bundle does, aliases and every environment included; resolvers are made on first use. */
export interface BundleResolver {
  resolveFileSync: (from: string, specifier: string, kind?: LoadKind) => ResolveOutcome
  clearCache: () => void
}

export function createBundleResolver(options: ResolveOptions = {}): BundleResolver {
  const { ResolverFactory: Factory } = createRequire(import.meta.url)('oxc-resolver') as typeof import('oxc-resolver')
  const environments = options.environments?.length ? options.environments : [NODE_ENVIRONMENT]
  const alias = options.alias ?? []
  let first: ResolverFactory | undefined
  const made = new Map<string, ResolverFactory>()
  const resolverFor = (env: number, kind: LoadKind): ResolverFactory => {
    const key = `${env}\0${kind}`
    let r = made.get(key)
    if (!r) {
      const napi = napiOptions(options, environments[env]!, kind)
      // Clones share the first resolver's cache of the file system.
      r = first ? first.cloneWithOptions(napi) : (first = new Factory(napi))
      made.set(key, r)
    }
    return r
  }
  return {
    resolveFileSync: (from, specifier, kind = 'i') => {
      const target = applyAlias(alias, specifier)
      if (target === null)
        return { error: `an alias matches '${specifier}' whose target the engine cannot know (a custom resolver, or alternatives)` }
      const spec = target ?? specifier
      const result = resolverFor(0, kind).resolveFileSync(from, spec)
      if (environments.length === 1 || isPath(spec) || isRuntime(spec)) return result
      return agreement(result, spec, environments, e => resolverFor(e, kind).resolveFileSync(from, spec))
    },
    clearCache: () => first?.clearCache(),
  }
}

/**
 * smart-cache's own runtime (`smart-cache`, `smart-cache/…`): the caching, not the computation. It
 * counts as its package, whichever of its builds an environment loads and even when linked from
 * a workspace (see `Resolver`).
 */
export function isRuntime(specifier: string): boolean {
  return specifier === 'smart-cache' || specifier.startsWith('smart-cache/')
}

/** The first alias that matches `specifier`: the new specifier, `null` for an alias the engine cannot follow, or `undefined`. */
export function applyAlias(alias: readonly AliasEntry[], specifier: string): string | null | undefined {
  for (const { find, replacement } of alias) {
    if (typeof find === 'string' ? specifier === find || specifier.startsWith(`${find}/`) : regexTest(find, specifier)) {
      if (replacement === null) return null
      return typeof find === 'string' ? replacement + specifier.slice(find.length) : specifier.replace(find, replacement)
    }
  }
  return undefined
}

/** `RegExp#test` without the `lastIndex` state of a global or sticky pattern. */
function regexTest(find: RegExp, specifier: string): boolean {
  find.lastIndex = 0
  const hit = find.test(specifier)
  find.lastIndex = 0
  return hit
}

function isPath(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('/') || /^[A-Za-z]:[\\/]/.test(specifier)
}

/**
 * The first environment's result when every environment leads to the same file (or into the same
 * installed package, which counts by version whatever file it leads to); otherwise an error naming both.
 */
function agreement(
  result: ResolveOutcome,
  specifier: string,
  environments: readonly ResolveEnvironment[],
  resolveIn: (env: number) => ResolveOutcome,
): ResolveOutcome {
  for (let e = 1; e < environments.length; e++) {
    const other = resolveIn(e)
    if (other.path === result.path || (other.builtin && result.builtin) || samePackage(other.path, result.path)) continue
    const where = (r: ResolveOutcome) => r.path ?? 'nothing'
    return {
      error: `'${specifier}' leads to ${where(result)} with the conditions [${environments[0]!.conditions.join(', ')}] and to ${where(other)} with [${environments[e]!.conditions.join(', ')}]`,
    }
  }
  return result
}

/** Whether two resolved files lie in the same installed package (under the same `node_modules/<name>`). */
function samePackage(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false
  const dir = (p: string): string | undefined => {
    const norm = p.replaceAll('\\', '/')
    const at = norm.lastIndexOf('/node_modules/')
    if (at === -1) return undefined
    const rest = norm.slice(at + 14).split('/')
    return norm.slice(0, at + 14) + rest.slice(0, rest[0]!.startsWith('@') ? 2 : 1).join('/')
  }
  const da = dir(a)
  return da !== undefined && da === dir(b)
}

/**
 * A stable text of the options (the name of the engine's stored answers depends on it: other
 * options, other answers), with paths under the root relative to it: the same project checked
 * out in another folder, its aliases pointing into it, takes the answers stored in the first.
 */
export function resolveOptionsKey(options: ResolveOptions | undefined, root: string): string {
  if (!options) return ''
  const inRoot = (p: string | null): string | null =>
    p !== null && (p === root || p.startsWith(root + sep)) ? `<root>${p.slice(root.length).replaceAll(sep, '/')}` : p
  return JSON.stringify([
    (options.alias ?? []).map(a => [typeof a.find === 'string' ? a.find : `/${a.find.source}/${a.find.flags}`, inRoot(a.replacement)]),
    options.environments ?? null,
    options.extensionAlias ?? null,
    options.extensions ?? null,
  ])
}

/**
 * A resolution to repeat when checking stored answers: `[importer, specifier, result]`, the
 * result an absolute path or '' when it did not resolve. For bare specifiers under a
 * tsconfig.json (`paths` and `baseUrl` can send them to any folder, `extends` can change them)
 * and those leading into source: no folder stamp covers where they could go next.
 */
export type Resolution = [from: string, specifier: string, result: string, kind?: LoadKind]
