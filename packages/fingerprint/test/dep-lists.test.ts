import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DepLists } from '../src/graph/dep-lists.ts'
import type { GraphNode } from '../src/graph/linker.ts'

/** A random graph of file nodes (some without a file: packages) with edges anywhere, cycles included. */
const graph = fc.integer({ min: 1, max: 40 }).chain(size =>
  fc.array(
    fc.record({
      file: fc.option(fc.constantFrom('a.ts', 'b.ts', 'c/d.ts'), { nil: null }),
      binding: fc.constantFrom('f', 'g', '*'),
      line: fc.integer({ min: 0, max: 3 }),
      targets: fc.array(fc.nat(size - 1), { maxLength: 4 }),
    }),
    { minLength: size, maxLength: size },
  ),
)

const nodesOf = (specs: Array<{ file: string | null; binding: string; line: number; targets: number[] }>): Map<string, GraphNode> =>
  new Map(
    specs.map((s, i) => [
      `k${i}`,
      {
        key: `k${i}`,
        own: `h${i % 3}`,
        targets: s.targets.map(t => `k${t}`),
        file: s.file,
        binding: s.binding,
        line: s.line,
        resolvedFrom: '',
      },
    ]),
  )

/** What `collect` must give: every file node reached from the root's targets and the extras, the root excluded, sorted. */
function naive(nodes: Map<string, GraphNode>, root: string, extras: string[]): Array<[string, string, string, number]> {
  const seen = new Set([root])
  const stack = [...nodes.get(root)!.targets, ...extras]
  const out: GraphNode[] = []
  while (stack.length > 0) {
    const k = stack.pop()!
    if (seen.has(k)) continue
    seen.add(k)
    const n = nodes.get(k)!
    if (n.file !== null) out.push(n)
    stack.push(...n.targets)
  }
  const cmp = (x: string | number, y: string | number): number => (x < y ? -1 : x > y ? 1 : 0)
  out.sort((x, y) => cmp(x.file!, y.file!) || cmp(x.binding, y.binding) || cmp(x.own, y.own) || cmp(x.line, y.line) || cmp(x.key, y.key))
  return out.map(n => [n.file!, n.binding, n.own, Math.max(1, n.line)])
}

describe('dep lists', () => {
  it('lists what each root reaches, sorted, whichever roots were collected before (long lists and short ones)', () => {
    fc.assert(
      fc.property(
        graph,
        fc.array(fc.tuple(fc.nat(), fc.array(fc.nat(), { maxLength: 2 })), { minLength: 1, maxLength: 8 }),
        (specs, calls) => {
          const nodes = nodesOf(specs)
          const lists = new DepLists(k => nodes.get(k))
          for (const [root, extras] of calls) {
            const r = `k${root % specs.length}`
            const x = extras.map(e => `k${e % specs.length}`)
            expect(lists.collect(r, x).map(d => [d.file, d.binding, d.hash, d.line])).toEqual(naive(nodes, r, x))
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
