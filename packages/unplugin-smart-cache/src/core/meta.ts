import type { CaptureFinder, CaptureProblem } from './captures.js'
import type { Mark } from './marks.js'
import type { AstNode } from './walk.js'
import { capturesSource } from './captures.js'
import { metaSource } from './rewrite.js'

/** The function a mark caches (the expression passed to `smartCache` for a call) and its ancestors, Program first. */
export function markTarget(mark: Mark): { target: AstNode, ancestors: readonly AstNode[] } {
  if (mark.kind === 'directive')
    return { target: mark.fn, ancestors: mark.ancestors }
  if (mark.kind === 'decorator')
    return { target: mark.method.value, ancestors: mark.ancestors }
  return { target: mark.node.arguments[0] ?? mark.node, ancestors: [...mark.ancestors, mark.node] }
}

/**
 * The meta object of one cached function, as source text (Contract 2): its id and fingerprint,
 * and the variables of enclosing functions it reads, whose values the runtime keys.
 */
export function markMeta(mark: Mark, id: string, fingerprint: string, finder: CaptureFinder, at: (offset: number) => string): { source: string, problems: CaptureProblem[] } {
  const { target, ancestors } = markTarget(mark)
  const { captures, problems } = finder.find(target, ancestors)
  const extra: Record<string, string> = {}
  if (captures.length > 0)
    extra.captures = capturesSource(captures, at)
  return { source: metaSource(id, fingerprint, extra), problems }
}
