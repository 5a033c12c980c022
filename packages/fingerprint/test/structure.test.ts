import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src')

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap(f => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : []
  })
}

/** The files each file imports or re-exports from (relative specifiers, type-only imports included). */
function importGraph(files: string[]): Map<string, string[]> {
  return new Map(
    files.map(f => [
      f,
      [...readFileSync(f, 'utf8').matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)].map(m => resolve(dirname(f), m[1]!)),
    ]),
  )
}

/** The import cycles of a graph, each as the files along it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (f: string): void => {
    state.set(f, 'open')
    stack.push(f)
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open') found.push(stack.slice(stack.indexOf(t)))
      else if (!state.has(t)) visit(t)
    }
    stack.pop()
    state.set(f, 'done')
  }
  for (const f of graph.keys()) if (!state.has(f)) visit(f)
  return found
}

describe('engine source layout', () => {
  it('has no import cycle between files (a cycle makes load order matter)', () => {
    const files = sources(src)
    expect(files.length).toBeGreaterThan(20)
    const found = cycles(importGraph(files)).map(c => c.map(f => relative(src, f)).join(' -> '))
    expect(found).toEqual([])
  })
})
