// Setup done from the program's entry (main.js imports './setup', which changes an object that a
// cached function in another module reads): each bundler gives the engine its entries, so an edit
// of the setup changes the function's fingerprint and the next run computes the new value instead
// of returning the old one. Unrelated code of the entry keeps the fingerprint (and the stored result).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Bundler } from './helpers/bundle.ts'
import { buildEntry } from './helpers/entry-build.ts'
import { readBuildManifest } from './helpers/manifest.ts'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'

const files = (rate: number, tail = ''): Record<string, string> => ({
  'src/config.js': `export const config = { rate: 1 }\n`,
  'src/setup.js': `import { config } from './config.js'\nconfig.rate = ${rate}\n`,
  'src/price.js': `import { smartCache } from 'smart-cache'\nimport { config } from './config.js'\nexport const price = smartCache(async (n) => n * config.rate)\n`,
  'src/app.js': `export function createApp(root) { return { root, mount(el) { this.el = el; return this } } }\n`,
  'src/main.js': `import './setup.js'\nimport { price } from './price.js'\nimport { createApp } from './app.js'\nconsole.log(JSON.stringify(await price(5)))\n${tail}`,
})

/** An edit of the entry that changes nothing a cached function reads: the app is mounted, it logs. */
const MOUNT = `createApp({ name: 'shop' }).mount('#app')\nconsole.error('mounted')\n`

const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))

describe.each<Bundler>(['vite', 'webpack', 'esbuild', 'rollup'])('%s', bundler => {
  const project = createTempProject(`plugin-entries-${bundler}`, { files: files(2) })
  projects.push(project)

  /** Builds main.js, runs the bundle; the printed value and price's fingerprint. */
  async function buildAndRun(): Promise<{ value: number; fingerprint: string }> {
    const built = await buildEntry(bundler, {
      root: project.dir,
      entry: 'src/main.js',
      cacheDir: project.path('.smart-cache'),
      external: () => false,
    })
    const out = execFileSync(process.execPath, [project.path(`dist-${bundler}/main.mjs`)], {
      cwd: project.dir,
      env: { ...process.env, SMART_CACHE_DIR: project.path('.values') },
      encoding: 'utf8',
    })
    return { value: JSON.parse(out.trim().split('\n').pop()!), fingerprint: built.functions['src/price.js#price']!.fingerprint }
  }

  it('an edit of setup imported by the entry changes the result; an unrelated edit of the entry keeps the fingerprint', async () => {
    const first = await buildAndRun()
    expect(first.value).toBe(10)
    project.write({ 'src/setup.js': files(3)['src/setup.js']! })
    const second = await buildAndRun()
    expect(second.fingerprint).not.toBe(first.fingerprint)
    expect(second.value).toBe(15)
    project.write({ 'src/main.js': files(3, MOUNT)['src/main.js']! })
    const third = await buildAndRun()
    expect(third.fingerprint).toBe(second.fingerprint)
    expect(third.value).toBe(15)
  })
})

describe('vite client build', () => {
  const project = createTempProject('plugin-entries-vite-client', {
    files: {
      ...files(2),
      'index.html': `<!doctype html><html><body><script type="module" src="/src/main.js"></script></body></html>\n`,
    },
  })
  projects.push(project)

  /** A client build from index.html; price's fingerprint in the manifest. */
  async function build(): Promise<string> {
    const { build } = await import('vite')
    const { default: plugin } = await import('unplugin-smart-cache/vite')
    const outDir = project.path('dist')
    await build({
      root: project.dir,
      configFile: false,
      logLevel: 'silent',
      plugins: [plugin({ cacheDir: project.path('.smart-cache') })],
      build: { outDir, emptyOutDir: true, target: 'esnext' },
    })
    expect(readFileSync(join(outDir, 'index.html'), 'utf8')).toContain('<script')
    return readBuildManifest(project.dir, outDir).functions['src/price.js#price'].fingerprint
  }

  it("index.html's module script is the entry: its setup counts, its unrelated code does not", async () => {
    const first = await build()
    project.write({ 'src/setup.js': files(3)['src/setup.js']! })
    const second = await build()
    expect(second).not.toBe(first)
    project.write({ 'src/main.js': files(3, MOUNT)['src/main.js']! })
    expect(await build()).toBe(second)
  })
})

describe('Node loader', () => {
  const project = createTempProject('plugin-entries-node', { files: files(2) })
  projects.push(project)

  /** `node --import smart-cache/register src/main.js`: the value printed. */
  const run = (): number => {
    const out = execFileSync(process.execPath, ['--import', 'smart-cache/register', 'src/main.js'], {
      cwd: project.dir,
      env: { ...process.env, SMART_CACHE_DIR: project.path('.values'), SMART_CACHE: '', NODE_OPTIONS: '', FORCE_COLOR: '0' },
      encoding: 'utf8',
    })
    return JSON.parse(out.trim().split('\n').pop()!)
  }

  it('the main script is the entry: an edit of its setup is seen by the next run', () => {
    expect(run()).toBe(10)
    expect(run()).toBe(10)
    project.write({ 'src/setup.js': files(3)['src/setup.js']! })
    expect(run()).toBe(15)
  })
})
