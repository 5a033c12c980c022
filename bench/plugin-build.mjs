// One production `vite build` of an app, with or without the plugin; prints {"ms": …}.
// Usage: node bench/plugin-build.mjs <app root> <plugin|baseline>
import { performance } from 'node:perf_hooks'
import { build } from 'vite'
import smartCache from 'unplugin-smart-cache/vite'

const [root, mode] = process.argv.slice(2)
const start = performance.now()
await build({
  root,
  configFile: false,
  logLevel: 'silent',
  plugins: mode === 'plugin' ? [smartCache()] : mode === 'plugin-nodiag' ? [smartCache({ diagnostics: 'off' })] : [],
  build: { outDir: `dist-${mode}`, emptyOutDir: true },
})
console.log(JSON.stringify({ ms: performance.now() - start }))
