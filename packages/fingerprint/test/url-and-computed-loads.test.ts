import { describe, expect, it } from 'vitest'
import { fingerprintOf, project, withEngine } from './helpers.ts'

/** The fingerprint of `main.ts#<name>` (or the reason it has none) in a fresh project made of `files`. */
const answer = (files: Record<string, string>, name = 'f', file = 'main.ts'): Promise<{ hash: string; why?: string }> =>
  withEngine(project(files), async e => {
    const fp = await e.fingerprint(file, name)
    return { hash: fp.hash, why: fp.uncacheable }
  })

// A computed `import()` / `require()` loads files chosen at run time. Vite/Rollup (dynamic-import-vars),
// webpack (context modules) and esbuild (glob imports) bundle every file the specifier may match;
// the engine hashed the call as text: editing `locales/en.json` kept the fingerprint, and the build
// served the old value. A relative folder, values and an extension (`./locales/${lang}.json`) are
// now followed to every file they match, the folders' listings recorded; any other computed
// specifier makes what reaches it uncacheable, with the place.
describe('import() and require() with a computed specifier', () => {
  const locales = {
    'locales/en.json': '{"hi":"hello"}',
    'locales/fr.json': '{"hi":"salut"}',
    'locales/en.js': 'export default { hi: "hello" }',
    'other.ts': 'export const x = 1',
  }
  const loads = {
    'a template literal': 'await import(`./locales/${lang}.json`)',
    'a concatenation': "await import('./locales/' + lang + '.json')",
    'a require': 'require(`./locales/${lang}.json`)',
  }

  for (const [what, load] of Object.entries(loads)) {
    const files = { ...locales, 'main.ts': `export async function f(lang: string) { return ${load} }\nexport const g = () => 1` }

    it(`${what}: each matched file counts; an added or removed match too; other files do not`, async () => {
      const before = await fingerprintOf(files)
      expect((await answer(files)).why).toBeUndefined()
      expect(await fingerprintOf({ ...files, 'locales/en.json': '{"hi":"howdy"}' })).not.toBe(before)
      expect(await fingerprintOf({ ...files, 'locales/de.json': '{"hi":"hallo"}' })).not.toBe(before)
      expect(await fingerprintOf({ ...files, 'locales/old/de.json': '{"hi":"hallo"}' })).not.toBe(before)
      expect(await fingerprintOf({ ...files, 'locales/en.js': 'export default { hi: "howdy" }' })).toBe(before)
      expect(await fingerprintOf({ ...files, 'locales/notes.md': 'x', 'other.ts': 'export const x = 2' })).toBe(before)
      expect(await fingerprintOf({ ...files, 'locales/en.json': '{"hi":"howdy"}' }, 'main.ts#g')).toBe(
        await fingerprintOf(files, 'main.ts#g'),
      )
    })
  }

  it('code matched: followed; it runs when loaded, so a top-level load counts for every function of its module', async () => {
    const files = { ...locales, 'main.ts': 'export const f = async (lang: string) => (await import(`./locales/${lang}.js`)).default.hi' }
    expect(await fingerprintOf({ ...files, 'locales/en.js': 'export default { hi: "howdy" }' })).not.toBe(await fingerprintOf(files))
    // `./x.js` in a specifier may load `x.ts` (TypeScript's rule, tsx's loader).
    const ts = {
      'plugins/a.ts': 'export default 1',
      'main.ts': 'export const f = async (p: string) => (await import(`./plugins/${p}.js`)).default',
    }
    expect(await fingerprintOf({ ...ts, 'plugins/a.ts': 'export default 2' })).not.toBe(await fingerprintOf(ts))
    const top = {
      ...locales,
      'main.ts': `const lang = process.env.LANG ?? 'en'\nawait import(\`./locales/\${lang}.js\`)\nexport const g = () => 1`,
    }
    expect(await fingerprintOf({ ...top, 'locales/en.js': 'export default { hi: "howdy" }' }, 'main.ts#g')).not.toBe(
      await fingerprintOf(top, 'main.ts#g'),
    )
  })

  it.each([
    ['a bare variable', 'await import(lang)', 'import\\(\\)', '1:54'],
    ['no relative folder first', 'await import(`${lang}/locale.json`)', 'import\\(\\)', '1:54'],
    ['no extension last', "await import('./locales/' + lang)", 'import\\(\\)', '1:54'],
    ['a number first', "require(1 + lang + '.json')", 'require\\(\\)', '1:48'],
  ])('%s: uncacheable, the reason names the place and the fix; the warning stays', async (_, load, what, at) => {
    const files = { ...locales, 'main.ts': `export async function f(lang: string) { return ${load} }\nexport const g = () => 1` }
    await withEngine(project(files), async e => {
      const fp = await e.fingerprint('main.ts', 'f')
      expect(fp.uncacheable).toMatch(
        new RegExp(`^it reaches ${what} with a computed specifier at main\\.ts:${at}: .*import each file with a string literal`),
      )
      expect(e.warnings.map(w => w.code)).toContain('untracked-dynamic-import')
      // Another function of the module, which does not reach the load, keeps its fingerprint.
      expect((await e.fingerprint('main.ts', 'g')).uncacheable).toBeUndefined()
    })
  })

  it('reached through another module, in CommonJS too', async () => {
    const files = {
      'main.ts': `import { load } from './load.cjs'\nexport const f = (l: string) => load(l)`,
      'load.cjs': `exports.load = lang => require(lang + '.cjs')`,
    }
    expect((await answer(files)).why).toMatch(/^it reaches require\(\) with a computed specifier at load\.cjs:1:24/)
  })

  it('a module that merely contains one, out of the function reach, changes nothing for other functions', async () => {
    const main = (h: string) => ({
      ...locales,
      'main.ts': `export const g = (n: number) => n + 1\nexport const h = (lang: string) => ${h}`,
    })
    const plain = await answer(main(`import('./locales/en.js')`), 'g')
    expect(await answer(main('import(`./locales/${lang}.js`)'), 'g')).toEqual(plain)
    expect(await answer(main('import(lang)'), 'g')).toEqual(plain)
    expect(plain.why).toBeUndefined()
  })

  it('one at the top level that cannot be followed runs what it loads with the module: every function of the module is uncacheable', async () => {
    const files = { ...locales, 'main.ts': `const lang = process.env.LANG ?? 'en'\nawait import(lang + '.js')\nexport const g = () => 1` }
    expect((await answer(files, 'g')).why).toMatch(/import\(\) with a computed specifier at main\.ts:2:7/)
    // Data files run no code when loaded: the module's other functions keep their fingerprints.
    const json = { ...locales, 'main.ts': `const lang = process.env.LANG ?? 'en'\nawait import(lang + '.json')\nexport const g = () => 1` }
    expect((await answer(json, 'g')).why).toBeUndefined()
  })

  it('a template literal without expressions is a static specifier: followed, and an edit of the file changes the fingerprint', async () => {
    const files = { ...locales, 'main.ts': 'export const f = async () => (await import(`./locales/en.js`)).default.hi' }
    const before = await fingerprintOf(files)
    expect(await fingerprintOf({ ...files, 'locales/en.js': 'export default { hi: "howdy" }' })).not.toBe(before)
    expect(await fingerprintOf({ ...files, 'locales/de.js': 'export default { hi: "hallo" }' })).toBe(before)
  })
})

// `new URL('./w.ts', import.meta.url)` is how Vite, webpack 5, Rolldown and esbuild reference a
// file they bundle (a worker) or emit (an asset). It was hashed as text: an edit of the worker or of
// the asset kept the fingerprint. A module referenced so is now followed with everything it loads
// (a worker runs it all); any other file counts by its bytes.
describe('new URL(path, import.meta.url)', () => {
  const worker = {
    'main.ts':
      "export const f = (n: number) => new Promise(r => { const w = new Worker(new URL('./w.ts', import.meta.url), { type: 'module' }); w.onmessage = e => r(e.data); w.postMessage(n) })\nexport const g = () => 1",
    'w.ts': "import './setup'\nimport { times } from './math'\nself.onmessage = e => postMessage(times(e.data))",
    'math.ts': 'export const times = (n: number) => n * 2',
    'setup.ts': 'globalThis.factor = 2',
    'other.ts': 'export const x = 1',
  }

  it.each([
    ['the worker module', { 'w.ts': worker['w.ts'].replace('times(e.data)', 'times(e.data) + 1') }],
    ['a module the worker imports', { 'math.ts': 'export const times = (n: number) => n * 3' }],
    ['a module the worker imports for its effects', { 'setup.ts': 'globalThis.factor = 3' }],
  ])('a worker: an edit of %s changes the fingerprint', async (_, edit) => {
    expect(await fingerprintOf({ ...worker, ...edit })).not.toBe(await fingerprintOf(worker))
  })

  it('a worker: an edit elsewhere changes nothing, nor for a function not reaching it', async () => {
    const before = await fingerprintOf(worker)
    expect(await fingerprintOf({ ...worker, 'other.ts': 'export const x = 2' })).toBe(before)
    expect(await fingerprintOf({ ...worker, 'math.ts': 'export const times = (n: number) => n * 3' }, 'main.ts#g')).toBe(
      await fingerprintOf(worker, 'main.ts#g'),
    )
  })

  const asset = (path: string, file: string, bytes: string) => ({
    'main.ts': `const url = new URL(${path}, import.meta.url)\nexport const f = async () => (await fetch(url)).text()\nexport const g = () => 1`,
    [file]: bytes,
  })

  it.each([
    ["'./d.txt'", 'd.txt', 'a', 'b'],
    ["'d.txt'", 'd.txt', 'a', 'b'],
    ['`./data/d.json`', 'data/d.json', '{"a":1}', '{ "a": 1 }'],
    ["'./logo.svg#icon'", 'logo.svg', '<svg/>', '<svg></svg>'],
  ])('an asset %s counts by its bytes (%s: %j -> %j)', async (path, file, before, after) => {
    expect(await fingerprintOf(asset(path, file, after))).not.toBe(await fingerprintOf(asset(path, file, before)))
    expect(await fingerprintOf(asset(path, file, after), 'main.ts#g')).toBe(await fingerprintOf(asset(path, file, before), 'main.ts#g'))
  })

  it('a missing file, a computed path or one from the root: uncacheable, with the place', async () => {
    expect((await answer(asset("'./nope.txt'", 'd.txt', 'a'))).why).toMatch(/'\.\/nope\.txt\?url' at main\.ts:1:13 cannot be resolved/)
    const computed = await answer(asset('`./${name}.txt`', 'd.txt', 'a'))
    expect(computed.why).toMatch(/^it reaches new URL\(…, import\.meta\.url\) with a computed path at main\.ts:1:13/)
    expect((await answer(asset("'/d.txt'", 'd.txt', 'a'))).why).toMatch(/new URL\(…, import\.meta\.url\) with a computed path/)
    expect((await answer(asset("'./nope.txt'", 'd.txt', 'a'), 'g')).why).toBeUndefined()
  })

  it('a folder or a URL with a scheme names no file: the location alone counts', async () => {
    for (const path of ["'.'", "'./'", "'https://example.com/d.txt'", "'data:text/plain,a'"])
      expect((await answer(asset(path, 'd.txt', 'a'))).why).toBeUndefined()
  })
})
