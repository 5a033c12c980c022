// `node --import smart-cache/register app.ts`: the Node loader. The runtime does not parse code:
// the hooks live in `unplugin-smart-cache/node`, resolved from the project (a dev dependency,
// like the bundler plugin), so the engine is only loaded by those who run the loader.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import process from 'node:process'
import { pathToFileURL } from 'node:url'

const PLUGIN = 'unplugin-smart-cache/node'

/** `unplugin-smart-cache/node` as the project sees it, else as this package sees it. */
function resolvePlugin(): string {
  const from = [join(process.cwd(), 'package.json'), import.meta.url]
  for (const parent of from) {
    try {
      return createRequire(parent).resolve(PLUGIN)
    } catch {}
  }
  throw new Error(
    `[smart-cache] smart-cache/register needs the package unplugin-smart-cache (it fingerprints cached functions as Node loads them), and it cannot be found from ${process.cwd()}. Fix: install it in the project (\`npm i -D unplugin-smart-cache\`, \`pnpm add -D unplugin-smart-cache\`).`,
  )
}

/**
 * Where CommonJS modules rewritten by the loader find the runtime: `require()` of this ES module
 * from a module the loader rewrote fails on Node 20 and 22, so the runtime is loaded here, before
 * the program, and shared (the same module instance `import 'smart-cache'` gives).
 */
const RUNTIME_KEY = Symbol.for('smart-cache.runtime')

// Threads started by the loader itself (the engine's parsers) inherit `--import`: nothing to do there.
if (!process.env.SMART_CACHE_LOADER_THREAD) {
  const plugin = (await import(pathToFileURL(resolvePlugin()).href)) as { register: () => unknown }
  await plugin.register()
  ;(globalThis as Record<symbol, unknown>)[RUNTIME_KEY] = await import(new URL('./node.mjs', import.meta.url).href)
}
