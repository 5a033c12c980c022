import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { UnpluginContextMeta } from 'unplugin'
import { rollup, type Plugin } from 'rollup'
import { describe, expect, it } from 'vitest'
import { rewriteForeign, unreadableWarning } from '../src/core/foreign.js'
import { isScriptFile } from '../src/core/ids.js'
import { withEngine } from '../src/core/options.js'
import { langOf } from '../src/core/parse.js'
import { unpluginFactory } from '../src/index.js'
import plugin from '../src/rollup.js'
import { fakeEngine, tmpProject } from './helpers.js'

function project(files: Record<string, string>): string {
  const root = tmpProject()
  for (const [rel, code] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true })
    writeFileSync(join(root, rel), code)
  }
  return root
}

describe('modules whose code is not their file', () => {
  it('are told apart by the file of the id, and parsed in the language of the query', () => {
    expect(isScriptFile('/p/src/a.ts?v=1')).toBe(true)
    expect(isScriptFile('/p/src/App.vue?vue&type=script&setup=true&lang.ts')).toBe(false)
    expect(isScriptFile('/p/index.html?html-proxy&index=0.js')).toBe(false)
    expect(isScriptFile('/p/src/Comp.svelte')).toBe(false)
    expect(langOf('/p/src/App.vue?vue&type=script&setup=true&lang.ts')).toBe('ts')
    expect(langOf('/p/src/App.vue?vue&type=script&lang=tsx')).toBe('tsx')
    expect(langOf('/p/src/a.mts?x=lang.js')).toBe('ts')
    expect(langOf('/p/src/Comp.svelte')).toBe('js')
  })

  it('get every cached function rewritten unfingerprinted, with a warning at its place in the file', () => {
    const root = project({
      'src/App.vue': [
        '<script setup lang="ts">',
        "import { smartCache } from 'smart-cache'",
        "import { scale } from './scale'",
        'const total = smartCache(async (n: number) => scale(n))',
        'console.log(smartCache(async (n: number) => n)(1))',
        'class Box {',
        '  @smartCache',
        '  async area(n: number) { return scale(n) }',
        '}',
        "function loose(n: number) { 'use smart-cache'; return scale(n) }",
        '</script>',
        '',
      ].join('\n'),
    })
    // What a framework makes of it: the block alone, moved down by its own preamble.
    const code = [
      "import { helper } from 'vue'",
      "import { smartCache } from 'smart-cache'",
      "import { scale } from './scale'",
      'export default { setup() {',
      'const total = smartCache(async (n: number) => scale(n))',
      'console.log(smartCache(async (n: number) => n)(1))',
      'class Box {',
      '  @smartCache',
      '  async area(n: number) { return scale(n) }',
      '}',
      "function loose(n: number) { 'use smart-cache'; return scale(n) }",
      '} }',
    ].join('\n')
    const out = rewriteForeign(code, join(root, 'src/App.vue?vue&type=script&setup=true&lang.ts'), root)!
    expect(out.code.match(/fingerprint: null/g)).toHaveLength(4)
    expect(out.code).not.toMatch(/fingerprint: "/)
    expect(out.warnings.map(w => w.slice(0, w.indexOf(' is in a .vue module')))).toEqual([
      '[smart-cache] src/App.vue:4:15: src/App.vue#default.setup.total',
      '[smart-cache] src/App.vue:5:13: src/App.vue#<anonymous 6:13>', // no binding holds it: named after its place in the code
      '[smart-cache] src/App.vue:7:3: src/App.vue#default.setup.Box.area',
      '[smart-cache] src/App.vue:10:29: src/App.vue#default.setup.loose',
    ])
    for (const w of out.warnings)
      expect(w).toContain('runs uncached (every call computes). Fix: move the function into a .ts or .js module and import it.')
    expect(rewriteForeign("import { x } from 'smart-cache'\nx()\n", join(root, 'src/App.vue'), root)).toBeNull()
  })

  it('get a way smartCache leaves them (an alias, a spread call) rewritten to pass no fingerprint, as in other modules', () => {
    const root = project({ 'src/A.svelte': '<script>\n</script>\n' })
    const code =
      "import { smartCache } from 'smart-cache'\nconst alias = smartCache\nexport const f = alias(async n => n)\nexport const g = smartCache(...[async n => n])\n"
    // The framework's map places the alias in the file (its line 2).
    const out = rewriteForeign(code, join(root, 'src/A.svelte'), root, line => (line === 2 ? { line: 2, column: 6 } : undefined))!
    expect(out.warnings).toHaveLength(2)
    expect(out.warnings[0]).toContain('src/A.svelte#g is in a .svelte module')
    expect(out.warnings[1]).toMatch(/^\[smart-cache\] src\/A\.svelte:2:7: smartCache .*runs? uncached/)
    expect(out.code).not.toContain('const alias = smartCache\n') // the alias forwards with a meta
    expect(out.code.match(/fingerprint: null/g)!.length).toBeGreaterThanOrEqual(2)
  })

  it('that do not parse get a warning when they look like they hold a cached function', () => {
    expect(unreadableWarning("<script>\nimport { smartCache } from 'smart-cache'\n</script>", '/p/src/A.vue', '/p')).toMatch(
      /^\[smart-cache\] src\/A\.vue: this module is not JavaScript or TypeScript when the plugin sees it.*Fix: move cached functions into a \.ts or \.js module and import them\.$/,
    )
    expect(unreadableWarning('.smart-cache-banner { color: red }', '/p/src/a.css', '/p')).toBeUndefined()
  })

  it.each(['rollup', 'rolldown'] as const)(
    'are rewritten by %s after the framework that compiles them, wherever it stands among the plugins',
    async bundler => {
      const root = project({
        'src/main.js': "import widget from './Widget.comp'\nexport { widget }\n",
        'src/Widget.comp':
          "<script>\nimport { smartCache } from 'smart-cache'\nexport const f = smartCache(async (n) => n + 1)\n</script>\n",
      })
      // A component compiler: the script block becomes the module (after the smart-cache plugin in the list).
      const framework: Plugin = {
        name: 'comp',
        transform: (code, id) => (id.endsWith('.comp') ? code.replace(/<\/?script>/g, '') + 'export default f\n' : null),
      }
      const warnings: string[] = []
      const options = withEngine({ root, cacheDir: false }, fakeEngine())
      const input = join(root, 'src/main.js')
      const onwarn = (w: { message: string }) => void warnings.push(w.message)
      if (bundler === 'rollup') {
        const bundle = await rollup({ input, external: ['smart-cache'], plugins: [plugin(options), framework], onwarn })
        await bundle.write({ dir: join(root, 'dist'), format: 'es' })
        await bundle.close()
      } else {
        const { rolldown } = await import('rolldown')
        const { default: rolldownPlugin } = await import('../src/rolldown.js')
        const bundle = await rolldown({
          input,
          external: ['smart-cache'],
          plugins: [rolldownPlugin(options), framework as any],
          onwarn,
          cwd: root,
        })
        await bundle.write({ dir: join(root, 'dist'), format: 'es', minify: false })
        await bundle.close()
      }
      // Rolldown prints the meta over several lines, `undefined` as `void 0`.
      const bundled = readFileSync(join(root, 'dist/main.js'), 'utf8').replace(/\s+/g, ' ').replace('void 0', 'undefined')
      expect(bundled).toContain(
        'smartCache(async (n) => n + 1, undefined, { __smartCache: 1, id: "src/Widget.comp#f", fingerprint: null, async: true })',
      )
      expect(warnings.filter(w => w.includes('[smart-cache] src/Widget.comp:3:18: src/Widget.comp#f is in a .comp module'))).toHaveLength(1)
    },
  )

  it('are left to the main hook where the plugin sees only what comes before (esbuild): one plugin there', () => {
    expect(Array.isArray(unpluginFactory(undefined, { framework: 'esbuild', versions: {} } as UnpluginContextMeta))).toBe(false)
    for (const framework of ['vite', 'rollup', 'rolldown', 'webpack', 'rspack'] as const) {
      const plugins = unpluginFactory(undefined, { framework, versions: {} } as UnpluginContextMeta) as unknown as { name: string }[]
      expect(plugins.map(p => p.name)).toEqual(['unplugin-smart-cache', 'unplugin-smart-cache:components'])
    }
  })
})
