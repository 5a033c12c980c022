import type { Fingerprinter } from '@smart-cache/fingerprint'

/** Engine warnings go to stderr, so `--json` output on stdout stays one JSON object. */
export function printWarnings(engine: Fingerprinter): void {
  for (const w of engine.warnings) process.stderr.write(`${w.message}\n`)
}
