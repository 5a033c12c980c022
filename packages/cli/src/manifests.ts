import { readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { glob } from 'tinyglobby'
import { type DependencyInfo, unpackDeps } from '@smart-cache/fingerprint'
import { CliError } from './errors.ts'

/** Contract 3: one dependency of a cached function (the engine's own type). */
export type ManifestDep = DependencyInfo

/** Contract 3: `smart-cache-manifest.json`, as read: version 2's packed deps are expanded. */
export interface Manifest {
  version: 1 | 2
  createdAt: string
  /**
   * The engine options of each environment of the build (the plugin's portable form, checked when
   * used: see engine-options.ts); absent from manifests of older plugins.
   */
  engine?: Record<string, unknown>
  /** `environment`: which of `engine`'s fingerprinted the function, when it records several. */
  functions: Record<string, { fingerprint: string; deps: ManifestDep[]; environment?: string }>
}

/** A manifest read from disk. */
export interface FoundManifest {
  file: string
  manifest: Manifest
  time: number
}

export const MANIFEST_NAME = 'smart-cache-manifest.json'

/** Where the plugin writes manifests by default (outside the deployed output), relative to the root. */
export const MANIFESTS_DIR = 'node_modules/.cache/smart-cache/manifests'

/** Reads and checks one manifest; errors name the file and the fix. */
export function readManifest(file: string): FoundManifest {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new CliError(
      `cannot read manifest ${file}. Fix: pass the path of a ${MANIFEST_NAME} written by the smart-cache plugin (by default in <root>/${MANIFESTS_DIR}/, or beside the build output with the plugin's manifest option).`,
    )
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new CliError(`${file}: not valid JSON (${(error as Error).message}). Fix: rebuild to rewrite the manifest.`)
  }
  const manifest = checkManifest(data, file)
  const created = Date.parse(manifest.createdAt)
  return { file, manifest, time: Number.isFinite(created) ? created : statSync(file).mtimeMs }
}

function checkManifest(data: unknown, file: string): Manifest {
  const m = data as Manifest & { deps?: unknown }
  if (
    typeof m !== 'object' ||
    m === null ||
    (m.version !== 1 && m.version !== 2) ||
    typeof m.functions !== 'object' ||
    m.functions === null
  ) {
    throw new CliError(
      `${file}: not a smart-cache manifest (expected { "version": 2, "functions": {…} }). Fix: pass a ${MANIFEST_NAME} written by the plugin.`,
    )
  }
  for (const [id, fn] of Object.entries(m.functions)) {
    if (typeof fn?.fingerprint !== 'string' || !Array.isArray(fn.deps))
      throw new CliError(`${file}: functions["${id}"] has no fingerprint/deps. Fix: rebuild to rewrite the manifest.`)
  }
  if (m.engine !== undefined && !isRecordOfObjects(m.engine))
    throw new CliError(
      `${file}: "engine" must map each environment to its engine options ({ "client": {…} }). Fix: rebuild with the plugin to rewrite the manifest.`,
    )
  if (m.version === 2) expandDeps(m, file)
  return m
}

function isRecordOfObjects(value: unknown): value is Record<string, object> {
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v)
  return isObject(value) && Object.values(value as object).every(isObject)
}

/** Version 2: each function's `deps` are runs of rows of the shared `deps` table. */
function expandDeps(m: Manifest & { deps?: unknown }, file: string): void {
  const fns = Object.values(m.functions)
  try {
    const lists = unpackDeps(
      m.deps,
      fns.map(f => f.deps),
    )
    fns.forEach((f, i) => {
      f.deps = lists[i]!
    })
  } catch (error) {
    throw new CliError(`${file}: malformed deps (${(error as Error).message}). Fix: rebuild to rewrite the manifest.`)
  }
  delete m.deps
}

/**
 * What to do with a manifest found under the root that cannot be read: `skip` it with a warning on
 * stderr (ls, stats, fingerprint, explain: one broken file of another build should not stop them),
 * or `fail` (prune: what it keeps depends on every build's manifest).
 */
export type BrokenManifests = 'skip' | 'fail'

/**
 * The plugin's manifests of builds under `root`, newest first: `<root>/node_modules/.cache/smart-cache/manifests/*.json`
 * (the default) and every `smart-cache-manifest.json` under `root` (written beside an output on request;
 * node_modules and dot-folders skipped).
 */
export async function findManifests(root: string, broken: BrokenManifests = 'skip'): Promise<FoundManifest[]> {
  const [cached, beside] = await Promise.all([
    glob('*.json', { cwd: join(root, MANIFESTS_DIR), absolute: true, followSymbolicLinks: false }),
    glob(`**/${MANIFEST_NAME}`, { cwd: root, absolute: true, ignore: ['**/node_modules/**', '**/.git/**'], followSymbolicLinks: false }),
  ])
  return [...cached, ...beside]
    .sort()
    .flatMap(file => readFound(file, root, broken))
    .sort((a, b) => b.time - a.time || (a.file < b.file ? -1 : 1))
}

/** One found manifest, or none (with a warning) when it cannot be read and `broken` is `skip`. */
function readFound(file: string, root: string, broken: BrokenManifests): FoundManifest[] {
  try {
    return [readManifest(file)]
  } catch (error) {
    if (broken === 'fail' || !(error instanceof CliError)) throw error
    const why = error.message.replace('[smart-cache] ', '').replace(`${file}: `, '')
    process.stderr.write(`[smart-cache] warning: skipped the manifest ${displayPath(file, root)}: ${why}\n`)
    return []
  }
}

/** `--manifest FILE` (one, which must be readable) or every manifest found under the root. */
export async function loadManifests(root: string, option: string | undefined, broken: BrokenManifests = 'skip'): Promise<FoundManifest[]> {
  return option === undefined ? findManifests(root, broken) : [readManifest(resolve(String(option)))]
}

/** `id → every fingerprint some manifest names`: the notion of "current" of ls/stats and of "still named" of prune. */
export function namedFingerprints(manifests: FoundManifest[]): Map<string, Set<string>> {
  const named = new Map<string, Set<string>>()
  for (const { manifest } of manifests) {
    for (const [id, f] of Object.entries(manifest.functions)) {
      const set = named.get(id) ?? new Set<string>()
      set.add(f.fingerprint)
      named.set(id, set)
    }
  }
  return named
}

/** A manifest path for messages: relative to the root when inside it. */
export function displayPath(file: string, root: string): string {
  const rel = relative(root, file)
  return rel.startsWith('..') ? file : rel.split('\\').join('/')
}
