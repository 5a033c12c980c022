/** An error whose message is complete for a user: `[smart-cache]`, the place, the fix. No stack needed. */
export class FingerprintError extends Error {
  override name = 'FingerprintError'
  constructor(message: string) {
    super(message.startsWith('[smart-cache]') ? message : `[smart-cache] ${message}`)
  }
}
