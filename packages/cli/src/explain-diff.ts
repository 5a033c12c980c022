import { join } from 'node:path'
import { createFingerprinter, type ExplainNode, type Fingerprinter } from '@smart-cache/fingerprint'
import { chooseOptions, optionsJson, optionsLine } from './engine-options.ts'
import { CliError } from './errors.ts'
import { attachPaths, diffFunction, formatDiff, type DiffSide } from './manifest-diff.ts'
import { displayPath, readManifest, type FoundManifest } from './manifests.ts'
import { optionChanges, recordOf } from './options-diff.ts'
import { findRoot } from './root.ts'
import { printWarnings } from './warnings.ts'

/** Options of `explain ID --from OLD [--to NEW]`. */
export interface ExplainDiffOptions {
  from: string
  to?: string
  root?: string
  json?: boolean
  /** Where the current sources' engine options are read (default: the manifests under the root; NEW when given). */
  manifest?: string
  environment?: string
}

/**
 * Why the fingerprint of `id` differs between the manifest OLD and NEW (default: the current
 * sources, fingerprinted now). Paths come from the current sources' dependency tree when it
 * matches NEW.
 */
export async function explainDiff(id: string, options: ExplainDiffOptions): Promise<void> {
  const root = findRoot(options.root)
  const old = readManifest(String(options.from))
  const from = sideOf(old, id, root, '--from')
  // The current sources are fingerprinted with the options of the build NEW (or the newest one) recorded.
  const chosen = await chooseOptions(root, { manifest: options.to ?? options.manifest, environment: options.environment }, [
    join(root, split(id).file),
  ])
  const engine = createFingerprinter({ root, ...chosen.options })
  try {
    const newer = options.to === undefined ? undefined : readManifest(String(options.to))
    const to = newer ? sideOf(newer, id, root, '--to') : await currentSide(engine, id, root)
    // Both builds recorded their engine options: which differ (a define's value, an alias's target) may explain the change.
    const [before, after] = [recordOf(old.manifest, id), newer ? recordOf(newer.manifest, id) : chosen.record]
    const engineOptionsChanged = before !== undefined && after !== undefined ? optionChanges(before, after) : null
    const tree = await treeIfCurrent(engine, id, root, to.fingerprint)
    const diff = diffFunction(id, from, to)
    const result = tree ? attachPaths(diff, tree) : diff
    if (options.json)
      process.stdout.write(
        `${JSON.stringify({ ...result, line: tree?.resolvedFrom ?? null, engineOptions: optionsJson(chosen), engineOptionsChanged }, null, 2)}\n`,
      )
    else
      process.stdout.write(
        `${optionsLine(chosen)}\n` +
          formatDiff(result, tree?.resolvedFrom) +
          (engineOptionsChanged?.length ? `the build's engine options differ too: ${engineOptionsChanged.join(', ')}\n` : '') +
          (tree || !result.changed
            ? ''
            : 'paths: not shown, the current sources differ from NEW (run this where NEW was built, after building).\n'),
      )
    printWarnings(engine)
  } finally {
    await engine.close()
  }
}

function sideOf(found: FoundManifest, id: string, root: string, flag: string): DiffSide {
  const fn = found.manifest.functions[id]
  if (!fn) {
    const known = Object.keys(found.manifest.functions)
    throw new CliError(
      `${flag} ${displayPath(found.file, root)} has no cached function '${id}'. Fix: use one of its ids: ${known.slice(0, 8).join(', ') || '(none)'}${known.length > 8 ? ', …' : ''}.`,
    )
  }
  return { label: `${displayPath(found.file, root)} (${found.manifest.createdAt})`, fingerprint: fn.fingerprint, deps: fn.deps }
}

function split(id: string): { file: string; name: string } {
  const hash = id.lastIndexOf('#')
  if (hash <= 0 || hash === id.length - 1)
    throw new CliError(
      `'${id}' is not a function id. Fix: use FILE#EXPORT relative to the root, as the manifest names it (e.g. src/math.ts#fib).`,
    )
  return { file: id.slice(0, hash), name: id.slice(hash + 1) }
}

async function currentSide(engine: Fingerprinter, id: string, root: string): Promise<DiffSide> {
  const { file, name } = split(id)
  const fp = await engine.fingerprint(join(root, file), name)
  return { label: 'current sources', fingerprint: fp.hash, deps: fp.deps }
}

/** The explain tree of the current sources, or undefined when they are not what NEW describes. */
async function treeIfCurrent(engine: Fingerprinter, id: string, root: string, fingerprint: string): Promise<ExplainNode | undefined> {
  const { file, name } = split(id)
  try {
    const tree = await engine.explain(join(root, file), name)
    return tree.hash === fingerprint ? tree : undefined
  } catch {
    return undefined
  }
}
