// What the engine's `entries` option costs: a cold engine (empty cache) and a warm one (the caches
// of the run before, nothing changed) over app (b) of bench/plugin.mjs (a 5,000-module DAG whose
// index.html script, src/main.js, loads every module), fingerprinting `all` its 50 cached
// functions (they reach nearly every module, as in most apps) or one `small` function reaching one
// module (the worst case: with entries, every module the entry loads is analyzed), each with
// `entries: ['src/main.js']` against without, in one process per run, modes alternating within
// each round. Prints medians, and the per-round ratios with against without (median, range).
// Usage: pnpm build && node bench/entries.mjs [rounds=5]
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const [arg, root, which, targets, mode] = process.argv.slice(2)

if (arg === 'run') {
  // One run: prints {"ms": …}.
  const { createFingerprinter } = await import('@smart-cache/fingerprint')
  const list = targets === 'small' ? [['src/small/price.js', 'price']] : JSON.parse(readFileSync(join(root, 'targets.json'), 'utf8'))
  const cacheDir = join(root, `node_modules/.cache/entries-bench-${which}-${targets}`)
  if (mode === 'cold') rmSync(cacheDir, { recursive: true, force: true })
  const start = performance.now()
  const engine = createFingerprinter({
    root,
    cacheDir,
    recheck: 'after-invalidate',
    ...(which === 'with' ? { entries: ['src/main.js'] } : {}),
  })
  await Promise.all(list.map(([file, name]) => engine.fingerprint(file, name)))
  await engine.close()
  console.log(JSON.stringify({ ms: performance.now() - start }))
} else {
  const { dagApp } = await import('./plugin-apps.mjs')
  const ROUNDS = Number(arg ?? 5)
  const app = dagApp(5000)
  mkdirSync(join(app, 'src/small'), { recursive: true })
  writeFileSync(join(app, 'src/small/rate.js'), 'export const rate = { v: 2 }\n')
  writeFileSync(join(app, 'src/small/price.js'), "import { rate } from './rate.js'\nexport const price = (n) => n * rate.v\n")
  const self = fileURLToPath(import.meta.url)
  const once = (...args) => {
    if (process.platform !== 'win32') execFileSync('sync') // a run does not pay for the writeback of the one before
    return JSON.parse(
      execFileSync(process.execPath, [self, 'run', app, ...args], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .pop(),
    ).ms
  }
  const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const range = xs => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`
  const t = {}
  const record = (key, ms) => (t[key] ??= []).push(ms)
  for (let i = 0; i < ROUNDS; i++) {
    for (const set of ['all', 'small']) {
      for (const w of i % 2 === 0 ? ['without', 'with'] : ['with', 'without']) {
        record(`${set} ${w} cold`, once(w, set, 'cold'))
        record(`${set} ${w} warm`, once(w, set, 'warm'))
      }
    }
  }
  console.log(`entries: ${ROUNDS} rounds, 5,000-module DAG, median ms; with entries against without (median of per-round ratios, range)`)
  for (const set of ['all', 'small'])
    for (const m of ['cold', 'warm']) {
      const a = t[`${set} without ${m}`]
      const b = t[`${set} with ${m}`]
      const r = b.map((x, j) => x / a[j])
      console.log(
        `  ${set.padEnd(5)} ${m}: without ${median(a).toFixed(0).padStart(6)} ms, with ${median(b).toFixed(0).padStart(6)} ms: ${median(r).toFixed(2)}x (${range(r)})`,
      )
    }
}
