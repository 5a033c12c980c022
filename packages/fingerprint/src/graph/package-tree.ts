import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { blake3 } from '../hash.ts'
import { InstallSources } from './install-source.ts'

interface Manifest {
  name: string
  version: string
  deps: string[]
}

/** A package's identity: itself and every package it resolves to, transitively, with their patches. */
export interface PackageIdentity {
  /** BLAKE3 of the sorted `name@version` (and patch hashes) of the whole tree. */
  id: string
  /** Every file read (package.json files, patches): a change to one changes the identity. */
  files: string[]
}

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const

/**
 * Identities of installed packages as trees: a package runs its own dependencies, so a new version
 * of one of them (npm's nested or hoisted layout, pnpm's `.pnpm` store, a workspace link) is a new
 * version of the code. Dependencies are found as Node finds them: in `node_modules` of the
 * package's real folder and of each folder above it. Memoized until `clear()`.
 */
export class PackageTrees {
  private identities = new Map<string, PackageIdentity>()
  private manifests = new Map<string, Manifest | undefined>()
  private patches: Map<string, string> | undefined
  private sources = new InstallSources()

  constructor(private root: string) {}

  clear(): void {
    this.identities.clear()
    this.manifests.clear()
    this.patches = undefined
    this.sources.clear()
  }

  identity(dir: string): PackageIdentity {
    let id = this.identities.get(dir)
    if (!id) {
      id = this.compute(dir)
      this.identities.set(dir, id)
    }
    return id
  }

  private compute(start: string): PackageIdentity {
    const files = new Set<string>()
    const names: string[] = []
    const seen = new Set<string>()
    const stack = [realDir(start)]
    while (stack.length > 0) {
      const dir = stack.pop()!
      if (seen.has(dir)) continue
      seen.add(dir)
      files.add(join(dir, 'package.json'))
      const m = this.manifest(dir)
      if (!m) continue
      names.push(`${m.name}@${m.version}${this.patchOf(m, files)}${this.sources.of(dir, files)}`)
      for (const dep of m.deps) {
        const found = findPackage(dir, dep)
        if (!found) {
          names.push(`${dep}@missing`)
          continue
        }
        // The path as Node sees it (through a pnpm symlink): re-pointing the link changes its content.
        files.add(join(found.linked, 'package.json'))
        stack.push(found.real)
      }
    }
    return { id: blake3(`package-tree\n${names.sort().join('\n')}`), files: [...files] }
  }

  private manifest(dir: string): Manifest | undefined {
    if (this.manifests.has(dir)) return this.manifests.get(dir)
    let m: Manifest | undefined
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>
      const deps = new Set<string>()
      for (const field of DEPENDENCY_FIELDS) {
        const v = json[field]
        if (v && typeof v === 'object') for (const name of Object.keys(v)) deps.add(name)
      }
      m = { name: String(json.name ?? basename(dir)), version: String(json.version ?? 'unknown'), deps: [...deps].sort() }
    } catch {
      m = undefined
    }
    this.manifests.set(dir, m)
    return m
  }

  /** The content hash of a patch applied to this package (`patch-package`, pnpm `patchedDependencies`). */
  private patchOf(m: Manifest, files: Set<string>): string {
    const patches = (this.patches ??= findPatches(this.root))
    const file = patches.get(`${m.name}@${m.version}`) ?? patches.get(m.name)
    if (!file) return ''
    files.add(file)
    try {
      return ` patch:${blake3(readFileSync(file))}`
    } catch {
      return ' patch:unreadable'
    }
  }
}

function realDir(dir: string): string {
  try {
    return realpathSync(dir)
  } catch {
    return dir
  }
}

/** Where `name` is installed as seen from the package in `dir` (Node's lookup): that path, and its real folder. */
function findPackage(dir: string, name: string): { linked: string; real: string } | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (basename(d) !== 'node_modules') {
      const candidate = join(d, 'node_modules', name)
      if (existsSync(join(candidate, 'package.json'))) return { linked: candidate, real: realDir(candidate) }
    }
    if (dirname(d) === d) return undefined
  }
}

/**
 * Patch files by `name@version` (or `name`): `patches/*.patch` of patch-package, and pnpm's
 * `patchedDependencies`, read in the root and in each folder above it up to the workspace root (the
 * only place pnpm reads them: a build rooted in `apps/web` runs the packages patched there).
 * The nearest folder wins.
 */
function findPatches(root: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const dir of patchFolders(root).reverse()) {
    for (const [spec, file] of folderPatches(dir)) out.set(spec, file)
  }
  return out
}

/** `root`, then each folder above it up to the workspace root; `root` alone when no workspace root is above it. */
function patchFolders(root: string): string[] {
  const chain: string[] = []
  for (let d = root; ; d = dirname(d)) {
    chain.push(d)
    if (isWorkspaceRoot(d)) return chain
    if (dirname(d) === d) return [root]
  }
}

/** A pnpm workspace (pnpm-workspace.yaml) or an npm/yarn/bun one (`workspaces` in package.json). */
function isWorkspaceRoot(dir: string): boolean {
  if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return true
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { workspaces?: unknown }).workspaces !== undefined
  } catch {
    return false
  }
}

/** The patches declared in one folder, as [spec, absolute patch file]. */
function folderPatches(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = []
  const patches = join(dir, 'patches')
  for (const f of readdirSafe(patches)) {
    // patch-package: `@scope+name+1.2.3.patch`, `name+1.2.3.patch`.
    const m = /^(.+)\+([^+]+)\.patch$/.exec(f)
    if (m) out.push([`${m[1]!.replaceAll('+', '/')}@${m[2]}`, join(patches, f)])
  }
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { pnpm?: { patchedDependencies?: Record<string, string> } }
    for (const [spec, file] of Object.entries(pkg.pnpm?.patchedDependencies ?? {})) out.push([spec, join(dir, file)])
  } catch {}
  for (const [spec, file] of workspacePatches(dir)) out.push([spec, join(dir, file)])
  return out
}

/** `patchedDependencies` of pnpm-workspace.yaml (pnpm 10): `  name@version: patches/file.patch` lines. */
function workspacePatches(root: string): Array<[string, string]> {
  let text: string
  try {
    text = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
  } catch {
    return []
  }
  const out: Array<[string, string]> = []
  let inside = false
  for (const line of text.split(/\r?\n/)) {
    if (/^patchedDependencies:\s*$/.test(line)) {
      inside = true
      continue
    }
    if (!inside || line.trim() === '' || line.trimStart().startsWith('#')) continue
    if (!/^\s/.test(line)) break
    const m = /^\s+['"]?([^'":]+(?::[^'"]*)?)['"]?\s*:\s*['"]?([^'"#]+?)['"]?\s*(?:#.*)?$/.exec(line)
    if (m) out.push([m[1]!.trim(), m[2]!.trim()])
  }
  return out
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
