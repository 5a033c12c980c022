import { packDeps } from '@smart-cache/fingerprint'
import type { DepFingerprint } from './engine.js'

export interface ManifestEntry {
  fingerprint: string
  deps: DepFingerprint[]
}

/**
 * Contract 3: `smart-cache-manifest.json`, functions sorted by id, no absolute path. Version 2
 * stores each distinct dependency once (`deps`: `[file, binding, hash, line]` rows) and each
 * function's deps as `[start, length…]` runs of rows: fifty functions of a large app reach the
 * same ten thousand bindings, which version 1 repeated fifty times (a 100 MB file).
 */
export function manifestJson(entries: Iterable<[string, ManifestEntry]>, now = new Date()): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const { rows, lists } = packDeps(sorted.map(([, e]) => e.deps))
  // Indented like JSON.stringify(…, null, 2) down to the functions; one row or function a line.
  const functions = sorted.map(
    ([id, e], i) => `    ${JSON.stringify(id)}: { "fingerprint": ${JSON.stringify(e.fingerprint)}, "deps": ${JSON.stringify(lists[i])} }`,
  )
  const table = rows.length === 0 ? '[]' : `[\n${rows.map(r => `    ${JSON.stringify(r)}`).join(',\n')}\n  ]`
  const body = functions.length === 0 ? '{}' : `{\n${functions.join(',\n')}\n  }`
  return `{\n  "version": 2,\n  "createdAt": ${JSON.stringify(now.toISOString())},\n  "deps": ${table},\n  "functions": ${body}\n}\n`
}

/** Cached functions per module id, kept current across watch rebuilds. */
export class FunctionRegistry {
  private byModule = new Map<string, Map<string, ManifestEntry>>()
  /** Changes with every `set()`. */
  version = 0

  set(moduleId: string, functions: Map<string, ManifestEntry>): void {
    this.version++
    if (functions.size === 0) this.byModule.delete(moduleId)
    else this.byModule.set(moduleId, functions)
  }

  /** Module ids whose cached functions reach `relFile`. */
  dependents(relFile: string): string[] {
    const out: string[] = []
    for (const [moduleId, fns] of this.byModule) {
      if ([...fns.values()].some(f => f.deps.some(d => d.file === relFile))) out.push(moduleId)
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
