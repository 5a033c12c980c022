#!/usr/bin/env node
// Runtime against its floor and its peers (issue 18). Run on demand:
//   pnpm --filter smart-cache build && node bench/runtime-peers.mjs [store] [miss] [memory] [first] [lmdb] [--rounds=7]
// Store rows: each measurement is a new Node process that reads (or stores) N distinct entries;
// the systems take turns round by round (interleaved: the machine is shared, load drifts).
// `--sizes=small,mid,big` picks the value sizes. `--base=DIR` adds "smart-cache base": another build of the runtime (DIR holds its
// package.json, dist/ and node_modules, e.g. a copy of the package before a change), in the same rounds, with "now / base" per round;
// `--systems=floor,smart-cache,smart-cache base` picks the store systems. Printed: each system's median time as a ratio to the floor's median, and the range of the
// per-round ratios (each round's time over that round's floor).
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import memoize from 'memoizee'
import pMemoize from 'p-memoize'
import { ready, smartCache } from 'smart-cache'
import { createStorage } from 'unstorage'

const args = process.argv.slice(2)
const ROUNDS = Number(args.find(a => a.startsWith('--rounds='))?.slice(9) ?? 7)
const only = new Set(args.filter(a => !a.startsWith('--')))
const want = s => only.size === 0 || only.has(s)
const BASE = args.find(a => a.startsWith('--base='))?.slice(7)
const SIZES = new Set((args.find(a => a.startsWith('--sizes='))?.slice(8) ?? 'small,mid,big').split(','))

/** A value of about `size` bytes as JSON, distinct per `i`. */
export const VALUE_SOURCE = `
function value(size, i) {
  const row = (j) => ({ id: i * 100000 + j, name: 'row ' + j, score: j * 0.25, ok: j % 2 === 0, tags: ['a', 'b'] })
  if (size === 'small') return { id: i, name: 'entry ' + i, score: i / 3, ok: true, tags: ['x', 'y', 'z'], nested: { a: 1, b: 'two', c: [1, 2, 3] }, note: 'a short note about this value, padding it to some two hundred bytes' }
  return Array.from({ length: size === 'mid' ? 250 : 25000 }, (_, j) => row(j))
}`

const WORKLOADS = [
  { name: '1,000 distinct hits, ~200 B', size: 'small', n: 1000 },
  { name: '1,000 distinct hits, ~20 KB', size: 'mid', n: 1000 },
  { name: '100 distinct hits, ~2 MB', size: 'big', n: 100 },
]
const MISSES = [
  { name: '1,000 misses stored, ~200 B', size: 'small', n: 1000 },
  { name: '1,000 misses stored, ~20 KB', size: 'mid', n: 1000 },
  { name: '100 misses stored, ~2 MB', size: 'big', n: 100 },
]

const META = `{ __smartCache: 1, id: 'bench/peers#load', fingerprint: '7'.repeat(64) }`

/** Per system: `setup` (module top), `get(i)` (a hit or a miss of entry i), `put(i, v)` (store after a miss), `done` (wait for writes). */
const SYSTEMS = {
  floor: {
    setup: `const { promises: fsp } = await import('node:fs'); const { join } = await import('node:path')
      const file = (i) => join(DIR, 'f' + i + '.json')`,
    hit: `JSON.parse(await fsp.readFile(file(i), 'utf8'))`,
    miss: `{ try { JSON.parse(await fsp.readFile(file(i), 'utf8')) } catch { await fsp.writeFile(file(i), JSON.stringify(value(SIZE, i))) } }`,
  },
  'smart-cache': {
    setup: `const { smartCache, settled } = await import('smart-cache'); const load = smartCache(async (i) => value(SIZE, i), { timeout: 120_000 }, ${META})`,
    hit: `await load(i)`,
    miss: `await load(i)`,
    done: `await settled(); if (load.stats.errors) throw new Error('errors ' + JSON.stringify(load.stats))`,
    env: dir => ({ SMART_CACHE_DIR: dir }),
  },
  'smart-cache base': {
    setup: `const { smartCache, settled } = await import(${JSON.stringify(BASE && pathToFileURL(resolve(BASE, 'dist/node.mjs')).href)})
      const load = smartCache(async (i) => value(SIZE, i), { timeout: 120_000 }, ${META})`,
    hit: `await load(i)`,
    miss: `await load(i)`,
    done: `await settled(); if (load.stats.errors) throw new Error('errors ' + JSON.stringify(load.stats))`,
    env: dir => ({ SMART_CACHE_DIR: dir }),
  },
  'smart-cache lmdb': {
    setup: `const { smartCache, settled } = await import('smart-cache'); const { lmdbStorage } = await import('smart-cache/drivers/lmdb')
      const load = smartCache(async (i) => value(SIZE, i), { storage: lmdbStorage({ path: DIR }), timeout: 120_000 }, ${META})`,
    hit: `await load(i)`,
    miss: `await load(i)`,
    done: `await settled(); if (load.stats.errors) throw new Error('errors ' + JSON.stringify(load.stats))`,
    optional: 'lmdb',
  },
  'node-persist': {
    setup: `const storage = (await import('node-persist')).default; await storage.init({ dir: DIR })`,
    hit: `await storage.getItem('k' + i)`,
    miss: `{ if ((await storage.getItem('k' + i)) === undefined) await storage.setItem('k' + i, value(SIZE, i)) }`,
  },
  'unstorage fs': {
    setup: `const { createStorage } = await import('unstorage'); const fsDriver = (await import('unstorage/drivers/fs')).default
      const storage = createStorage({ driver: fsDriver({ base: DIR }) })`,
    hit: `await storage.getItem('k' + i)`,
    miss: `{ if ((await storage.getItem('k' + i)) === null) await storage.setItem('k' + i, value(SIZE, i)) }`,
  },
  cacache: {
    setup: `const cacache = (await import('cacache')).default`,
    hit: `JSON.parse(await cacache.get(DIR, 'k' + i).then((r) => r.data.toString('utf8')))`,
    miss: `{ try { JSON.parse((await cacache.get(DIR, 'k' + i)).data.toString('utf8')) } catch { await cacache.put(DIR, 'k' + i, JSON.stringify(value(SIZE, i))) } }`,
  },
}

/**
 * The children run in a folder of their own whose smart-cache is a copy of the built runtime (the
 * tree is shared: a rebuild of dist while the bench runs must not break or change its processes);
 * every other package is the bench's own.
 */
function snapshot() {
  const root = mkdtempSync(join(tmpdir(), 'sc-peers-run-'))
  const modules = join(root, 'node_modules')
  mkdirSync(modules)
  const own = join(import.meta.dirname, 'node_modules')
  for (const name of readdirSync(own)) {
    if (name === 'smart-cache' || name.startsWith('.')) continue
    symlinkSync(realpathSync(join(own, name)), join(modules, name))
  }
  const pkg = realpathSync(join(own, 'smart-cache'))
  const target = join(modules, 'smart-cache')
  mkdirSync(target)
  cpSync(join(pkg, 'package.json'), join(target, 'package.json'))
  cpSync(join(pkg, 'dist'), join(target, 'dist'), { recursive: true })
  symlinkSync(join(pkg, 'node_modules'), join(target, 'node_modules'))
  return root
}
const RUN_DIR = snapshot()
process.on('exit', () => rmSync(RUN_DIR, { recursive: true, force: true }))

/** Runs one new process: seeds nothing, times the loop of `op` (hit or miss) over `n` entries, prints ms. */
function child(system, op, size, n, dir) {
  const s = SYSTEMS[system]
  const code = `${VALUE_SOURCE}
    const DIR = ${JSON.stringify(dir)}; const SIZE = ${JSON.stringify(size)}
    ${s.setup}
    const t = performance.now()
    for (let i = 0; i < ${n}; i++) ${s[op]}
    ${s.done ?? ''}
    console.log(performance.now() - t)`
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: RUN_DIR,
    env: { ...process.env, ...s.env?.(dir) },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  })
  return Number(out.trim().split('\n').pop())
}

function available(system) {
  const dep = SYSTEMS[system].optional
  if (!dep) return true
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', `await import('smart-cache/drivers/${dep}')`], {
      cwd: RUN_DIR,
      stdio: 'ignore',
    })
    return true
  } catch {
    return false
  }
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** Interleaved rounds; per system the median ms and the per-round ratios to the floor. */
function storeRows(workloads, op, systems) {
  const rows = []
  for (const w of workloads.filter(w => SIZES.has(w.size))) {
    const times = Object.fromEntries(systems.map(s => [s, []]))
    const dirs = {}
    try {
      if (op === 'hit') {
        for (const s of systems) {
          dirs[s] = mkdtempSync(join(tmpdir(), 'sc-peers-'))
          child(s, 'miss', w.size, w.n, dirs[s])
        }
      }
      for (let r = 0; r < ROUNDS; r++) {
        for (const s of systems) {
          const dir = op === 'hit' ? dirs[s] : mkdtempSync(join(tmpdir(), 'sc-peers-'))
          try {
            times[s].push(child(s, op, w.size, w.n, dir))
          } finally {
            if (op !== 'hit') rmSync(dir, { recursive: true, force: true })
          }
        }
      }
    } finally {
      for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true })
    }
    rows.push(ratioRow(w.name, times, 'floor'))
  }
  return rows
}

function ratioRow(name, times, floor, unit = 'ms') {
  const base = median(times[floor])
  const row = { workload: name, [`${floor} (${unit})`]: base.toFixed(1) }
  for (const [s, ts] of Object.entries(times)) {
    if (s === floor) continue
    const ratios = ts.map((t, i) => t / times[floor][i])
    row[s] = `${(median(ts) / base).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`
  }
  pairRatio(row, 'lmdb / fs store', times['smart-cache lmdb'], times['smart-cache'])
  pairRatio(row, 'now / base', times['smart-cache'], times['smart-cache base'])
  return row
}

/** `a` over `b`: the ratio of the medians, and the range of the per-round ratios. */
function pairRatio(row, name, a, b) {
  if (!a || !b) return
  const ratios = a.map((t, i) => t / b[i])
  row[name] = `${(median(a) / median(b)).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`
}

/** Memory hits in this process: ns per call, interleaved rounds. */
async function memoryRows() {
  await ready()
  const obj20 = Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [`field${i}`, i % 3 === 0 ? `value ${i}` : i % 3 === 1 ? i * 1.5 : i % 2 === 0]),
  )
  const arr1000 = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `n${i}`, ok: i % 2 === 0 }))
  const f64 = new Float64Array((100 * 1024) / 8).map((_, i) => i * 0.5)
  const cases = [
    { name: 'memory hit, one object of 20 fields', args: [obj20], n: 100_000 },
    { name: 'memory hit, array of 1,000 small objects', args: [arr1000], n: 1000 },
    { name: 'memory hit, two small numbers', args: [3, 4], n: 300_000 },
    { name: 'memory hit, 100 KB Float64Array', args: [f64], n: 300 },
  ]
  const rows = []
  for (const c of cases) {
    const fn = async (...a) => a.length
    const map = new Map()
    const systems = {
      floor: async (...a) => {
        const k = JSON.stringify(a)
        let v = map.get(k)
        if (v === undefined) map.set(k, (v = await fn(...a)))
        return v
      },
      'smart-cache': smartCache(
        fn,
        { storage: createStorage() },
        { __smartCache: 1, id: `bench/memory#${c.name}`, fingerprint: '6'.repeat(64) },
      ),
      memoizee: memoize(fn, { promise: true, normalizer: a => JSON.stringify(Array.from(a)) }),
      'p-memoize': pMemoize(fn, { cacheKey: a => JSON.stringify(a) }),
    }
    const times = Object.fromEntries(Object.keys(systems).map(s => [s, []]))
    for (const f of Object.values(systems)) await f(...c.args)
    for (let r = 0; r < ROUNDS; r++) {
      for (const [s, f] of Object.entries(systems)) {
        const t = performance.now()
        for (let i = 0; i < c.n; i++) await f(...c.args)
        times[s].push(((performance.now() - t) * 1e6) / c.n)
      }
    }
    rows.push(ratioRow(c.name, times, 'floor', 'ns'))
  }
  return rows
}

/**
 * The first hit in a new process, against reading and parsing one file: the first call's time (the
 * runtime already imported) and the import's, in ms (apart, not ratios).
 */
function firstHitRow() {
  const dir = mkdtempSync(join(tmpdir(), 'sc-peers-'))
  try {
    child('smart-cache', 'miss', 'small', 1, dir)
    child('floor', 'miss', 'small', 1, dir)
    const floor = `const { readFile } = await import('node:fs/promises'); const t = performance.now(); JSON.parse(await readFile(${JSON.stringify(join(dir, 'f0.json'))}, 'utf8')); console.log(0, performance.now() - t)`
    const ours = `const t0 = performance.now(); const { smartCache } = await import('smart-cache'); const t = performance.now()
      const load = smartCache(async (i) => { throw new Error('computed') }, undefined, ${META}); await load(0); console.log(t - t0, performance.now() - t)`
    const times = { floor: [], first: [], import: [] }
    const run = src =>
      execFileSync(process.execPath, ['--input-type=module', '-e', src], {
        cwd: RUN_DIR,
        env: { ...process.env, SMART_CACHE_DIR: dir },
        encoding: 'utf8',
      })
        .trim()
        .split('\n')
        .pop()
        .split(' ')
        .map(Number)
    for (let r = 0; r < ROUNDS; r++) {
      times.floor.push(run(floor)[1])
      const [imported, first] = run(ours)
      times.import.push(imported)
      times.first.push(first)
    }
    const gaps = times.first.map((t, i) => t - times.floor[i])
    return {
      workload: 'first hit in a new process',
      'floor: readFile + JSON.parse (ms)': median(times.floor).toFixed(1),
      'smart-cache first call (ms)': median(times.first).toFixed(1),
      'gap (ms)': `${median(gaps).toFixed(1)} (${Math.min(...gaps).toFixed(1)}–${Math.max(...gaps).toFixed(1)})`,
      'import smart-cache (ms)': median(times.import).toFixed(1),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const stores = [
  'floor',
  'smart-cache',
  ...(BASE ? ['smart-cache base'] : []),
  ...(available('smart-cache lmdb') ? ['smart-cache lmdb'] : []),
  'node-persist',
  'unstorage fs',
  'cacache',
]
const picked = args
  .find(a => a.startsWith('--systems='))
  ?.slice(10)
  .split(',')
if (want('store'))
  console.table(storeRows(WORKLOADS, 'hit', picked ?? (only.has('lmdb') ? ['floor', 'smart-cache', 'smart-cache lmdb'] : stores)))
if (want('miss')) console.table(storeRows(MISSES, 'miss', picked ?? stores))
if (want('memory')) console.table(await memoryRows())
if (want('first')) console.table([firstHitRow()])
console.log(
  `node ${process.version}, ${process.platform}/${process.arch}, ${ROUNDS} interleaved rounds; ratios to the floor's median (range of per-round ratios)`,
)
