// What a Vite build puts into a cached function besides the files it imports: `define` constants,
// `import.meta.env` (from `.env` files and the mode), the modules `import.meta.glob` expands to, a
// virtual module a plugin's `load` hook makes, and an import an auto-import plugin injects. Each
// case builds an SSR bundle, runs it (the first run stores f(5)), changes only that input, builds
// and runs again: the second run must print what the new build computes. Each was a stale value:
// the engine fingerprinted the source files alone (`__RATE__` and `import.meta.env.VITE_RATE` as
// text, a virtual id as its specifier). Now the plugin gives the engine the build's `define` and
// `import.meta.env` values (they count for the functions reading them), a relative glob is followed
// to the files Vite matches, and a glob or an import the engine cannot resolve leaves the function uncached, and the globals an auto-import plugin
// declares in its generated auto-imports.d.ts count as imports. An auto-imported helper with no
// such declarations (`dts: false`, a first build) was a global name to the engine, and stale:
// with an auto-import plugin in the build, a global name nothing defines now leaves the function
// uncached, with a warning. The control (a JSON file read the same way) shows that the same flow
// does recompute.
import { execFileSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { createLogger, type InlineConfig, type Plugin } from 'vite'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'
import { viteSsrBuild, type ViteSsrBuilt } from './helpers/vite-build.ts'

const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))

/** `src/main.ts`: `f` cached, over `body` (which defines `rate`), and a top-level call printing f(5). */
function app(prefix: string, body: string, files: Record<string, string> = {}): TempProject {
  const project = createTempProject(`build-constants-${prefix}`, {
    files: {
      'src/main.ts': `import { smartCache } from 'smart-cache'\n${body}\nexport const f = smartCache(async (n: number) => n * rate)\nconsole.log(JSON.stringify(await f(5)))\n`,
      ...files,
    },
  })
  projects.push(project)
  return project
}

/** A Vite SSR build of `src/main.ts` with the plugin and `config`, then a run of it: f's fingerprint, the bundle, what the run printed. */
async function buildAndRun(project: TempProject, config: InlineConfig = {}): Promise<ViteSsrBuilt & { printed: number }> {
  const built = await viteSsrBuild(project, { config })
  const out = execFileSync(process.execPath, ['dist/main.js'], {
    cwd: project.dir,
    env: { ...process.env, SMART_CACHE_DIR: project.path('.values') },
    encoding: 'utf8',
  })
  return { ...built, printed: JSON.parse(out.trim().split('\n').pop()!) }
}

/** The run of each build: the first computes with rate 2, the second must print the new rate's result. */
async function expectSecondRunSeesChange(before: { printed: number }, after: { printed: number; bundled: string }, marker: string) {
  expect(before.printed).toBe(10)
  expect(after.bundled).toContain(marker) // the new build holds the new input…
  expect(after.printed).toBe(15) // …and the run must compute with it (stale: 10, the first build's value)
}

/** A plugin making `virtual:rate` from `source`. */
const virtualRate = (source: string): Plugin => ({
  name: 'virtual-rate',
  resolveId: id => (id === 'virtual:rate' ? '\0virtual:rate' : null),
  load: id => (id === '\0virtual:rate' ? source : null),
})

/** An auto-import plugin (as unplugin-auto-import, by its name): `rateOf(…)` used without an import gets one from src/utils/rate.ts. */
const autoImport: Plugin = {
  name: 'unplugin-auto-import',
  enforce: 'pre',
  transform: (code, id) =>
    id.endsWith('/src/main.ts') && code.includes('rateOf(') ? `import { rateOf } from '/src/utils/rate.ts'\n${code}` : undefined,
}

describe('vite: inputs of a cached function that are not source files it imports', () => {
  it('control: an edit of a JSON file it imports changes the fingerprint and the value', async () => {
    const project = app('json', `import data from './rate.json'\nconst rate = data.rate`, { 'src/rate.json': '{ "rate": 2 }' })
    const before = await buildAndRun(project)
    project.write({ 'src/rate.json': '{ "rate": 3 }' })
    const after = await buildAndRun(project)
    expect(after.fp).not.toBe(before.fp)
    await expectSecondRunSeesChange(before, after, 'rate: 3')
  })

  it('a `define` constant it reads, changed between builds, changes the fingerprint and the value', async () => {
    const project = app('define', 'declare const __RATE__: number\nconst rate = __RATE__')
    const before = await buildAndRun(project, { define: { __RATE__: '2' } })
    const after = await buildAndRun(project, { define: { __RATE__: '3' } })
    expect(before.fp).toMatch(/^[0-9a-f]{64}$/)
    expect(after.fp).toMatch(/^[0-9a-f]{64}$/)
    expect(after.fp).not.toBe(before.fp)
    await expectSecondRunSeesChange(before, after, 'var rate = 3')
  })

  it('an `import.meta.env.VITE_*` value it reads, changed in .env, changes the fingerprint and the value', async () => {
    const project = app('env', 'const rate = Number(import.meta.env.VITE_RATE)', { '.env': 'VITE_RATE=2\n' })
    const before = await buildAndRun(project)
    project.write({ '.env': 'VITE_RATE=3\n' })
    const after = await buildAndRun(project)
    expect(before.fp).toMatch(/^[0-9a-f]{64}$/)
    expect(after.fp).not.toBe(before.fp)
    await expectSecondRunSeesChange(before, after, 'var rate = 3')
  })

  it('a module `import.meta.glob` loads, edited, changes the fingerprint and the value (the glob is followed to its files)', async () => {
    const glob = `const rates = import.meta.glob<number>('./rates/*.ts', { eager: true, import: 'rate' })\nconst rate = Object.values(rates)[0]!`
    const project = app('glob', glob, { 'src/rates/base.ts': 'export const rate = 2\n' })
    const before = await buildAndRun(project)
    project.write({ 'src/rates/base.ts': 'export const rate = 3\n' })
    const after = await buildAndRun(project)
    expect(before.fp).toMatch(/^[0-9a-f]{64}$/)
    expect(after.fp).not.toBe(before.fp)
    await expectSecondRunSeesChange(before, after, '"./rates/base.ts": 3')
  })

  it('a file added where `import.meta.glob` matches changes the fingerprint and the value; one Vite leaves out (node_modules) does not', async () => {
    const glob = `const posts = import.meta.glob('./posts/**/*.md', { query: '?raw', import: 'default', eager: true })\nconst rate = Object.keys(posts).length + 1`
    const project = app('glob-added', glob, { 'src/posts/a.md': '# a\n' })
    const before = await buildAndRun(project)
    project.write({ 'src/posts/node_modules/x/readme.md': '# x\n' })
    const ignored = await buildAndRun(project)
    expect(ignored.fp).toBe(before.fp)
    project.write({ 'src/posts/2026/b.md': '# b\n' })
    const after = await buildAndRun(project)
    expect(after.fp).not.toBe(before.fp)
    await expectSecondRunSeesChange(before, after, '"./posts/2026/b.md"')
  })

  it('a glob from the root, which the engine does not list, changes the value (the function runs uncached, with a warning)', async () => {
    const glob = `const rates = import.meta.glob<number>('/src/rates/*.ts', { eager: true, import: 'rate' })\nconst rate = Object.values(rates)[0]!`
    const project = app('glob-root', glob, { 'src/rates/base.ts': 'export const rate = 2\n' })
    const before = await buildAndRun(project)
    project.write({ 'src/rates/base.ts': 'export const rate = 3\n' })
    const after = await buildAndRun(project)
    // No fingerprint: the meta says null and it runs uncached (stale before: one fingerprint for both builds).
    expect([before.fp, after.fp]).toEqual([null, null])
    expect(after.bundled).toMatch(/id: "src\/main\.ts#f",\s+fingerprint: null/)
    await expectSecondRunSeesChange(before, after, '"/src/rates/base.ts": 3')
  })

  it("a virtual module made by a plugin's load hook, changed, changes the value (the function runs uncached, with a warning)", async () => {
    const project = app('virtual', `import { rate } from 'virtual:rate'`)
    const before = await buildAndRun(project, { plugins: [virtualRate('export const rate = 2')] })
    const after = await buildAndRun(project, { plugins: [virtualRate('export const rate = 3')] })
    // The engine cannot resolve 'virtual:rate': no fingerprint (it was hashed as its specifier).
    expect([before.fp, after.fp]).toEqual([null, null])
    await expectSecondRunSeesChange(before, after, 'n * 3')
  })

  it('a helper an auto-import plugin injects, with the declarations it generates (auto-imports.d.ts), edited, changes the fingerprint and the value', async () => {
    const project = app('auto-import-dts', 'const rate = rateOf()', {
      'src/utils/rate.ts': 'export const rateOf = () => 2\n',
      // What unplugin-auto-import writes (its `dts` option, on by default with TypeScript).
      'auto-imports.d.ts': `export {}\ndeclare global {\n  const rateOf: typeof import('./src/utils/rate')['rateOf']\n}\n`,
    })
    const before = await buildAndRun(project, { plugins: [autoImport] })
    project.write({ 'src/utils/rate.ts': 'export const rateOf = () => 3\n' })
    const after = await buildAndRun(project, { plugins: [autoImport] })
    expect(before.fp).toMatch(/^[0-9a-f]{64}$/)
    expect(after.fp).not.toBe(before.fp)
    await expectSecondRunSeesChange(before, after, '=> 3')
  })

  it('a helper an auto-import plugin injects without declarations, edited, changes the value (the function runs uncached, with one warning naming the global and the fix)', async () => {
    const project = app('auto-import', 'const rate = rateOf()', { 'src/utils/rate.ts': 'export const rateOf = () => 2\n' })
    const warnings: string[] = []
    const customLogger = {
      ...createLogger('silent'),
      warn: (m: string) => void warnings.push(m),
      warnOnce: (m: string) => void warnings.push(m),
    }
    const before = await buildAndRun(project, { plugins: [autoImport], customLogger })
    project.write({ 'src/utils/rate.ts': 'export const rateOf = () => 3\n' })
    const after = await buildAndRun(project, { plugins: [autoImport], customLogger })
    // Stale before: one fingerprint for both builds, and the second run printed 10.
    expect([before.fp, after.fp]).toEqual([null, null])
    expect(after.bundled).toMatch(/id: "src\/main\.ts#f",\s+fingerprint: null/)
    await expectSecondRunSeesChange(before, after, '=> 3')
    const named = warnings.filter(w => w.includes("the global 'rateOf' at src/main.ts:2:14"))
    expect(named).toHaveLength(2) // one per build
    expect(named[0]).toMatch(/src\/main\.ts#f runs uncached.*'unplugin-auto-import'.*enable its `dts` option/s)
  })

  it('an auto-import plugin in the build leaves functions reading only built-in globals and defines fingerprinted', async () => {
    const project = app(
      'auto-import-plain',
      'declare const __RATE__: number\nconst rate = Math.max(__RATE__, Number(globalThis.process ? 2 : 0))',
    )
    const built = await buildAndRun(project, { plugins: [autoImport], define: { __RATE__: '2' } })
    expect(built.fp).toMatch(/^[0-9a-f]{64}$/)
    expect(built.printed).toBe(10)
  })
})
