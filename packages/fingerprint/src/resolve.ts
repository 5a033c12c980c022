import { readFileSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import { dirname, join } from 'node:path'
import { ResolverFactory } from 'oxc-resolver'

/** Where an import specifier leads. */
export type Resolved =
  | { kind: 'source', abs: string }
  | { kind: 'json', abs: string }
  | { kind: 'asset', abs: string }
  | { kind: 'package', name: string, version: string, subpath: string, abs: string, dir: string }
  | { kind: 'builtin', name: string }
  | { kind: 'unresolved', error: string }

const SOURCE = /\.(?:[cm]?[jt]sx?)$/
const DTS = /\.d\.[cm]?ts$/

/**
 * Resolves like TypeScript and Node do (relative paths, index files, `./x.js` meaning `./x.ts`,
 * package `exports`, tsconfig `paths`) with oxc-resolver, and classifies the result. Results are
 * memoized until `clear()`.
 */
export class Resolver {
  private factory = new ResolverFactory({
    tsconfig: 'auto',
    extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'],
    extensionAlias: { '.js': ['.ts', '.tsx', '.js', '.jsx'], '.jsx': ['.tsx', '.jsx'], '.mjs': ['.mts', '.mjs'], '.cjs': ['.cts', '.cjs'] },
    conditionNames: ['node', 'import', 'module', 'require', 'default'],
    mainFields: ['module', 'main'],
    builtinModules: true,
  })

  private memo = new Map<string, Resolved>()

  private packages = new Map<string, { name: string, version: string } | undefined>()

  resolve(fromFile: string, specifier: string): Resolved {
    const dir = dirname(fromFile)
    const key = `${dir}\0${specifier}`
    let r = this.memo.get(key)
    if (!r) {
      r = this.compute(fromFile, specifier)
      this.memo.set(key, r)
    }
    return r
  }

  clear(): void {
    this.memo.clear()
    this.packages.clear()
    this.factory.clearCache()
  }

  private compute(fromFile: string, specifier: string): Resolved {
    if (isBuiltin(specifier)) return { kind: 'builtin', name: specifier.replace(/^node:/, '') }
    // resolveFileSync (not sync(dir)) so that `tsconfig: 'auto'` finds the file's tsconfig.json.
    const res = this.factory.resolveFileSync(fromFile, specifier)
    if (res.builtin) return { kind: 'builtin', name: res.builtin.resolved.replace(/^node:/, '') }
    if (!res.path) return { kind: 'unresolved', error: res.error ?? 'not found' }
    const abs = res.path
    const pkg = this.packageOf(abs)
    if (pkg) return { kind: 'package', ...pkg, subpath: subpathOf(specifier, pkg.name), abs }
    if (abs.endsWith('.json')) return { kind: 'json', abs }
    if (SOURCE.test(abs) && !DTS.test(abs)) return { kind: 'source', abs }
    return { kind: 'asset', abs }
  }

  /** name@version of the installed package holding `abs`, when it lies under node_modules. */
  private packageOf(abs: string): { name: string, version: string, dir: string } | undefined {
    const norm = abs.replaceAll('\\', '/')
    const at = norm.lastIndexOf('/node_modules/')
    if (at === -1) return undefined
    const rest = norm.slice(at + '/node_modules/'.length).split('/')
    const depth = rest[0]!.startsWith('@') ? 2 : 1
    const dir = join(abs.slice(0, at), 'node_modules', ...rest.slice(0, depth))
    if (!this.packages.has(dir)) this.packages.set(dir, readPackage(dir))
    return { dir, ...(this.packages.get(dir) ?? { name: rest.slice(0, depth).join('/'), version: 'unknown' }) }
  }
}

function readPackage(dir: string): { name: string, version: string } | undefined {
  try {
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string, version?: string }
    if (typeof json.name !== 'string') return undefined
    return { name: json.name, version: String(json.version ?? 'unknown') }
  }
  catch {
    return undefined
  }
}

/** The part of a bare specifier after the package name (`lodash/fp` → `/fp`); '' for relative ones. */
function subpathOf(specifier: string, name: string): string {
  return specifier.startsWith(name) ? specifier.slice(name.length) : ''
}
