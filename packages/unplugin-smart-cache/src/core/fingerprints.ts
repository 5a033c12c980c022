import type { BindingFingerprint, Engine } from './engine.js'

/**
 * Reads a fingerprint at once: the engine computes `deps` lazily, from the graph as it is when
 * read. The list is the engine's own (never changed after it is returned): not copied.
 */
function snapshot(fp: BindingFingerprint): BindingFingerprint {
  return { hash: fp.hash, id: fp.id, deps: fp.deps, sourceHash: fp.sourceHash }
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
