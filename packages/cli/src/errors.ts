/** An error meant for the user: printed as its message alone. */
export class CliError extends Error {
  constructor(message: string) {
    super(message.startsWith('[smart-cache]') ? message : `[smart-cache] ${message}`)
  }
}

/**
 * Prints an error to stderr without a stack trace and returns the exit code (1).
 * Messages not yet prefixed (for example cac's own) get `[smart-cache]`.
 */
export function reportError(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`${message.startsWith('[smart-cache]') ? message : `[smart-cache] ${message}`}\n`)
  return 1
}
