// An extensionless import with helper.js and helper.ts side by side (tsc emitting in place): Vite
// tries its resolve.extensions in order ('.mjs', '.js', '.mts', '.ts', …) and bundles helper.js;
// the engine tried '.ts' first and fingerprinted helper.ts: an edit of helper.js was in the bundle,
// the function kept its fingerprint and served the value computed with the old helper.js, with no
// warning. The plugin now passes the bundler's extension order (Vite resolve.extensions, esbuild
// resolveExtensions, webpack resolve.extensions) to the engine.
import { afterAll, describe, expect, it } from 'vitest'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'
import { viteSsrBuild } from './helpers/vite-build.ts'

const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))

describe('vite: an extensionless import with a .js and a .ts file of the same name', () => {
  it('an edit of the .js file the bundle holds changes the fingerprint', async () => {
    const project = createTempProject('resolve-extensions', {
      files: {
        'src/main.ts': `import { smartCache } from 'smart-cache'\nimport { scale } from './lib/helper'\nexport const f = smartCache(async (n: number) => scale(n))\n`,
        'src/lib/helper.js': 'export const scale = n => n * 2\n',
        'src/lib/helper.ts': 'export const scale = (n: number) => n * 2\n',
      },
    })
    projects.push(project)
    const before = await viteSsrBuild(project)
    project.write({ 'src/lib/helper.js': 'export const scale = n => n * 37\n' })
    const after = await viteSsrBuild(project)
    expect(after.bundled).toContain('n * 37') // the bundle holds helper.js…
    expect(before.fp).toMatch(/^[0-9a-f]{64}$/)
    expect(after.fp).toMatch(/^[0-9a-f]{64}$/)
    expect(after.fp).not.toBe(before.fp)
  })
})
