import { unpackDeps } from '@smart-cache/fingerprint'

/** A manifest as JSON gives it, with version 2's packed deps expanded into each function's `deps` list. */
export function expandManifest<M extends { version: number, deps?: unknown, functions: Record<string, { deps: any }> }>(m: M): M {
  if (m.version !== 2)
    return m
  const fns = Object.values(m.functions)
  const lists = unpackDeps(m.deps, fns.map(f => f.deps))
  fns.forEach((f, i) => { f.deps = lists[i] })
  return m
}
