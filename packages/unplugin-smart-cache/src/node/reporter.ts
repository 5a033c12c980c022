import { writeSync } from 'node:fs'

/**
 * Warnings of the loader, each printed once per process. Written synchronously to stderr from the
 * hooks thread, so none is lost when the program exits right after.
 */
export class Reporter {
  private seen = new Set<string>()
  constructor(private write: (text: string) => void = text => writeSync(2, text)) {}

  warn(message: string): void {
    if (this.seen.has(message)) return
    this.seen.add(message)
    try {
      this.write(`${message.startsWith('[smart-cache]') ? message : `[smart-cache] ${message}`}\n`)
    } catch {}
  }
}
