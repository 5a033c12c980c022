// Issue 13: marking a function never changes what it means. Real builds with Vite, Rollup,
// webpack and esbuild; the output runs in Node, twice (the second process reads the entries the
// first wrote), and must print what the source prints with the cache off.
import { execFileSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { bundle, type Bundler } from './helpers/bundle.ts'
import { createTempProject, type TempProject } from './helpers/tmp.ts'

const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))

function run(project: TempProject, file: string, env: Record<string, string> = {}): any {
  const out = execFileSync(process.execPath, [file], { cwd: project.dir, env: { ...process.env, SMART_CACHE_DIR: project.path('.values'), ...env }, encoding: 'utf8' })
  return JSON.parse(out.trim().split('\n').pop()!)
}

describe.each<Bundler>(['vite', 'rollup', 'webpack', 'esbuild'])('%s, output run in Node', (bundler) => {
  const project = createTempProject(`semantics-${bundler}`, { fixture: 'plugin-semantics' })
  projects.push(project)
  /** What the program means: the unbundled source with the cache off. */
  const reference = () => run(project, project.path('src/main.js'), { SMART_CACHE: 'off' })

  it('closures of one function keep their own captured values (parameters, a reassigned let, `this`), in both processes', async () => {
    const expected = reference()
    expect(expected.closures).toEqual({ scaled: [10, 15, 10], counter: [2, 12], account: [40, 60] })
    const { file, warnings } = await bundle(bundler, project.dir)
    expect(warnings.filter(w => w.includes('[smart-cache]'))).toEqual([])
    const first = run(project, file)
    expect(first.closures).toEqual(expected.closures)
    expect(first.computed).toBe(2) // scale(2)(5) the second time is read from storage
    const second = run(project, file)
    expect(second.closures).toEqual(expected.closures)
    expect(second.computed).toBe(0)
  })
})
