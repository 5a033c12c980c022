import type { DepFingerprint } from './engine.js'

export interface ManifestEntry {
  fingerprint: string
  deps: DepFingerprint[]
}

/** Contract 3: `smart-cache-manifest.json`, functions sorted by id, no absolute path. */
export function manifestJson(entries: Iterable<[string, ManifestEntry]>, now = new Date()): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  // Indented like JSON.stringify(…, null, 2) down to the functions; each dependency on one line
  // (a large app lists tens of thousands).
  const functions = sorted.map(([id, e]) => {
    const deps = e.deps.map(d => `        ${JSON.stringify({ file: d.file, binding: d.binding, hash: d.hash, line: d.line })}`)
    const list = deps.length === 0 ? '[]' : `[\n${deps.join(',\n')}\n      ]`
    return `    ${JSON.stringify(id)}: {\n      "fingerprint": ${JSON.stringify(e.fingerprint)},\n      "deps": ${list}\n    }`
  })
  const body = functions.length === 0 ? '{}' : `{\n${functions.join(',\n')}\n  }`
  return `{\n  "version": 1,\n  "createdAt": ${JSON.stringify(now.toISOString())},\n  "functions": ${body}\n}\n`
}

/** Cached functions per module id, kept current across watch rebuilds. */
export class FunctionRegistry {
  private byModule = new Map<string, Map<string, ManifestEntry>>()
  /** Changes with every `set()`. */
  version = 0

  set(moduleId: string, functions: Map<string, ManifestEntry>): void {
    this.version++
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
