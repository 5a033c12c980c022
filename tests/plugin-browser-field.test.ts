// A linked workspace package with a `browser` field beside `main` (no `exports`): a Vite client
// build bundles the `browser` file. The engine resolved as Node does and fingerprinted `main`, so an
// edit of the browser file (in the bundle) kept the fingerprint and browsers kept serving the value
// computed with the old file (IndexedDB), with no warning. The plugin now gives the engine the
// client environment's main fields (`browser` first), as for aliases (plugin-aliases.test.ts).
import { readdirSync, readFileSync, symlinkSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'
import { readBuildManifest } from './helpers/manifest.ts'

const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))

/** A Vite client build of `index.html`: f's fingerprint and the JavaScript it emitted. */
async function clientBuild(project: TempProject): Promise<{ fp: string | null; bundled: string }> {
  const { build } = await import('vite')
  const { default: plugin } = await import('unplugin-smart-cache/vite')
  await build({ root: project.dir, configFile: false, logLevel: 'silent', plugins: [plugin()], build: { outDir: 'dist' } })
  const assets = project.path('dist/assets')
  return {
    fp: readBuildManifest(project.dir, 'dist').functions['src/main.ts#f'].fingerprint,
    bundled: readdirSync(assets)
      .filter(f => f.endsWith('.js'))
      .map(f => readFileSync(`${assets}/${f}`, 'utf8'))
      .join('\n'),
  }
}

describe('vite client build: a linked package with a browser field', () => {
  it('an edit of the file its browser field names changes the fingerprint', async () => {
    const pkg = createTempProject('browser-field-pkg', {
      files: {
        'package.json': JSON.stringify({
          name: 'ws-util',
          version: '1.0.0',
          type: 'module',
          main: './src/node.ts',
          browser: './src/browser.ts',
        }),
        'src/node.ts': 'export const scale = (n: number) => n * 2\n',
        'src/browser.ts': 'export const scale = (n: number) => n * 2\n',
      },
    })
    const project = createTempProject('browser-field-app', {
      files: {
        'index.html': '<script type="module" src="/src/main.ts"></script>\n',
        'src/main.ts': `import { smartCache } from 'smart-cache'\nimport { scale } from 'ws-util'\nexport const f = smartCache(async (n: number) => scale(n))\n;(globalThis as any).f = f\n`,
      },
    })
    projects.push(pkg, project)
    project.write({ 'node_modules/.keep': '' })
    symlinkSync(pkg.dir, project.path('node_modules/ws-util'), 'dir')
    const before = await clientBuild(project)
    pkg.write({ 'src/browser.ts': 'export const scale = (n: number) => n * 37\n' })
    const after = await clientBuild(project)
    expect(after.bundled).toContain('*37') // the bundle runs the edited browser file…
    expect(before.fp).toMatch(/^[0-9a-f]{64}$/)
    expect(after.fp).toMatch(/^[0-9a-f]{64}$/) // …and the engine read it: a new fingerprint
    expect(after.fp).not.toBe(before.fp)
  })
})
