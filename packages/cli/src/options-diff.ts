import type { Manifest } from './manifests.ts'

/**
 * What differs between two builds' recorded engine options (their portable form, see
 * engine-options.ts): `defines.__RATE__` (its value's digest), `globals.ref`, `resolve.alias`,
 * `entries`… A fingerprint may change with them while no code did: a define's value, an alias's target.
 */
export function optionChanges(before: unknown, after: unknown): string[] {
  const a = asRecord(before)
  const b = asRecord(after)
  const out: string[] = []
  for (const key of union(a, b)) {
    if (same(a[key], b[key])) continue
    // Per entry for maps whose entries stand alone (each define, each global, each resolve option).
    if (key === 'defines' || key === 'globals' || key === 'resolve') {
      const x = asRecord(a[key])
      const y = asRecord(b[key])
      for (const sub of union(x, y)) if (!same(x[sub], y[sub])) out.push(`${key}.${sub}`)
    } else out.push(key)
  }
  return out
}

/** The record of the environment that fingerprinted `id` in a manifest: its own, or the manifest's only one. */
export function recordOf(manifest: Manifest, id: string): unknown {
  const engine = manifest.engine
  if (!engine) return undefined
  const names = Object.keys(engine)
  const environment = manifest.functions[id]?.environment ?? (names.length === 1 ? names[0] : undefined)
  return environment === undefined ? undefined : engine[environment]
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
}

function same(x: unknown, y: unknown): boolean {
  return JSON.stringify(x) === JSON.stringify(y)
}
