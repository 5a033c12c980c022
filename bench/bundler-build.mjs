// One build of a benchmark app by esbuild or webpack, or the first response of `vite dev` for a
// module holding a cached function, with or without the plugin; prints {"ms": …, "rssKb": …}.
// The plugin is imported inside the timed part, as a config file would load it.
// Usage: node bench/bundler-build.mjs <app root> <esbuild|webpack|vite-dev> <plugin|baseline>
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'

const [root, bundler, mode] = process.argv.slice(2)
const withPlugin = mode === 'plugin'
const entry = join(root, 'src/main.js')
const outDir = join(root, `dist-${bundler}-${mode}`)
const start = performance.now()

if (bundler === 'esbuild') {
  const esbuild = await import('esbuild')
  const plugins = withPlugin ? [(await import('unplugin-smart-cache/esbuild')).default()] : []
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    outdir: outDir,
    minify: true,
    logLevel: 'silent',
    plugins,
  })
} else if (bundler === 'webpack') {
  const webpack = (await import('webpack')).default
  const plugins = withPlugin ? [(await import('unplugin-smart-cache/webpack')).default()] : []
  // Scope hoisting recurses once per module of a chain: webpack overflows its stack on the app's
  // 5,000-module import chain (with or without the plugin), so it is turned off for both.
  const optimization = { concatenateModules: false }
  await new Promise((resolve, reject) =>
    webpack({ mode: 'production', context: root, entry, output: { path: outDir }, optimization, plugins }, (err, stats) =>
      err || stats.hasErrors() ? reject(err ?? new Error(stats.toString('errors-only'))) : resolve(),
    ),
  )
} else {
  const { createServer } = await import('vite')
  const plugins = withPlugin ? [(await import('unplugin-smart-cache/vite')).default()] : []
  const server = await createServer({
    root,
    configFile: false,
    logLevel: 'silent',
    plugins,
    server: { port: 0 },
    optimizeDeps: { noDiscovery: true, include: [] },
  })
  await server.listen()
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.httpServer.address())
  const response = await fetch(`http://127.0.0.1:${port}/src/cached/c0.js`)
  if (!response.ok) throw new Error(`vite dev answered ${response.status}`)
  await response.text()
  const ms = performance.now() - start
  await server.close()
  console.log(JSON.stringify({ ms, rssKb: process.resourceUsage().maxRSS }))
  // No process.exit(): the engine saves its caches when the event loop empties, as a dev server stopped normally does.
}
console.log(JSON.stringify({ ms: performance.now() - start, rssKb: process.resourceUsage().maxRSS }))
