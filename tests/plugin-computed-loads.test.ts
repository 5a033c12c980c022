// A cached function that loads `./locales/${lang}.json`: Vite (dynamic-import-vars) bundles every
// locale file, but the engine hashed the call as text. Editing `locales/en.json` kept the
// fingerprint, and the rebuilt app served the old 'hello' from the cache. The function now runs
// uncached, and the build warns with the place and the fix. A real Vite SSR build; the output runs
// in Node before and after the edit, with one cache folder.
import { execFileSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { bundle } from './helpers/bundle.ts'
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

function run(project: TempProject, file: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, [file], {
    cwd: project.dir,
    env: { ...process.env, SMART_CACHE_DIR: project.path('.values') },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return JSON.parse(out.trim().split('\n').pop()!)
}

describe('vite SSR build', () => {
  it('a cached function importing a template-literal path runs uncached: an edited locale gives its new text, and the build says where', async () => {
    const project = createTempProject('computed-loads-vite', { files })
    projects.push(project)
    const first = await bundle('vite', project.dir)
    expect(run(project, first.file)).toEqual({ en: 'hello', fr: 'salut', twice: 42 })
    const warning = first.warnings.find(w => w.includes('src/main.js#greet runs uncached'))
    // Only the function reaching the load: `twice` keeps its fingerprint (a JSON file runs no code).
    expect(first.warnings.filter(w => /#\w+ runs uncached/.test(w)).length, first.warnings.join('\n')).toBe(1)
    expect(warning, first.warnings.join('\n')).toMatch(
      /import\(\) with a computed specifier .*import each file with a string literal specifier/i,
    )
    project.write({ 'src/locales/en.json': '{ "hi": "howdy" }\n' })
    const second = await bundle('vite', project.dir)
    // Before: { en: 'hello' } (the stale entry, same fingerprint).
    expect(run(project, second.file)).toEqual({ en: 'howdy', fr: 'salut', twice: 42 })
  })
})
