// Issue 13: marking a function never changes what it means. Real builds with Vite, Rollup,
// webpack and esbuild; the output runs in Node, twice (the second process reads the entries the
// first wrote), and must print what the source prints with the cache off.
import { afterAll, describe, expect, it } from 'vitest'
import { bundle, type Bundler } from './helpers/bundle.ts'
import { runBuilt } from './helpers/run-built.ts'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'

const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))

/** The program's results: the output run in Node with the project's store (`values`: its folder). */
function run(project: TempProject, file: string, env: Record<string, string> = {}, values = '.values'): any {
  return runBuilt(project, file, { env, values })
}

describe.each<Bundler>(['vite', 'rollup', 'webpack', 'esbuild'])('%s, output run in Node', bundler => {
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

  it('a synchronous function stays synchronous, keeps its name and length, and its first call in a new process reads the entry', async () => {
    const expected = reference()
    expect(expected.sync).toEqual({
      square: 32,
      types: ['number', 'number', 'number', true],
      values: [27, 4, [3, 6, 0, 1], [3, 1, 2, 4], 2],
      names: ['square', 'half', 'withDefaults'],
      lengths: [1, 1, 1, 1],
    })
    const { file } = await bundle(bundler, project.dir)
    const first = run(project, file, {}, '.values-sync')
    expect(first.sync).toEqual(expected.sync)
    expect([first.squared, first.cubed]).toEqual([1, 1])
    const second = run(project, file, {}, '.values-sync')
    expect(second.sync).toEqual(expected.sync)
    expect([second.squared, second.cubed]).toEqual([0, 0])
  })
})

describe.each<Bundler>(['vite', 'webpack', 'esbuild'])('%s, browser build', bundler => {
  it('marking a synchronous function is a build error with its place and the fix', async () => {
    const project = createTempProject(`semantics-browser-${bundler}`, {
      files: {
        'src/main.js': `export function square(n) {\n  'use smart-cache'\n  return n * n\n}\nexport const twice = async (n) => {\n  'use smart-cache'\n  return 2 * n\n}\nconsole.log(square(2), await twice(2))\n`,
      },
    })
    projects.push(project)
    await expect(bundle(bundler, project.dir, 'browser')).rejects.toThrow(
      /\[smart-cache\] src\/main\.js:1:8: square is a synchronous function, but in a browser build .*IndexedDB.*Fix: make it async \(`async function square/,
    )
    // the same code builds for Node
    await expect(bundle(bundler, project.dir, 'node')).resolves.toMatchObject({ file: expect.stringContaining('main.mjs') })
  })
})
