import { createRequire } from 'node:module'
import { cac } from 'cac'
import { commands } from './commands/index.ts'
import { CliError, reportError } from './errors.ts'

/**
 * Parses `argv` (without `node` and the script) and runs the matched command.
 * Returns the exit code; errors are printed to stderr as one `[smart-cache]` message, no stack.
 */
export async function run(argv: string[]): Promise<number> {
  const cli = cac('smart-cache')
  for (const register of commands) register(cli)
  cli.help()
  cli.version(version())
  try {
    cli.parse(['node', 'smart-cache', ...argv], { run: false })
    if (cli.options.help || cli.options.h || cli.options.version || cli.options.v) return 0
    if (!cli.matchedCommand) {
      if (cli.args.length > 0) throw new CliError(`unknown command '${cli.args[0]}'. Run \`smart-cache --help\` for the list.`)
      cli.outputHelp()
      return 0
    }
    const code: unknown = await cli.runMatchedCommand()
    return typeof code === 'number' ? code : 0
  } catch (error) {
    return reportError(withHelpHint(error, cli.matchedCommandName))
  }
}

/** cac's own usage errors (unknown option, missing value or argument) get the fix: the command's help. */
function withHelpHint(error: unknown, command: string | undefined): unknown {
  if (!(error instanceof Error) || error.name !== 'CACError') return error
  return new CliError(`${error.message.replace(/\.$/, '')}. Fix: see \`smart-cache ${command ? `${command} ` : ''}--help\`.`)
}

/** The version of @smart-cache/cli (its package.json sits one folder above both src/ and dist/). */
function version(): string {
  return (createRequire(import.meta.url)('../package.json') as { version: string }).version
}
