// One production `vite build` of an app, with or without the plugin; prints {"ms": …}.
// The plugin is imported inside the timed part, as a vite.config.ts would load it.
// Usage: node bench/plugin-build.mjs <app root> <plugin|plugin-nodiag|null-unplugin|baseline>
// Prints {"ms": …, "rssKb": …}.
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'vite'

const [root, mode] = process.argv.slice(2)
const start = performance.now()
const plugins = []
if (mode === 'null-unplugin') {
  // The floor any unplugin-based plugin pays: unplugin loaded, a plugin that does nothing.
  const pluginDir = fileURLToPath(import.meta.resolve('unplugin-smart-cache/vite'))
  const { createUnplugin } = await import(pathToFileURL(createRequire(pluginDir).resolve('unplugin')).href)
  plugins.push(createUnplugin(() => ({ name: 'null', transform: { filter: { code: 'smart-cache' }, handler: () => null } })).vite())
} else if (mode !== 'baseline') {
  const { default: smartCache } = await import('unplugin-smart-cache/vite')
  plugins.push(smartCache(mode === 'plugin-nodiag' ? { diagnostics: 'off' } : {}))
}
await build({
  root,
  configFile: false,
  logLevel: 'silent',
  plugins,
  build: { outDir: `dist-${mode}`, emptyOutDir: true },
})
// maxRSS: the peak resident memory of this build's process, in KB.
console.log(JSON.stringify({ ms: performance.now() - start, rssKb: process.resourceUsage().maxRSS }))
