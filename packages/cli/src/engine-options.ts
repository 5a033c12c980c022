import type { Command } from 'cac'
import { relative } from 'node:path'
import { type FingerprintingOptions, fromPortableOptions } from '@smart-cache/fingerprint'
import { CliError } from './errors.ts'
import { displayPath, type FoundManifest, loadManifests } from './manifests.ts'

/**
 * The engine options a command fingerprints with: those a build recorded in its manifest (its
 * bundler's aliases, conditions, defines, auto-imported globals), so that `fingerprint` and
 * `explain` give the build's fingerprints; none (Node's resolution) when no manifest records them.
 */
export interface ChosenOptions {
  options: FingerprintingOptions
  /** The manifest (relative to the root) and environment they come from; null when none recorded. */
  from: { manifest: string; environment: string } | null
  /** Why none: no manifest, or manifests of a plugin that did not record them. */
  missing?: 'no-manifest' | 'not-recorded'
  /** The record as the manifest holds it (to compare builds: see options-diff.ts). */
  record?: unknown
}

/** Flags of the commands that fingerprint: where to read the record, and which environment's. */
export interface OptionFlags {
  manifest?: string
  environment?: string
}

/** One environment's record in one manifest. */
interface Candidate {
  found: FoundManifest
  environment: string
  /** Files (relative to the root) of the functions this environment fingerprinted. */
  files: Set<string>
}

/**
 * Picks the record for `files` (absolute): `--environment` when given; else the newest manifest
 * whose functions of an environment include one of the files; else the one record there is
 * (several that agree count as one). Several that differ and nothing to pick by: an error that
 * says the choice.
 */
export async function chooseOptions(root: string, flags: OptionFlags, files: readonly string[]): Promise<ChosenOptions> {
  const manifests = await loadManifests(root, flags.manifest)
  if (manifests.length === 0) return { options: {}, from: null, missing: 'no-manifest' }
  const rels = new Set(files.map(f => relative(root, f).split('\\').join('/')))
  const named = manifests.find(m => Object.keys(m.manifest.functions).some(id => rels.has(fileOf(id))))
  // The newest build of the file predates the record (an older plugin): not another build's options, unless named.
  if (named && !named.manifest.engine && flags.environment === undefined) return { options: {}, from: null, missing: 'not-recorded' }
  let candidates = manifests.flatMap(candidatesOf)
  if (flags.environment !== undefined) {
    const wanted = String(flags.environment)
    const all = candidates
    candidates = candidates.filter(c => c.environment === wanted)
    if (candidates.length === 0)
      throw new CliError(
        `--environment ${wanted}: no manifest under the root records it${all.length > 0 ? ` (recorded: ${describe(all, root)})` : ''}. Fix: pass one of those names, or build that environment with the plugin first.`,
      )
  }
  if (candidates.length === 0) return { options: {}, from: null, missing: 'not-recorded' }
  const chosen = candidates.find(c => [...rels].some(f => c.files.has(f))) ?? single(candidates, root, rels)
  return {
    options: readRecord(chosen, root),
    from: { manifest: displayPath(chosen.found.file, root), environment: chosen.environment },
    record: chosen.found.manifest.engine![chosen.environment],
  }
}

/** The environments a manifest records, each with the files of its functions (all of them when it records one). */
function candidatesOf(found: FoundManifest): Candidate[] {
  const names = Object.keys(found.manifest.engine ?? {})
  return names.map(environment => {
    const files = new Set<string>()
    for (const [id, f] of Object.entries(found.manifest.functions))
      if (names.length === 1 || f.environment === environment) files.add(fileOf(id))
    return { found, environment, files }
  })
}

/** The newest record when every record says the same; else the choice is the user's. */
function single(candidates: Candidate[], root: string, rels: Set<string>): Candidate {
  const first = candidates[0]!
  const same = (c: Candidate) =>
    JSON.stringify(c.found.manifest.engine![c.environment]) === JSON.stringify(first.found.manifest.engine![first.environment])
  if (candidates.every(same)) return first
  throw new CliError(
    `no manifest under the root names a cached function of ${[...rels].join(', ')}, and the builds recorded different engine options (${describe(candidates, root)}). Fix: pass --environment NAME (or --manifest FILE) to say which build's options to fingerprint with.`,
  )
}

/** The record's options, checked: a malformed one names the manifest and the fix. */
function readRecord(c: Candidate, root: string): FingerprintingOptions {
  try {
    return fromPortableOptions(c.found.manifest.engine![c.environment], root)
  } catch (error) {
    throw new CliError(
      `${c.found.file}: malformed engine options of environment '${c.environment}': ${(error as Error).message}. Fix: rebuild with the plugin to rewrite the manifest, or update @smart-cache/cli to the plugin's version if the plugin is newer (or delete the manifest: the CLI then resolves as Node, without the bundler's aliases and defines).`,
    )
  }
}

function describe(candidates: Candidate[], root: string): string {
  return candidates.map(c => `${c.environment} in ${displayPath(c.found.file, root)}`).join(', ')
}

function fileOf(id: string): string {
  const hash = id.lastIndexOf('#')
  return hash === -1 ? id : id.slice(0, hash)
}

/** `explain`'s header: which options it fingerprinted with. */
export function optionsLine(chosen: ChosenOptions): string {
  if (chosen.from) return `engine options: ${chosen.from.manifest} (environment ${chosen.from.environment})`
  const why = chosen.missing === 'no-manifest' ? 'no build manifest found' : 'the build manifest does not record them'
  return `engine options: none recorded (${why}): resolved as Node, without the bundler's aliases, defines or auto-imports; a function reaching one may show another fingerprint than the build's. Fix: build with the plugin (its manifest records them), or pass --manifest FILE`
}

/** `--json`'s account of the same. */
export function optionsJson(chosen: ChosenOptions): { manifest: string; environment: string } | { manifest: null; missing: string } {
  return chosen.from ?? { manifest: null, missing: chosen.missing ?? 'not-recorded' }
}

/** Adds `--manifest` and `--environment` to a command that fingerprints. */
export function withOptionFlags(command: Command): Command {
  return command
    .option(
      '--manifest <file>',
      "Manifest whose recorded engine options (the bundler's aliases, defines, auto-imports) to fingerprint with (default: the plugin's manifests under the root)",
    )
    .option(
      '--environment <name>',
      'Which recorded environment\'s options to use (Vite: client, ssr…; "default" for other bundlers); default: the one whose build holds the file',
    )
}
