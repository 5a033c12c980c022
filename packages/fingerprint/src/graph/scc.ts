import { blake3 } from '../hash.ts'

/** The part of a graph node that full hashing needs. */
export interface HashNode {
  own: string
  targets: string[]
  /** Why nothing that reaches this node has a fingerprint. */
  stop?: string
}

/** Looks nodes up by key. */
export interface NodeSource {
  get: (key: string) => HashNode
}

/**
 * Full hashes of every node reachable from `root`, written into `full`. Nodes already in `full`
 * are treated as done. Strongly connected components (see `settleComponents`) are hashed as a
 * whole. `stops`, when given, receives for each node hashed that reaches a node with a `stop`
 * that reason.
 */
export function hashReachable(root: string, nodes: NodeSource, full: Map<string, string>, stops?: Map<string, string>): void {
  settleComponents(
    root,
    k => nodes.get(k)!.targets,
    k => full.has(k),
    members => {
      hashComponent(members, nodes, full)
      if (stops) markStops(members, nodes, stops)
    },
  )
}

/** Records, for every member of a component, the first stop it reaches (targets outside are done). */
function markStops(members: string[], nodes: NodeSource, stops: Map<string, string>): void {
  let stop: string | undefined
  for (const k of members) {
    const n = nodes.get(k)!
    stop = n.stop
    // Most graphs have no stop at all: then no target is looked up.
    for (let i = 0; stop === undefined && stops.size > 0 && i < n.targets.length; i++) stop = stops.get(n.targets[i]!)
    if (stop !== undefined) break
  }
  if (stop !== undefined) for (const k of members) stops.set(k, stop)
}

/**
 * Hashes one component. A lone node without a self-edge is `H(own, full hashes of targets)`.
 * A cycle is refined like automaton minimization (Moore): colors start from each member's own
 * hash and outside targets, then absorb the colors of inside targets until the partition stops
 * splitting. Members with equal colors compute the same thing; the component hash describes the
 * quotient graph, so it depends on content only, never on names, files or visiting order.
 */
function hashComponent(members: string[], nodes: NodeSource, full: Map<string, string>): void {
  if (members.length === 1) {
    const key = members[0]!
    const node = nodes.get(key)!
    if (!node.targets.includes(key)) {
      full.set(key, blake3(`node\n${node.own}\n${node.targets.map(t => full.get(t)!).join(',')}`))
      return
    }
  }
  const inside = new Set(members)
  const list = members.map(k => nodes.get(k)!)
  let colors = list.map(n => blake3(`c0\n${n.own}\n${n.targets.map(t => (inside.has(t) ? '#' : full.get(t)!)).join(',')}`))
  let distinct = new Set(colors).size
  for (;;) {
    const colorOf = new Map(members.map((k, i) => [k, colors[i]!]))
    const next = list.map((n, i) => blake3(`c\n${colors[i]}\n${n.targets.map(t => colorOf.get(t) ?? '-').join(',')}`))
    const count = new Set(next).size
    colors = next
    if (count === distinct) break
    distinct = count
  }
  const colorOf = new Map(members.map((k, i) => [k, colors[i]!]))
  const classes = new Map<string, string>()
  list.forEach((n, i) => {
    const c = colors[i]!
    if (!classes.has(c))
      classes.set(c, `${c} ${n.own} ${n.targets.map(t => (inside.has(t) ? `#${colorOf.get(t)}` : full.get(t)!)).join(',')}`)
  })
  const quotient = [...classes.keys()]
    .sort()
    .map(c => classes.get(c)!)
    .join('\n')
  const scc = blake3(`scc\n${quotient}`)
  members.forEach((k, i) => full.set(k, blake3(`member\n${scc}\n${colors[i]}`)))
}

/**
 * Visits the strongly connected components reachable from `root`, each after every component it
 * points at (an iterative Tarjan: a 5,000-module chain is fine). Keys for which `done` is true are
 * neither entered nor settled (their answer is known); `settle` receives each other component's
 * members once. Summaries over what a node reaches (effects, tokens) are built this way.
 */
export function settleComponents(
  root: string,
  targetsOf: (key: string) => readonly string[],
  done: (key: string) => boolean,
  settle: (members: string[]) => void,
): void {
  if (done(root)) return
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const work: Array<[string, number]> = [[root, 0]]
  let counter = 0
  while (work.length > 0) {
    const frame = work[work.length - 1]!
    const k = frame[0]
    if (frame[1] === 0 && !index.has(k)) {
      index.set(k, counter)
      low.set(k, counter++)
      stack.push(k)
      onStack.add(k)
    }
    const targets = targetsOf(k)
    if (frame[1] < targets.length) {
      const t = targets[frame[1]++]!
      if (done(t)) continue
      if (!index.has(t)) work.push([t, 0])
      else if (onStack.has(t)) low.set(k, Math.min(low.get(k)!, index.get(t)!))
      continue
    }
    work.pop()
    if (work.length > 0) {
      const parent = work[work.length - 1]![0]
      low.set(parent, Math.min(low.get(parent)!, low.get(k)!))
    }
    if (low.get(k) !== index.get(k)) continue
    const members: string[] = []
    let m: string
    do {
      m = stack.pop()!
      onStack.delete(m)
      members.push(m)
    } while (m !== k)
    settle(members)
  }
}
