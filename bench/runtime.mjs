#!/usr/bin/env node
// Runtime benchmarks of issue 3. Run on demand: `pnpm --filter smart-cache build && node bench/runtime.mjs`.
// Each line prints the measured value, the baseline, their ratio and the target, side by side.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, promises as fsp, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'devalue'
import { createBLAKE3 } from 'hash-wasm'
import { hash as ohash } from 'ohash'
import { configure, hashArgs, ready, smartCache } from 'smart-cache'
import { createStorage } from 'unstorage'
import { atomicFsDriver } from 'smart-cache/drivers/fs'

/** @type {(id: string) => import('smart-cache').CacheMeta} */
const META = id => ({ __smartCache: 1, id, fingerprint: '5'.repeat(64) })
const rows = []
const fmt = (n, unit) => `${n < 10 ? n.toFixed(3) : n < 1000 ? n.toFixed(1) : n.toFixed(0)} ${unit}`

/** Best-of-`rounds` time per op (ns) of an async or sync loop body. */
async function measure(body, ops, rounds = 5) {
  let best = Infinity
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint()
    await body(ops)
    best = Math.min(best, Number(process.hrtime.bigint() - t) / ops)
  }
  return best
}

/** Rounds of `ours` and `base` alternate (the machine is shared: load drifts), best of each. */
async function compare(ours, base, ops, rounds = 7) {
  let a = Infinity
  let b = Infinity
  for (let r = 0; r < rounds; r++) {
    a = Math.min(a, await measure(ours, ops, 1))
    b = Math.min(b, await measure(base, ops, 1))
  }
  return [a, b]
}

function report(name, measured, baseline, unit, target, lowerIsBetter = true) {
  const ratio = measured / baseline
  const ok = target === undefined ? '' : (lowerIsBetter ? ratio <= target : ratio >= target) ? 'OK' : 'MISSED'
  rows.push({
    name,
    measured: fmt(measured, unit),
    baseline: fmt(baseline, unit),
    ratio: ratio.toFixed(2),
    target: target === undefined ? '' : `${lowerIsBetter ? '<=' : '>='} ${target}`,
    ok,
  })
}

async function memoryTier() {
  const fn = async (a, b) => ({ sum: a + b, label: `${a}:${b}` })
  const cached = smartCache(fn, { storage: createStorage() }, META('bench#memory'))
  const map = new Map()
  const baseline = async (...args) => {
    const k = JSON.stringify(args)
    let v = map.get(k)
    if (v === undefined) map.set(k, (v = await fn(...args)))
    return v
  }
  await cached(1, 'x')
  await baseline(1, 'x')
  const N = 300_000
  const [ours, base] = await compare(
    async n => {
      for (let i = 0; i < n; i++) await cached(1, 'x')
    },
    async n => {
      for (let i = 0; i < n; i++) await baseline(1, 'x')
    },
    N,
  )
  report('memory-tier hit vs async Map memo (JSON.stringify key)', ours, base, 'ns/call', 2)

  const query = { user: 'ada', page: 2, filters: ['open', 'mine'] }
  await cached(query, 1)
  await baseline(query, 1)
  const [oursObj, baseObj] = await compare(
    async n => {
      for (let i = 0; i < n; i++) await cached(query, 1)
    },
    async n => {
      for (let i = 0; i < n; i++) await baseline(query, 1)
    },
    N / 3,
  )
  report('memory-tier hit, object argument, vs the same Map memo', oursObj, baseObj, 'ns/call', 2)
}

async function filesystemTier() {
  const dir = mkdtempSync(join(tmpdir(), 'smart-cache-bench-'))
  try {
    const value = { rows: Array.from({ length: 200 }, (_, i) => ({ i, name: `row ${i}`, at: new Date(i) })), total: 12345n }
    const storage = createStorage({ driver: atomicFsDriver({ base: dir }) })
    const cached = smartCache(async _id => value, { storage, memory: false }, META('bench#fs'))
    await cached(7)
    const file = join(dir, 'sc1', '5'.repeat(64), readdirSync(join(dir, 'sc1', '5'.repeat(64)))[0])
    const bytes = await fsp.readFile(file)
    const headLength = bytes.readUInt32LE(8)
    const decoder = new TextDecoder()
    const N = 3000
    const [ours, base] = await compare(
      async n => {
        for (let i = 0; i < n; i++) await cached(7)
      },
      async n => {
        for (let i = 0; i < n; i++) parse(decoder.decode((await fsp.readFile(file)).subarray(56 + headLength)))
      },
      N,
    )
    report(`filesystem hit (${bytes.length} B entry) vs fs.readFile + decode`, ours, base, 'ns/call', 1.5)
    if (cached.stats.misses !== 1) throw new Error(`[smart-cache bench] expected hits only, got ${JSON.stringify(cached.stats)}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function argHashing() {
  await ready()
  const lists = [[42], ['user-123', { page: 2, size: 50 }], [1, 2, 3, 'abc', true, null], [{ a: 1, b: [1, 2, 3], c: { d: 'e' } }]]
  const N = 100_000
  const [ours, base] = await compare(
    n => {
      for (let i = 0; i < n; i++) hashArgs(lists[i & 3])
    },
    n => {
      for (let i = 0; i < n; i++) ohash(lists[i & 3])
    },
    N,
  )
  report('argument hashing, small lists vs ohash', ours, base, 'ns/hash', 1)

  const big = new Float64Array((64 * 1024 * 1024) / 8).map((_, i) => i * 0.5)
  const bytes = new Uint8Array(big.buffer)
  const raw = await createBLAKE3()
  const [oursTime, rawTime] = await compare(
    () => hashArgs([big]),
    () => {
      raw.init()
      raw.update(bytes)
      raw.digest('hex')
    },
    1,
    3,
  )
  const mbps = ns => 64 / (ns / 1e9)
  report('64 MiB Float64Array throughput vs raw hash-wasm BLAKE3', mbps(oursTime), mbps(rawTime), 'MiB/s', 0.8, false)
}

function fibProcess(mode, dir) {
  const code = `
    import { smartCache } from 'smart-cache'
    const META = { __smartCache: 1, id: 'bench/fib#fib', fingerprint: 'f'.repeat(64) }
    function naive(n) { return n < 2 ? n : naive(n - 1) + naive(n - 2) }
    const fib = smartCache(async (n) => (n < 2 ? n : (await fib(n - 1)) + (await fib(n - 2))), undefined, META)
    const t = performance.now()
    const value = ${mode === 'naive' ? 'naive(40)' : 'await fib(40)'}
    console.log(JSON.stringify({ ms: performance.now() - t, value }))`
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: import.meta.dirname,
    env: { ...process.env, SMART_CACHE_DIR: dir },
    encoding: 'utf8',
  })
  return JSON.parse(out)
}

function seedFib() {
  const dir = mkdtempSync(join(tmpdir(), 'smart-cache-fib-'))
  try {
    const naive = fibProcess('naive', dir)
    const first = fibProcess('cached', dir)
    const second = fibProcess('cached', dir)
    if (naive.value !== 102334155 || first.value !== naive.value || second.value !== naive.value)
      throw new Error('[smart-cache bench] fib mismatch')
    report('seed fib(40): cached first run (recursion through the cache) vs naive', first.ms, naive.ms, 'ms')
    report('seed fib(40): cached second process vs naive', second.ms, naive.ms, 'ms')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

configure({})
// `node bench/runtime.mjs [memory] [fs] [hash] [fib]` runs a subset; no argument runs all.
const only = new Set(process.argv.slice(2))
const sections = { memory: memoryTier, fs: filesystemTier, hash: argHashing, fib: seedFib }
for (const [name, run] of Object.entries(sections)) if (only.size === 0 || only.has(name)) await run()
console.log(`node ${process.version}, ${process.platform}/${process.arch}`)
console.table(rows)
