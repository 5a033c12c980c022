import { createFingerprinter, type Fingerprinter } from '@smart-cache/fingerprint'
import type { CAC } from 'cac'
import { chooseOptions, type OptionFlags, optionsLine, withOptionFlags } from '../engine-options.ts'
import { CliError } from '../errors.ts'
import { findRoot } from '../root.ts'
import { parseTarget } from '../targets.ts'
import { printWarnings } from '../warnings.ts'

interface Options extends OptionFlags {
  root?: string
  json?: boolean
}

/** `smart-cache fingerprint [--root DIR] [--json] [--manifest FILE] [--environment NAME] TARGET...` */
export function registerFingerprint(cli: CAC): void {
  withOptionFlags(
    cli
      .command('fingerprint [...targets]', "Print the fingerprint of FILE (every export) or FILE#EXPORT, with the build's engine options")
      .option('--root <dir>', 'Project root (default: nearest folder with a package.json)')
      .option('--json', 'Print one JSON object { "file#export": "hex" }'),
  )
    .example('smart-cache fingerprint src/math.ts#fib src/util.ts')
    .action(async (targets: string[], options: Options) => {
      if (targets.length === 0) throw new CliError('fingerprint needs at least one TARGET: FILE or FILE#EXPORT.')
      const root = findRoot(options.root)
      const chosen = await chooseOptions(
        root,
        options,
        targets.map(t => parseTarget(t).file),
      )
      const engine = createFingerprinter({ root, ...chosen.options })
      try {
        const result = await fingerprintTargets(engine, targets)
        if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
        else
          process.stdout.write(
            Object.entries(result)
              .map(([id, hex]) => `${id}  ${hex}\n`)
              .join(''),
          )
        printWarnings(engine)
        // A build wrote manifests but none says how it resolved: these may not be its fingerprints.
        if (chosen.missing === 'not-recorded') process.stderr.write(`[smart-cache] ${optionsLine(chosen)}\n`)
      } finally {
        await engine.close()
      }
    })
}

/** `{ "<file relative to root>#<export>": "<hex>" }` for every target, in argument order. */
async function fingerprintTargets(engine: Fingerprinter, targets: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const arg of targets) {
    const { file, name } = parseTarget(arg)
    if (name !== undefined) {
      const fp = await engine.fingerprint(file, name)
      out[fp.id] = fp.hash
      continue
    }
    for (const fp of Object.values(await engine.fingerprintFile(file))) out[fp.id] = fp.hash
  }
  return out
}
