import type { DepFingerprint } from './engine.js'

export interface ManifestEntry {
  fingerprint: string
  deps: DepFingerprint[]
}

/** Contract 3: `smart-cache-manifest.json`, functions sorted by id, no absolute path. */
export function manifestJson(entries: Iterable<[string, ManifestEntry]>, now = new Date()): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const functions: Record<string, ManifestEntry> = {}
  for (const [id, e] of sorted) {
    functions[id] = {
      fingerprint: e.fingerprint,
      deps: e.deps.map(d => ({ file: d.file, binding: d.binding, hash: d.hash, line: d.line })),
    }
  }
  return `${JSON.stringify({ version: 1, createdAt: now.toISOString(), functions }, null, 2)}\n`
}

/** Cached functions per module id, kept current across watch rebuilds. */
export class FunctionRegistry {
  private byModule = new Map<string, Map<string, ManifestEntry>>()

  set(moduleId: string, functions: Map<string, ManifestEntry>): void {
    if (functions.size === 0)
      this.byModule.delete(moduleId)
    else this.byModule.set(moduleId, functions)
  }

  /** Module ids whose cached functions reach `relFile`. */
  dependents(relFile: string): string[] {
    const out: string[] = []
    for (const [moduleId, fns] of this.byModule) {
      if ([...fns.values()].some(f => f.deps.some(d => d.file === relFile)))
        out.push(moduleId)
    }
    return out
  }

  entries(): [string, ManifestEntry][] {
    return [...this.byModule.values()].flatMap(m => [...m])
  }

  get size(): number {
    return this.byModule.size
  }
}
