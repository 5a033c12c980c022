// A cached function that loads `./locales/${lang}.json`: Vite (dynamic-import-vars), webpack (a
// context module) and esbuild (a glob import) bundle every locale file, but the engine hashed the
// call as text. Editing `locales/en.json` kept the fingerprint, and the rebuilt app served the old
// 'hello' from the cache. The pattern is now followed to the files it matches: the fingerprint
// changes with them, and the function stays cached. Real builds; the output runs in Node before and
// after the edit, with one cache folder.
import { afterAll, describe, expect, it } from 'vitest'
import { bundle, type Bundler } from './helpers/bundle.ts'
import { runBuilt as run } from './helpers/run-built.ts'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'

const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))

const files = {
  'src/locales/en.json': '{ "hi": "hello" }\n',
  'src/locales/fr.json': '{ "hi": "salut" }\n',
  'src/main.js': `import { smartCache } from 'smart-cache'
const greet = smartCache(async (lang) => (await import(\`./locales/\${lang}.json\`)).default.hi)
const twice = smartCache(async (n) => n * 2)
console.log(JSON.stringify({ en: await greet('en'), fr: await greet('fr'), twice: await twice(21) }))
`,
}

describe.each<Bundler>(['vite', 'webpack', 'esbuild'])('%s', bundler => {
  it('a cached function importing a template-literal path: an edited locale gives its new text', async () => {
    const project = createTempProject(`computed-loads-${bundler}`, { files })
    projects.push(project)
    const first = await bundle(bundler, project.dir)
    expect(run(project, first.file)).toEqual({ en: 'hello', fr: 'salut', twice: 42 })
    project.write({ 'src/locales/en.json': '{ "hi": "howdy" }\n' })
    const second = await bundle(bundler, project.dir)
    // Before: { en: 'hello' } (the stale entry, same fingerprint).
    expect(run(project, second.file)).toEqual({ en: 'howdy', fr: 'salut', twice: 42 })
    // Followed, not run uncached: no warning.
    expect(first.warnings.filter(w => w.includes('[smart-cache]'))).toEqual([])
  })
})

// `new URL('./greeting.txt', import.meta.url)`: webpack 5 emits the file next to the bundle and
// rewrites the URL to it (Vite too, in client builds only). The engine hashed the call as text: an
// edit of the file kept the fingerprint.
const urlFiles = {
  'src/greeting.txt': 'hello',
  'src/main.js': `import { readFileSync } from 'node:fs'
import { smartCache } from 'smart-cache'
const greet = smartCache(async (name) => readFileSync(new URL('./greeting.txt', import.meta.url), 'utf8') + ' ' + name)
console.log(JSON.stringify({ greet: await greet('you') }))
`,
}

describe.each<Bundler>(['webpack'])('%s', bundler => {
  it('a cached function reading a file named by new URL(…, import.meta.url): an edited file gives its new text', async () => {
    const project = createTempProject(`url-ref-${bundler}`, { files: urlFiles })
    projects.push(project)
    const first = await bundle(bundler, project.dir)
    expect(run(project, first.file)).toEqual({ greet: 'hello you' })
    project.write({ 'src/greeting.txt': 'howdy' })
    const second = await bundle(bundler, project.dir)
    // Before: 'hello you' (the stale entry, same fingerprint).
    expect(run(project, second.file)).toEqual({ greet: 'howdy you' })
    // The read of a file the engine counts is no impurity: no warning (it needed an allow comment).
    expect(first.warnings.filter(w => w.includes('[smart-cache]'))).toEqual([])
  })
})

// webpack's `import.meta.webpackContext` (and `require.context`) and Vite's `import.meta.glob` bundle the
// files their pattern matches. What reached one ran uncached; a static, relative one is now
// followed to those files: an edited or added file changes the fingerprint, the function stays
// cached (no warning).
const contextFiles = (load: string) => ({
  'src/icons/a.json': '{ "name": "a" }\n',
  'src/main.js': `import { smartCache } from 'smart-cache'
const icons = ${load}
const names = smartCache(async () => Promise.all(icons.keys().map(async k => (await icons.get(k)).name)))
console.log(JSON.stringify({ names: await names() }))
`,
})
const loads: Partial<Record<Bundler, string>> = {
  webpack: `import.meta.webpackContext('./icons', { recursive: false, regExp: /\\.json$/ })
icons.get = async k => icons(k)`,
  vite: `(() => { const m = import.meta.glob('./icons/*.json', { import: 'default' }); return { keys: () => Object.keys(m), get: k => m[k]() } })()`,
}

describe.each<Bundler>(['webpack', 'vite'])('%s', bundler => {
  it('a cached function reading the files of a glob or context: an edited and an added file give their new names', async () => {
    const project = createTempProject(`file-globs-${bundler}`, { files: contextFiles(loads[bundler]!) })
    projects.push(project)
    const first = await bundle(bundler, project.dir)
    expect(run(project, first.file)).toEqual({ names: ['a'] })
    project.write({ 'src/icons/a.json': '{ "name": "A" }\n' })
    expect(run(project, (await bundle(bundler, project.dir)).file)).toEqual({ names: ['A'] })
    project.write({ 'src/icons/b.json': '{ "name": "b" }\n' })
    expect(run(project, (await bundle(bundler, project.dir)).file)).toEqual({ names: ['A', 'b'] })
    expect(first.warnings.filter(w => w.includes('[smart-cache]'))).toEqual([])
  })
})
