// The rest of issue 14's figures for app (b) (5,000-module DAG, 50 cached functions): esbuild and
// webpack builds and `vite dev`'s first response for a module holding a cached function, each with
// the plugin cold (no engine cache), warm (the caches of the run before) and without it, a new
// process per run, modes alternating within each round.
// Usage: pnpm build && node bench/plugin-bundlers.mjs [rounds=5] [esbuild,webpack,vite-dev]
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { dagApp } from './plugin-apps.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const ROUNDS = Number(process.argv[2] ?? 5)
const BUNDLERS = (process.argv[3] ?? 'esbuild,webpack,vite-dev').split(',')
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const range = xs => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`

const root = dagApp(5000)
/** Writes the page cache out first: a build should not pay for the writeback of the one before it. */
const flushWrites = () => process.platform === 'win32' || execFileSync('sync')
const run = (bundler, mode) =>
  flushWrites() &&
  JSON.parse(
    execFileSync(process.execPath, [join(here, 'bundler-build.mjs'), root, bundler, mode], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop(),
  )
console.log(
  `node ${process.version}, app (b): 5,000-module DAG, 50 cached functions, ${ROUNDS} rounds (ratio: median of per-round ratios to no plugin, range)`,
)
for (const bundler of BUNDLERS) {
  run(bundler, 'baseline')
  run(bundler, 'plugin')
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3100)
  const t = { baseline: [], cold: [], warm: [] }
  for (let i = 0; i < ROUNDS; i++) {
    t.baseline.push(run(bundler, 'baseline').ms)
    rmSync(join(root, 'node_modules/.cache/smart-cache'), { recursive: true, force: true })
    t.cold.push(run(bundler, 'plugin').ms)
    t.warm.push(run(bundler, 'plugin').ms)
  }
  for (const mode of ['cold', 'warm']) {
    const r = t[mode].map((x, i) => x / t.baseline[i])
    console.log(
      `  ${bundler.padEnd(9)} ${mode}  ${median(t[mode]).toFixed(0).padStart(6)} ms vs ${median(t.baseline).toFixed(0).padStart(6)} ms without: ${median(r).toFixed(2)}x (${range(r)})`,
    )
  }
}
