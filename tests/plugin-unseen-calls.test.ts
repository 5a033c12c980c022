// Calls of smartCache the plugin cannot see (re-exported from a project module, aliased, passed on,
// loaded with import(), a wrapper that receives the function, a call with a spread) used to reach the
// runtime without a fingerprint: cached on the function's source text alone, an edit of the helper
// it calls served the old result. They now run uncached, with a build warning naming the place.
// Real builds; the output runs in Node twice, before and after the helper changes.
import { afterAll, describe, expect, it } from 'vitest'
import { bundle, type Bundler } from './helpers/bundle.ts'
import { runBuilt as run } from './helpers/run-built.ts'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'

const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))

const files = (factor: number): Record<string, string> => ({
  'src/helper.js': `export function scale(n) { return n * ${factor} }\n`,
  'src/cache.js': `import { smartCache } from 'smart-cache'
export { smartCache as cached } from 'smart-cache'
export const alias = smartCache
export const withDefaults = (fn) => smartCache(fn, { maxAge: 60_000 })
`,
  'src/main.js': `import * as SC from 'smart-cache'
import { smartCache } from 'smart-cache'
import { cached, alias, withDefaults } from './cache.js'
import { scale } from './helper.js'
const reExported = cached(async (n) => scale(n))
const aliased = alias(async (n) => scale(n))
const wrapped = withDefaults(async (n) => scale(n))
const loaded = (await import('smart-cache')).smartCache(async (n) => scale(n))
const args = [async (n) => scale(n)]
const spread = smartCache(...args)
const seen = SC.smartCache(async (n) => scale(n))
const out = {}
for (const [k, f] of Object.entries({ reExported, aliased, wrapped, loaded, spread, seen })) out[k] = await f(5).catch(e => e.name)
console.log(JSON.stringify(out))
`,
})

describe.each<Bundler>(['vite', 'rollup', 'webpack', 'esbuild'])('%s', bundler => {
  it('functions cached through an escape of smartCache run uncached: a changed helper gives the new value, and the build says where', async () => {
    const project = createTempProject(`unseen-${bundler}`, { files: files(2) })
    projects.push(project)
    const first = await bundle(bundler, project.dir)
    const all = (v: number) => ({ reExported: v, aliased: v, wrapped: v, loaded: v, spread: v, seen: v })
    expect(run(project, first.file)).toEqual(all(10))
    const places = ['src/cache.js:2:10', 'src/cache.js:3:22', 'src/cache.js:4:37', 'src/main.js:8:23', 'src/main.js:10:16']
    for (const place of places)
      expect(
        first.warnings.some(w => w.includes(place)),
        place,
      ).toBe(true)
    project.write({ 'src/helper.js': files(3)['src/helper.js']! })
    const second = await bundle(bundler, project.dir)
    // Before: the escaped forms printed the old 10 (one entry per source text; `seen` is fingerprinted),
    // and the wrapper threw a KeyError on every call (its `fn` was keyed as a captured variable).
    expect(run(project, second.file)).toEqual(all(15))
  })
})
