import { createFingerprinter, type ExplainNode } from '@smart-cache/fingerprint'
import type { CAC } from 'cac'
import { chooseOptions, type OptionFlags, optionsJson, optionsLine, withOptionFlags } from '../engine-options.ts'
import { CliError } from '../errors.ts'
import { stringifyDeep } from '../json.ts'
import { explainDiff } from '../explain-diff.ts'
import { findRoot } from '../root.ts'
import { parseTarget } from '../targets.ts'
import { printWarnings } from '../warnings.ts'

interface Options extends OptionFlags {
  root?: string
  json?: boolean
  from?: string
  to?: string
}

/** `smart-cache explain [--root DIR] [--json] FILE#EXPORT`, or `explain ID --from OLD_MANIFEST [--to NEW_MANIFEST]` */
export function registerExplain(cli: CAC): void {
  withOptionFlags(
    cli
      .command('explain <target>', 'Show what the fingerprint of FILE#EXPORT is made of; with --from, why it changed since a manifest')
      .option('--root <dir>', 'Project root (default: nearest folder with a package.json)')
      .option('--json', 'Print the tree (or the comparison) as JSON, with `engineOptions`: the manifest and environment used')
      .option('--from <manifest>', 'Compare: the manifest of an older build; TARGET is then a function id')
      .option('--to <manifest>', 'Compare with this newer manifest (default: the current sources, fingerprinted now)'),
  )
    .example('smart-cache explain src/math.ts#fib')
    .example('smart-cache explain src/math.ts#fib --from old-manifest.json --to node_modules/.cache/smart-cache/manifests/dist.json')
    .action(async (target: string, options: Options) => {
      if (options.to !== undefined && options.from === undefined)
        throw new CliError('--to needs --from OLD_MANIFEST. Fix: smart-cache explain ID --from OLD --to NEW.')
      if (options.from !== undefined) return explainDiff(String(target), { ...options, from: options.from })
      const { file, name } = parseTarget(target)
      if (name === undefined) throw new CliError(`explain needs FILE#EXPORT, got '${target}' (use #default for a default export).`)
      const root = findRoot(options.root)
      const chosen = await chooseOptions(root, options, [file])
      const engine = createFingerprinter({ root, ...chosen.options })
      try {
        const tree = await engine.explain(file, name)
        process.stdout.write(
          options.json
            ? `${stringifyDeep({ engineOptions: optionsJson(chosen), ...tree })}\n`
            : `${optionsLine(chosen)}\n${formatTree(tree)}`,
        )
        printWarnings(engine)
      } finally {
        await engine.close()
      }
    })
}

/**
 * One line per node: `id  hash  own  resolved-from`, drawn as a tree (iteratively), each subtree
 * once: where it is met first in print order; later mentions say `(see above)` (the engine marks
 * `repeated` in its own walk order, which is not the print order).
 */
export function formatTree(root: ExplainNode): string {
  const expanded = new Map<string, ExplainNode>()
  const walk = [root]
  while (walk.length > 0) {
    const node = walk.pop()!
    if (!node.repeated) expanded.set(node.id, node)
    walk.push(...node.children)
  }
  const printed = new Set<string>()
  const lines: string[] = []
  const stack: Array<[ExplainNode, string, string]> = [[root, '', '']]
  while (stack.length > 0) {
    const [node, lead, childLead] = stack.pop()!
    const seen = printed.has(node.id)
    printed.add(node.id)
    lines.push(
      `${lead}${node.id}  hash ${node.hash.slice(0, 16)}  own ${node.ownHash.slice(0, 16)}  ${node.resolvedFrom}${seen ? '  (see above)' : ''}`,
    )
    const kids = seen ? [] : (expanded.get(node.id) ?? node).children
    for (let i = kids.length - 1; i >= 0; i--) {
      const last = i === kids.length - 1
      stack.push([kids[i]!, `${childLead}${last ? '└─ ' : '├─ '}`, `${childLead}${last ? '   ' : '│  '}`])
    }
  }
  return `${lines.join('\n')}\n`
}
