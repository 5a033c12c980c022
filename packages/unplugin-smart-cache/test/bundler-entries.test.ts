// Each bundler's entries as the engine's `entries`: the files the program starts from, whose
// setup counts for every cached function. (The end-to-end proof, real builds and edits:
// tests/plugin-entries.test.ts.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { esbuildEntries, htmlScripts, rollupEntries, viteEntries, webpackEntries } from '../src/core/bundler-entries.js'

const root = mkdtempSync(join(tmpdir(), 'sc-entries-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const files: Record<string, string> = {
  'src/index.ts': '',
  'src/main.ts': '',
  'src/admin.js': '',
  'src/server.ts': '',
  'pages/about.html': `<script type="module" src="./about.ts"></script><script src="/src/admin.js"></script>`,
  'pages/about.ts': '',
  'index.html': [
    `<script type="module" src="/src/main.ts?v=1"></script>`,
    `<script type='module' src='https://cdn.example/x.js'></script>`,
    `<script src="/src/admin.js"></script>`,
    `<script type="module">import './src/server.ts'</script>`,
  ].join('\n'),
}
for (const [rel, text] of Object.entries(files)) {
  mkdirSync(dirname(join(root, rel)), { recursive: true })
  writeFileSync(join(root, rel), text)
}
const at = (...rels: string[]): string[] => rels.map(r => join(root, r))

describe('webpackEntries', () => {
  it('reads every form of entry: string, list, object, descriptor; a folder is its index', () => {
    expect(webpackEntries('./src/main.ts', root)).toEqual(at('src/main.ts'))
    expect(webpackEntries(['./src/main', './src/admin.js'], root)).toEqual(at('src/main.ts', 'src/admin.js'))
    expect(webpackEntries({ main: { import: ['./src'] }, admin: './src/admin.js' }, root)).toEqual(at('src/index.ts', 'src/admin.js'))
    expect(webpackEntries({ main: { import: './src/main.ts', dependOn: 'shared' } }, root)).toEqual(at('src/main.ts'))
  })
  it('an entry function is unknown; an entry that names no file is left out', () => {
    expect(webpackEntries(() => './src/main.ts', root)).toBeUndefined()
    expect(webpackEntries(['./src/main.ts', 'virtual:entry'], root)).toEqual(at('src/main.ts'))
  })
  it('tries the extensions the build resolves, in its order', () => {
    writeFileSync(join(root, 'src/main.js'), '')
    expect(webpackEntries('./src/main', root, ['.js', '.ts'])).toEqual(at('src/main.js'))
    rmSync(join(root, 'src/main.js'))
  })
})

describe('esbuildEntries and rollupEntries', () => {
  it('esbuild: a list of paths or of { in, out }, or an object', () => {
    expect(esbuildEntries(['src/main.ts'], root)).toEqual(at('src/main.ts'))
    expect(esbuildEntries([{ in: 'src/main.ts', out: 'app' }], root)).toEqual(at('src/main.ts'))
    expect(esbuildEntries({ app: join(root, 'src/server.ts') }, root)).toEqual(at('src/server.ts'))
    expect(esbuildEntries(undefined, root)).toBeUndefined()
  })
  it('rollup: a string, a list or an object; an HTML page counts by its module scripts', () => {
    expect(rollupEntries('src/main.ts', root)).toEqual(at('src/main.ts'))
    expect(rollupEntries({ a: 'src/main.ts', b: 'pages/about.html' }, root)).toEqual(at('src/main.ts', 'pages/about.ts'))
    expect(rollupEntries(undefined, root)).toBeUndefined()
  })
})

describe('viteEntries', () => {
  it("a client without input starts from index.html's module scripts (build and dev)", () => {
    expect(viteEntries({ root, command: 'build' }, 'client')).toEqual(at('src/main.ts'))
    expect(viteEntries({ root, command: 'serve' }, 'client')).toEqual(at('src/main.ts'))
  })
  it('the input of the environment, or the SSR entry of build.ssr', () => {
    const input = { rollupOptions: { input: { about: join(root, 'pages/about.html') } } }
    expect(viteEntries({ root, command: 'build', environments: { client: { build: input } } }, 'client')).toEqual(at('pages/about.ts'))
    expect(viteEntries({ root, command: 'build', build: { ssr: 'src/server.ts' } }, 'ssr')).toEqual(at('src/server.ts'))
    expect(viteEntries({ root, command: 'build', environments: { ssr: { build: { ssr: 'src/server.ts' } } } }, 'ssr')).toEqual(
      at('src/server.ts'),
    )
  })
  it("a dev server's SSR modules are loaded by the app's server: unknown", () => {
    expect(viteEntries({ root, command: 'serve', build: { ssr: 'src/server.ts' } }, 'ssr')).toBeUndefined()
  })
})

describe('htmlScripts', () => {
  it('module scripts with a src in the project only: not classic scripts, inline ones or other origins', () => {
    expect(htmlScripts(join(root, 'index.html'), root)).toEqual(at('src/main.ts'))
    expect(htmlScripts(join(root, 'missing.html'), root)).toEqual([])
  })
})
