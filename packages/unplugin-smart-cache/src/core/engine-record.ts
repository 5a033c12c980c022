import { type FingerprintingOptions, type PortableOptions, toPortableOptions } from '@smart-cache/fingerprint'

/** The environment name of a bundler without environments (all but Vite), in the manifest and for the CLI's `--environment`. */
export const DEFAULT_ENVIRONMENT = 'default'

/**
 * The options each environment's engine was created with (the bundler's aliases, conditions,
 * defines, auto-imported globals), kept for the manifest: the CLI creates its engine with them, so
 * `smart-cache fingerprint` and `explain` give the fingerprints the build gave. Recorded portable:
 * root-relative paths, define values as digests (see `toPortableOptions`).
 */
export class EngineRecord {
  private byEnvironment = new Map<string, FingerprintingOptions>()

  set(environment: string, options: FingerprintingOptions): void {
    this.byEnvironment.set(environment || DEFAULT_ENVIRONMENT, options)
  }

  /** The record of `environments` (those of the manifest's functions), by name, sorted. */
  json(root: string, environments: Iterable<string>): Record<string, PortableOptions> {
    const out: Record<string, PortableOptions> = {}
    for (const name of [...environments].sort()) {
      const options = this.byEnvironment.get(name)
      if (options) out[name] = toPortableOptions(options, root)
    }
    return out
  }
}
