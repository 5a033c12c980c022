/**
 * Storage keys (owned by the runtime, read only through `smart-cache/store`):
 * `sc1:<fingerprint>:<argsHash>`, both 64 lowercase hex. With the filesystem driver this is the
 * file `<dir>/sc1/<fingerprint>/<argsHash>`. The id lives in the envelope header.
 */
export const LAYOUT_PREFIX = 'sc1'

export function entryKey(fingerprint: string, argsHash: string): string {
  return `${LAYOUT_PREFIX}:${fingerprint}:${argsHash}`
}

export function fingerprintBase(fingerprint: string): string {
  return `${LAYOUT_PREFIX}:${fingerprint}`
}

/** Splits a stored key; undefined for keys that are not cache entries. */
export function parseEntryKey(key: string): { fingerprint: string; argsHash: string } | undefined {
  const m = /^sc1:([0-9a-f]{64}):([0-9a-f]{64})$/.exec(key)
  return m ? { fingerprint: m[1]!, argsHash: m[2]! } : undefined
}
