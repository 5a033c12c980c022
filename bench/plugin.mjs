// Benchmark of issue 14: production `vite build` with the plugin cold (no engine cache on disk),
// warm (the caches of the build before), against no plugin and against an unplugin plugin that does
// nothing (same hooks and filter, returns null), each build in a new Node process, modes alternating
// within each round; and the engine's cold work against the parse floor of the same files.
// `restored`: a fresh checkout at a fixed path (new files, same content) with the cache folder the
// job before it saved, as a CI cache step restores it; printed against warm and cold side by side.
// `edited` (DAG apps): the caches of the warm build, one module that every cached function reaches
// edited to return another value (another module each round, restored after the build), as a CI
// job with a restored cache or a second `vite build` after an edit; printed against warm and cold.
// The engine alone is timed the same way (`edited`), and with an edit to src/main.js, which no
// cached function reaches (`edited-unreached`, ~warm).
// Apps: (a) date-fns with 20 cached functions, (b) a random import DAG of 5,000 modules and (c) of
// 8,000, 50 cached functions reaching nearly every module (bench/plugin-apps.mjs).
// Ratios are medians of each round's ratio (the machine drifts more than the plugin costs), with the
// range; RSS is each build's peak resident memory. The engine of (a) parses no date-fns file (a
// package counts by name@version): its parse floor is printed for (b) and (c) only.
// Usage: pnpm build && node bench/plugin.mjs [rounds=7] [apps=abc]
import { execFileSync } from 'node:child_process'
import { cpSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rawTransferSupported } from 'oxc-parser'
import { dagApp, dateFnsApp, editApp } from './plugin-apps.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const ROUNDS = Number(process.argv[2] ?? 7)
const APPS = process.argv[3] ?? 'abc'

/**
 * Writes the page cache out before a timed run: otherwise a build pays for the writeback of the
 * one before it (a cold build leaves ~10 MB of caches and output dirty), and whichever mode
 * follows a heavy writer in the round comes out slower (the no-plugin build, first in a round,
 * followed the previous round's warm build and engine runs). Linux and macOS have `sync`.
 */
function flushWrites() {
  if (process.platform !== 'win32') execFileSync('sync')
}

function run(script, args) {
  flushWrites()
  try {
    const out = execFileSync(process.execPath, [join(here, script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    return JSON.parse(out.trim().split('\n').pop())
  } catch (error) {
    const why = String(error.stderr ?? error.message)
      .split('\n')
      .filter(Boolean)
      .slice(0, 8)
      .join('\n')
    throw new Error(`[smart-cache] bench: ${script} ${args.join(' ')} failed (are the packages built? pnpm build):\n${why}`, {
      cause: error,
    })
  }
}

/**
 * A fresh checkout of the app at `<root>-ci` (a CI job at a fixed path): new files, the same
 * content, node_modules as installed, and the engine's cache folder restored from `cache`.
 */
function restoredCheckout(root, cache) {
  const ci = `${root}-ci`
  rmSync(ci, { recursive: true, force: true })
  for (const f of ['src', 'index.html', 'package.json']) cpSync(join(root, f), join(ci, f), { recursive: true })
  cpSync(join(root, 'node_modules'), join(ci, 'node_modules'), {
    recursive: true,
    verbatimSymlinks: true,
    filter: f => !f.includes('.cache'),
  })
  cpSync(cache, join(ci, 'node_modules/.cache/smart-cache'), { recursive: true })
  return ci
}

/** What a CI cache step saves at the end of the job: the cache folder of `<root>-ci`, for the next job. */
function saveCache(root, ci) {
  rmSync(`${root}-ci-cache`, { recursive: true, force: true })
  cpSync(join(ci, 'node_modules/.cache/smart-cache'), `${root}-ci-cache`, { recursive: true })
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const range = xs => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`
const sleepSync = ms => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

function measure(label, root, targets, { floor: withFloor = true } = {}) {
  const engineCache = join(root, 'node_modules/.cache/smart-cache')
  const build = mode => run('plugin-build.mjs', [root, mode])
  // Warm-up: the file system, node_modules/.cache (creating it changes node_modules' stamp), and
  // past the 3 s window in which new files' stamps prove nothing (a checked-out project is older).
  build('baseline')
  build('plugin')
  sleepSync(3100)
  // The restored-cache job's first cache: the warm one of the app's folder, taken by a first job at the CI path.
  const ci = restoredCheckout(root, engineCache)
  run('plugin-build.mjs', [ci, 'plugin'])
  saveCache(root, ci)
  // `edited` right after `warm`, whose caches it takes; its edit is undone before `restored` copies the sources.
  const modes = ['baseline', 'null-unplugin', 'cold', 'warm', ...(withFloor ? ['edited'] : []), 'restored']
  const t = Object.fromEntries(modes.map(m => [m, []]))
  const rss = Object.fromEntries(modes.map(m => [m, []]))
  const engine = []
  const floor = []
  const moved = []
  const engineWarm = []
  const checkout = []
  const edited = []
  const editedUnreached = []
  for (let i = 0; i < ROUNDS; i++) {
    // The first build of a round runs up to 2x slower whatever its mode (seen with the modes in
    // either order; not the page cache, flushed before each run): an untimed build takes that place.
    build('null-unplugin')
    // Builds still run faster or slower by their place in a round: odd rounds run the modes in the
    // reverse order (warm stays right after the cold build whose caches it uses).
    const order = i % 2 === 0 ? modes : [...modes.slice(2), 'null-unplugin', 'baseline']
    for (const mode of order) {
      if (mode === 'cold') rmSync(engineCache, { recursive: true, force: true })
      const restore = mode === 'edited' ? editApp(root) : undefined
      const r =
        mode === 'restored'
          ? run('plugin-build.mjs', [restoredCheckout(root, `${root}-ci-cache`), 'plugin'])
          : build(mode === 'baseline' || mode === 'null-unplugin' ? mode : 'plugin')
      restore?.()
      if (mode === 'restored') saveCache(root, `${root}-ci`)
      t[mode].push(r.ms)
      rss[mode].push(r.rssKb)
    }
    if (withFloor) {
      engine.push(run('engine-cold.mjs', [root, 'engine']).ms)
      engineWarm.push(run('engine-cold.mjs', [root, 'warm']).ms)
      checkout.push(run('engine-cold.mjs', [root, 'checkout']).ms)
      moved.push(run('engine-cold.mjs', [root, 'moved']).ms)
      floor.push(run('engine-cold.mjs', [root, 'floor']).ms)
      // Last, the unreached edit first: undoing an edit after the run is itself an edit the next run would see.
      editedUnreached.push(run('engine-cold.mjs', [root, 'edited-unreached']).ms)
      edited.push(run('engine-cold.mjs', [root, 'edited']).ms)
    }
  }
  const ratio = (mode, base) => t[mode].map((x, i) => x / t[base][i])
  console.log(`\n${label}: ${ROUNDS} rounds, median ms (ratio: median of per-round ratios, range)`)
  for (const mode of modes) {
    const r = ratio(mode, 'baseline')
    const line = `  ${mode.padEnd(14)} ${median(t[mode]).toFixed(0).padStart(6)} ms   ${median(r).toFixed(3)}x no plugin (${range(r)})`
    const rssLine = `   peak RSS ${(median(rss[mode]) / 1024).toFixed(0).padStart(5)} MB (${median(rss[mode].map((x, i) => x / rss.baseline[i])).toFixed(2)}x)`
    console.log(line + rssLine)
  }
  const warmToNull = ratio('warm', 'null-unplugin')
  const engineRatio = engine.map((x, i) => x / floor[i])
  console.log(`  warm vs do-nothing plugin ${median(warmToNull).toFixed(3)}x (${range(warmToNull)})`)
  if (withFloor) {
    const toWarm = ratio('edited', 'warm')
    const toCold = ratio('edited', 'cold')
    console.log(
      `  one module edited: ${median(toWarm).toFixed(3)}x warm (${range(toWarm)}), ${median(toCold).toFixed(3)}x cold (${range(toCold)})`,
    )
  }
  const restoredToWarm = ratio('restored', 'warm')
  const restoredToCold = ratio('restored', 'cold')
  console.log(
    `  restored cache in a fresh checkout: ${median(restoredToWarm).toFixed(3)}x warm (${range(restoredToWarm)}), ${median(restoredToCold).toFixed(3)}x cold (${range(restoredToCold)})`,
  )
  if (withFloor) {
    const movedRatio = moved.map((x, i) => x / floor[i])
    console.log(
      `  engine cold ${median(engine).toFixed(0)} ms vs parse floor ${median(floor).toFixed(0)} ms: ${median(engineRatio).toFixed(2)}x (${range(engineRatio)})`,
    )
    console.log(
      `  engine cold in a new folder, the first folder's cache restored: ${median(moved).toFixed(0)} ms, ${median(movedRatio).toFixed(2)}x the floor (${range(movedRatio)})`,
    )
    const side = (xs, label) => {
      const toWarm = xs.map((x, i) => x / engineWarm[i])
      const toCold = xs.map((x, i) => x / engine[i])
      return `${label} ${median(xs).toFixed(0)} ms: ${median(toWarm).toFixed(2)}x warm (${range(toWarm)}), ${median(toCold).toFixed(2)}x cold (${range(toCold)})`
    }
    console.log(
      `  engine warm ${median(engineWarm).toFixed(0)} ms; restored cache, ${side(checkout, 'fresh checkout at the same path')}; ${side(moved, 'in a new folder')}`,
    )
    console.log(
      `  engine after an edit: ${side(edited, 'a module every cached function reaches')}; ${side(editedUnreached, 'src/main.js, reached by none')}`,
    )
  }
  console.log(`  targets: ${targets}`)
}

const raw = rawTransferSupported() && process.env.SMART_CACHE_OXC_RAW_TRANSFER === '1'
console.log(
  `node ${process.version}, the engine's oxc-parser transfer: ${raw ? 'raw' : 'JSON'} (SMART_CACHE_OXC_RAW_TRANSFER=1 for raw, Node 22+)`,
)
if (APPS.includes('a'))
  measure('(a) date-fns, 20 cached functions', dateFnsApp(), 'cold <= 1.2x, warm within 3% of the do-nothing plugin, RSS <= 1.3x', {
    floor: false,
  })
if (APPS.includes('b'))
  measure(
    '(b) 5,000-module DAG, 50 cached functions',
    dagApp(5000),
    'cold <= 1.5x, warm within 3% of the do-nothing plugin, engine <= 1.5x the floor, RSS <= 1.3x',
  )
if (APPS.includes('c')) measure('(c) 8,000-module DAG, 50 cached functions', dagApp(8000), 'warm <= 1.10x no plugin, RSS <= 1.3x')
