import { createFingerprinter, type ExplainNode } from '@smart-cache/fingerprint'
import type { CAC } from 'cac'
import { CliError } from '../errors.ts'
import { findRoot } from '../root.ts'
import { parseTarget } from '../targets.ts'
import { printWarnings } from '../warnings.ts'

interface Options { root?: string, json?: boolean }

/** `smart-cache explain [--root DIR] [--json] FILE#EXPORT` */
export function registerExplain(cli: CAC): void {
  cli
    .command('explain <target>', 'Show what the fingerprint of FILE#EXPORT is made of')
    .option('--root <dir>', 'Project root (default: nearest folder with a package.json)')
    .option('--json', 'Print the tree as JSON')
    .example('smart-cache explain src/math.ts#fib')
    .action(async (target: string, options: Options) => {
      const { file, name } = parseTarget(target)
      if (name === undefined) throw new CliError(`explain needs FILE#EXPORT, got '${target}' (use #default for a default export).`)
      const engine = createFingerprinter({ root: findRoot(options.root) })
      try {
        const tree = await engine.explain(file, name)
        process.stdout.write(options.json ? `${JSON.stringify(tree, null, 2)}\n` : formatTree(tree))
        printWarnings(engine)
      }
      finally {
        await engine.close()
      }
    })
}

/** One line per node: `id  hash  own  resolved-from`, drawn as a tree (iteratively). */
export function formatTree(root: ExplainNode): string {
  const lines: string[] = []
  const stack: Array<[ExplainNode, string, string]> = [[root, '', '']]
  while (stack.length > 0) {
    const [node, lead, childLead] = stack.pop()!
    const more = node.repeated ? '  (see above)' : ''
    lines.push(`${lead}${node.id}  hash ${node.hash.slice(0, 16)}  own ${node.ownHash.slice(0, 16)}  ${node.resolvedFrom}${more}`)
    const kids = node.children
    for (let i = kids.length - 1; i >= 0; i--) {
      const last = i === kids.length - 1
      stack.push([kids[i]!, `${childLead}${last ? '└─ ' : '├─ '}`, `${childLead}${last ? '   ' : '│  '}`])
    }
  }
  return `${lines.join('\n')}\n`
}
