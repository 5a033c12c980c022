// Cached functions in framework components: Vue single-file components (`<script setup lang="ts">`,
// `<script>` and `<script setup>` in JavaScript, a call and a 'use smart-cache' function) and
// Svelte 5 components (`<script module>`, the legacy `<script context="module">` and the instance
// `<script>`). The engine fingerprints .js and .ts files and cannot read what a framework
// compiles a component into. Each was a stale value: the plugin's main hook (`enforce: 'pre'`) saw
// a Vue block parsed as the wrong language, or the raw component, left the calls alone, and the
// runtime cached each function on its own source text, which an edit of the helper it imports does
// not change: the second run printed the value computed with the old helper. Now a later hook of
// the plugin sees each component once compiled and marks its cached functions unfingerprinted (they
// run uncached), with one warning each naming the component's file:line:col and the fix.
import { readdirSync, readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { runBuilt } from './helpers/run-built.ts'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'

const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))

const FILES: Record<string, string> = {
  'src/scale.ts': 'export function scale(n: number): number {\n  return n * 3\n}\n',
  'src/App.vue': `<script setup lang="ts">
import { smartCache } from 'smart-cache'
import { scale } from './scale'
const local: number = 2
const total = smartCache(async (n: number) => scale(n) * local)
const shown = await total(2)
</script>
<template><div>{{ shown }}</div></template>
`,
  'src/Js.vue': `<script>
import { smartCache } from 'smart-cache'
import { scale } from './scale'
export const viaScript = smartCache(async n => scale(n))
export async function viaDirective(n) {
  'use smart-cache'
  return scale(n) + 2
}
</script>
<script setup>
import { smartCache as sc } from 'smart-cache'
const twice = sc(async n => scale(n) * 2)
const shown = await twice(2)
</script>
<template><p>{{ shown }}</p></template>
`,
  'src/Comp.svelte': `<script module lang="ts">
import { smartCache } from 'smart-cache'
import { scale } from './scale'
export const moduleFn = smartCache(async (n: number) => scale(n))
</script>
<script lang="ts">
const inner = smartCache((n: number) => scale(n) + 1)
</script>
<b>{inner(2)}</b>
`,
  'src/Legacy.svelte': `<script context="module">
import { smartCache } from 'smart-cache'
import { scale } from './scale'
export const legacyFn = smartCache(async n => scale(n) + 3)
</script>
<i>legacy</i>
`,
  'src/main.ts': `import { createSSRApp } from 'vue'
import { renderToString } from 'vue/server-renderer'
import { render } from 'svelte/server'
import App from './App.vue'
import Js, { viaScript, viaDirective } from './Js.vue'
import Comp, { moduleFn } from './Comp.svelte'
import { legacyFn } from './Legacy.svelte'
console.log(JSON.stringify({
  app: await renderToString(createSSRApp(App)),
  js: await renderToString(createSSRApp(Js)),
  viaScript: await viaScript(2),
  viaDirective: await viaDirective(2),
  comp: render(Comp).body,
  moduleFn: await moduleFn(2),
  legacyFn: await legacyFn(2),
}))
`,
}

/** Each cached function of the components: where it is written in its file. */
const MARKS = [
  'src/App.vue:5:15',
  'src/Js.vue:4:26',
  'src/Js.vue:6:3',
  'src/Js.vue:12:15',
  'src/Comp.svelte:4:25',
  'src/Comp.svelte:7:15',
  'src/Legacy.svelte:4:25',
]

/** A Vite SSR build of `src/main.ts` with the plugin first (as the README shows it), Vue and Svelte after; the build's warnings. */
async function build(project: TempProject): Promise<string[]> {
  const { build: viteBuild } = await import('vite')
  const { default: plugin } = await import('unplugin-smart-cache/vite')
  const { default: vue } = await import('@vitejs/plugin-vue')
  const { svelte } = await import('@sveltejs/vite-plugin-svelte')
  const warnings: string[] = []
  await viteBuild({
    root: project.dir,
    configFile: false,
    logLevel: 'silent',
    plugins: [plugin(), vue(), svelte()],
    build: { ssr: 'src/main.ts', outDir: 'dist', rollupOptions: { onwarn: w => void warnings.push(w.message) } },
  })
  return warnings
}

function run(project: TempProject): Record<string, unknown> {
  return runBuilt(project, 'dist/main.js')
}

const expected = (rate: number) => ({
  app: expect.stringContaining(`>${2 * rate * 2}<`),
  js: expect.stringContaining(`>${2 * rate * 2}<`),
  viaScript: 2 * rate,
  viaDirective: 2 * rate + 2,
  comp: expect.stringContaining(`<b>${2 * rate + 1}</b>`),
  moduleFn: 2 * rate,
  legacyFn: 2 * rate + 3,
})

describe('cached functions in Vue and Svelte components (Vite)', () => {
  it('never serve a value computed with an old imported helper, and each warns once at its place', async () => {
    const project = createTempProject('components', { files: FILES })
    projects.push(project)
    const warnings = await build(project)
    expect(run(project)).toEqual(expected(3))
    project.write({ 'src/scale.ts': 'export function scale(n: number): number {\n  return n * 5\n}\n' })
    await build(project)
    expect(run(project), 'the second run computes with the new helper').toEqual(expected(5))
    for (const place of MARKS) {
      const about = warnings.filter(w => w.includes(`[smart-cache] ${place}: `))
      expect(about, `one warning at ${place} in:\n${warnings.join('\n')}`).toHaveLength(1)
      expect(about[0]).toContain('runs uncached')
      expect(about[0]).toContain('Fix: move the function into a .ts or .js module and import it.')
    }
  })

  it('with webpack and vue-loader, which hands the plugin each block before and after compiling it', async () => {
    const project = createTempProject('components-webpack', {
      files: {
        'src/scale.js': 'export function scale(n) {\n  return n * 3\n}\n',
        'src/Js.vue': FILES['src/Js.vue']!.replace("from './scale'", "from './scale.js'"),
        'src/main.js': `import { createSSRApp } from 'vue'
import { renderToString } from 'vue/server-renderer'
import Js, { viaScript, viaDirective } from './Js.vue'
console.log(JSON.stringify({ js: await renderToString(createSSRApp(Js)), viaScript: await viaScript(2), viaDirective: await viaDirective(2) }))
`,
      },
    })
    projects.push(project)
    const build = async (): Promise<string[]> => {
      const { default: webpack } = await import('webpack')
      const { VueLoaderPlugin } = await import('vue-loader')
      const { default: plugin } = await import('unplugin-smart-cache/webpack')
      const stats = await new Promise<any>((resolve, reject) =>
        webpack(
          {
            mode: 'production',
            context: project.dir,
            target: 'node20',
            entry: './src/main.js',
            output: { path: project.path('dist'), filename: 'main.js', module: true, chunkFormat: 'module', library: { type: 'module' } },
            experiments: { outputModule: true, topLevelAwait: true },
            externalsType: 'module',
            externals: { 'smart-cache': 'smart-cache' },
            module: { rules: [{ test: /\.vue$/, loader: 'vue-loader' }] },
            optimization: { minimize: false },
            plugins: [new VueLoaderPlugin() as any, plugin()],
          },
          (err: Error | null, s: any) => (err ? reject(err) : resolve(s)),
        ),
      )
      if (stats.hasErrors()) throw new Error(stats.toString('errors-only'))
      return stats.compilation.warnings.map((w: Error) => w.message)
    }
    const want = (rate: number) => ({ js: expect.stringContaining(`>${2 * rate * 2}<`), viaScript: 2 * rate, viaDirective: 2 * rate + 2 })
    const warnings = await build()
    expect(run(project)).toEqual(want(3))
    project.write({ 'src/scale.js': 'export function scale(n) {\n  return n * 5\n}\n' })
    await build()
    expect(run(project), 'the second run computes with the new helper').toEqual(want(5))
    for (const place of ['src/Js.vue:4:26', 'src/Js.vue:6:3', 'src/Js.vue:12:15'])
      expect(
        warnings.filter(w => w.includes(`[smart-cache] ${place}: `)),
        `one warning at ${place} in:\n${warnings.join('\n')}`,
      ).toHaveLength(1)
  })

  it('in an inline <script type="module"> of index.html (a Vite client build: its id is index.html?html-proxy…)', async () => {
    const project = createTempProject('components-html', {
      files: {
        'src/scale.js': 'export function scale(n) {\n  return n * 3\n}\n',
        'index.html': `<!doctype html>
<div id="out"></div>
<script type="module">
import { smartCache } from 'smart-cache'
import { scale } from './src/scale.js'
const f = smartCache(async n => scale(n))
document.getElementById('out').textContent = String(await f(2))
</script>
`,
      },
    })
    projects.push(project)
    const { build: viteBuild } = await import('vite')
    const { default: plugin } = await import('unplugin-smart-cache/vite')
    const warnings: string[] = []
    await viteBuild({
      root: project.dir,
      configFile: false,
      logLevel: 'silent',
      plugins: [plugin()],
      build: { outDir: 'dist', minify: false, rollupOptions: { onwarn: w => void warnings.push(w.message) } },
    })
    const js = readdirSync(project.path('dist/assets')).filter(f => f.endsWith('.js'))
    const bundled = js
      .map(f => readFileSync(project.path('dist/assets', f), 'utf8'))
      .join('\n')
      .replace(/\s+/g, ' ')
    expect(bundled).toContain('id: "index.html#f", fingerprint: null')
    expect(warnings.filter(w => w.includes('[smart-cache] index.html:6:11: index.html#f is in a .html module'))).toHaveLength(1)
  })

  it('in the dev server too, where Vue inlines a TypeScript <script setup> into the component module', async () => {
    const project = createTempProject('components-dev', { files: FILES })
    projects.push(project)
    const { createServer } = await import('vite')
    const { default: plugin } = await import('unplugin-smart-cache/vite')
    const { default: vue } = await import('@vitejs/plugin-vue')
    const { svelte } = await import('@sveltejs/vite-plugin-svelte')
    const server = await createServer({
      root: project.dir,
      configFile: false,
      logLevel: 'silent',
      plugins: [plugin({ cacheDir: false }), vue(), svelte()],
      server: { middlewareMode: true, hmr: false, ws: false },
    })
    try {
      for (const [url, marks] of [
        ['/src/App.vue', 1],
        ['/src/Js.vue', 3],
        ['/src/Comp.svelte', 2],
      ] as const) {
        for (const ssr of [false, true]) {
          const code = (await server.transformRequest(url, { ssr }))?.code ?? ''
          expect(code.match(/id: "src\/\w+\.\w+#[^"]+", fingerprint: null/g), `${url} (ssr: ${ssr})`).toHaveLength(marks)
        }
      }
    } finally {
      await server.close()
    }
  })
})
