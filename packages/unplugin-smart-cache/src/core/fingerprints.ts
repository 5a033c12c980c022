import type { BindingFingerprint, Engine } from './engine.js'

/**
 * A fingerprint whose `deps` are read when first needed and then kept: a warm one-off build whose
 * manifest did not change never reads them (the engine makes each list, twenty thousand entries in
 * a large app, on first read). The engine computes `deps` from the graph as it is when read, which
 * changes only when a file changes: long-lived builds read them in the same transform (watch
 * files), one-off builds have no file changes. The list is the engine's own (never changed): not copied.
 */
function snapshot(fp: BindingFingerprint): BindingFingerprint {
  let deps: BindingFingerprint['deps'] | undefined
  const out = { hash: fp.hash, id: fp.id, sourceHash: fp.sourceHash } as BindingFingerprint
  if (fp.uncacheable) out.uncacheable = fp.uncacheable
  Object.defineProperty(out, 'deps', { enumerable: true, get: () => (deps ??= fp.deps) })
  return out
}

/** Fingerprint of `name`; a member the engine does not know falls back to its enclosing binding. */
export async function fingerprintOf(engine: Engine, file: string, name: string): Promise<BindingFingerprint> {
  try {
    return snapshot(await engine.fingerprint(file, name))
  } catch (error) {
    const head = name.split('.')[0]!
    if (head === name) throw error
    return snapshot(await engine.fingerprint(file, head))
  }
}

/** Key of a function's impurity findings: the exact bytes it reaches and its module's code. */
export function findingsKey(fp: BindingFingerprint, codeDigest: string): string | undefined {
  return fp.sourceHash ? `${fp.sourceHash}:${codeDigest}` : undefined
}
