import type { ExplainNode } from '@smart-cache/fingerprint'
import type { ManifestDep } from './manifests.ts'

/** One side of the comparison: a fingerprint and the own hashes of its dependencies. */
export interface DiffSide {
  label: string
  fingerprint: string
  deps: ManifestDep[]
}

/** A dependency whose own hash differs between the two sides. */
export interface DepChange {
  id: string
  /** `changed`: same binding, other own hash; `added`/`removed`: reached on one side only. */
  change: 'changed' | 'added' | 'removed'
  /** `file:line` on the side that has it (the new one when both do). */
  at: string
  oldHash: string | null
  newHash: string | null
  /** Ids from the function down to this binding, when the new sources' dependency tree is known. */
  path: string[] | null
}

export interface FunctionDiff {
  id: string
  from: { label: string; fingerprint: string }
  to: { label: string; fingerprint: string }
  changed: boolean
  deps: DepChange[]
  /** Fingerprint changed with no dependency change: the function's own code (or a package or global it uses) changed. */
  ownCode: boolean
}

/** Compares one function across two sides, by each dependency's own hash (sorted by id). */
export function diffFunction(id: string, from: DiffSide, to: DiffSide): FunctionDiff {
  const before = byId(from.deps)
  const after = byId(to.deps)
  const deps: DepChange[] = []
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const o = before.get(key)
    const n = after.get(key)
    if (o && n && o.hash === n.hash) continue
    const side = (n ?? o)!
    deps.push({
      id: key,
      change: !o ? 'added' : !n ? 'removed' : 'changed',
      at: `${side.file}:${side.line}`,
      oldHash: o?.hash ?? null,
      newHash: n?.hash ?? null,
      path: null,
    })
  }
  const changed = from.fingerprint !== to.fingerprint
  return {
    id,
    from: { label: from.label, fingerprint: from.fingerprint },
    to: { label: to.label, fingerprint: to.fingerprint },
    changed,
    deps,
    ownCode: changed && deps.length === 0,
  }
}

function byId(deps: ManifestDep[]): Map<string, ManifestDep> {
  return new Map(deps.map(d => [`${d.file}#${d.binding}`, d]))
}

/** Fills `path` of each added or changed dependency from the explain tree of the new sources (shortest path). */
export function attachPaths(diff: FunctionDiff, tree: ExplainNode): FunctionDiff {
  const edges = treeEdges(tree)
  const parents = new Map<string, string | null>([[tree.id, null]])
  const queue = [tree.id]
  for (let i = 0; i < queue.length; i++) {
    for (const child of edges.get(queue[i]!) ?? []) {
      if (parents.has(child)) continue
      parents.set(child, queue[i]!)
      queue.push(child)
    }
  }
  const pathTo = (id: string): string[] | null => {
    if (!parents.has(id)) return null
    const path: string[] = []
    for (let at: string | null = id; at !== null; at = parents.get(at) ?? null) path.unshift(at)
    return path
  }
  return { ...diff, deps: diff.deps.map(d => (d.change === 'removed' ? d : { ...d, path: pathTo(d.id) })) }
}

/** id → child ids, from each node's expanded occurrence (repeated nodes carry no children). */
function treeEdges(root: ExplainNode): Map<string, string[]> {
  const edges = new Map<string, string[]>()
  const stack = [root]
  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.repeated || edges.has(node.id)) continue
    edges.set(
      node.id,
      node.children.map(c => c.id),
    )
    stack.push(...node.children)
  }
  return edges
}

/** Readable lines: old → new, then each changed binding with file:line and its path. */
export function formatDiff(d: FunctionDiff, line?: string): string {
  const short = (h: string | null) => (h ? h.slice(0, 12) : '—')
  const out = [
    `${d.id}: ${d.changed ? 'fingerprint changed' : 'unchanged'}`,
    `  old ${short(d.from.fingerprint)}  ${d.from.label}`,
    `  new ${short(d.to.fingerprint)}  ${d.to.label}`,
  ]
  if (!d.changed) return `${out.join('\n')}\n`
  if (d.ownCode) {
    out.push(
      `because its own code changed${line ? ` (${line})` : ''}, or a package version or global it uses (the dependencies' own hashes are the same)`,
    )
  } else {
    out.push('because these bindings changed:')
    for (const dep of d.deps) {
      const what =
        dep.change === 'changed'
          ? `own hash ${short(dep.oldHash)} → ${short(dep.newHash)}`
          : dep.change === 'added'
            ? 'newly reached'
            : 'no longer reached'
      out.push(`  ${dep.id}  ${dep.at}  ${what}`)
      if (dep.path && dep.path.length > 1) out.push(`    path: ${dep.path.join(' → ')}`)
    }
  }
  return `${out.join('\n')}\n`
}
