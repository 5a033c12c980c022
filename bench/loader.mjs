#!/usr/bin/env node
// Start-up of a 1,000-module app run by plain Node, without and with `--import smart-cache/register`
// (issue 16): warm (the engine's and the rewrites' caches on disk from an earlier run) and cold
// (caches removed before each run). Rounds are interleaved (baseline, warm, cold, …); each time is
// the wall time of a whole `node` process, start to exit, and its CPU time (all threads: on a busy
// machine wall times swing, CPU times much less). A no-op `module.register` hook is the floor any
// loader pays. Prints the medians, the ranges and the ratios to the baseline. Target: warm within 1.2x.
// Usage: node bench/loader.mjs [rounds=11] [modules=1000] [marked=20]
// The app is written under bench/.tmp (or $BENCH_TMP: a folder whose node_modules holds
// smart-cache and unplugin-smart-cache, e.g. a snapshot of the builds while the tree is edited).
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const [rounds = 11, modules = 1000, marked = 20] = process.argv.slice(2).map(Number)

/**
 * A binary tree of modules: m<i> imports m<2i+1> and m<2i+2> and combines their functions. Every
 * (modules / marked)-th module also exports a cached function over its subtree.
 */
function writeApp(dir) {
  const every = Math.max(1, Math.floor(modules / marked))
  for (let i = 0; i < modules; i++) {
    const kids = [2 * i + 1, 2 * i + 2].filter(k => k < modules)
    const lines = kids.map(k => `import { f${k} } from './m${k}.js'`)
    const cached = i % every === every - 1
    if (cached) lines.unshift(`import { smartCache } from 'smart-cache'`)
    lines.push(
      `export function f${i}(x) {`,
      `  return ${kids.length ? kids.map(k => `f${k}(x + ${i % 7})`).join(' + ') : `x * ${i % 13} + 1`}`,
      `}`,
    )
    if (cached) lines.push(`export const cached${i} = smartCache((x) => f${i}(x) % 1000)`)
    writeFileSync(join(dir, 'src', `m${i}.js`), `${lines.join('\n')}\n`)
  }
  writeFileSync(join(dir, 'src/main.js'), `import { f0 } from './m0.js'\nconsole.log(typeof f0)\n`)
}

const parent = process.env.BENCH_TMP ?? join(here, '.tmp')
mkdirSync(parent, { recursive: true })
const dir = mkdtempSync(join(parent, 'loader-'))
mkdirSync(join(dir, 'src'), { recursive: true })
writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-loader-app', private: true, type: 'module' }))
writeApp(dir)
const cpuFile = join(dir, 'cpu.json')
// First of the process's imports: reports the CPU time of the whole process (every thread) at exit.
writeFileSync(
  join(dir, 'cpu.mjs'),
  `import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => { const u = process.cpuUsage(); writeFileSync(${JSON.stringify(cpuFile)}, JSON.stringify((u.user + u.system) / 1000)) })\n`,
)
writeFileSync(join(dir, 'noop-hooks.mjs'), `export async function load(url, context, nextLoad) { return nextLoad(url, context) }\n`)
writeFileSync(join(dir, 'noop.mjs'), `import { register } from 'node:module'\nregister('./noop-hooks.mjs', import.meta.url)\n`)
const env = { ...process.env, SMART_CACHE_DIR: join(dir, '.values'), NODE_OPTIONS: '', SMART_CACHE: '' }
const engineCache = join(dir, 'node_modules/.cache/smart-cache')

/** One run: `{ wall, cpu }` in ms. */
function time(args) {
  const start = process.hrtime.bigint()
  const r = spawnSync(process.execPath, ['--import', './cpu.mjs', ...args, 'src/main.js'], { cwd: dir, env, encoding: 'utf8' })
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0 || r.stdout.trim() !== 'function')
    throw new Error(`[smart-cache] bench/loader: node ${args.join(' ')} src/main.js failed (${r.status}): ${r.stderr}`)
  return { wall, cpu: JSON.parse(readFileSync(cpuFile, 'utf8')) }
}

const LOADER = ['--import', 'smart-cache/register']
const runs = { baseline: [], noop: [], warm: [], cold: [] }
try {
  time(LOADER) // fills the caches the warm runs read, and the OS's file cache
  time([])
  for (let r = 0; r < rounds; r++) {
    runs.baseline.push(time([]))
    runs.noop.push(time(['--import', './noop.mjs']))
    runs.warm.push(time(LOADER))
    rmSync(engineCache, { recursive: true, force: true })
    runs.cold.push(time(LOADER))
    time(LOADER) // warm again for the next round
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}
const range = xs => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`
const pick = (name, key) => runs[name].map(x => x[key])
console.log(`start-up of a ${modules}-module app (${marked} with a cached function), Node ${process.version}, ${rounds} interleaved rounds`)
console.log(
  `${'run'.padEnd(48)} ${'wall ms'.padStart(8)} ${'range'.padStart(11)} ${'ratio'.padStart(6)}   ${'cpu ms'.padStart(7)} ${'range'.padStart(11)} ${'ratio'.padStart(6)}`,
)
for (const [name, label] of [
  ['baseline', 'node src/main.js (baseline)'],
  ['noop', 'a no-op module.register load hook (the floor)'],
  ['warm', 'node --import smart-cache/register, warm'],
  ['cold', 'node --import smart-cache/register, cold'],
]) {
  const cells = ['wall', 'cpu'].map(key => {
    const xs = pick(name, key)
    return `${median(xs)
      .toFixed(0)
      .padStart(
        key === 'wall' ? 8 : 7,
      )} ${range(xs).padStart(11)} ${`${(median(xs) / median(pick('baseline', key))).toFixed(2)}x`.padStart(6)}`
  })
  console.log(`${label.padEnd(48)} ${cells.join('   ')}`)
}
