// Fingerprint engine benchmark: `pnpm --filter @smart-cache/fingerprint build && node bench/fingerprint.mjs`
//
// 1. cold: fingerprint every export of every ESM module of date-fns and of three's src/ with a fresh
//    engine and no disk cache, against oxc-parser parse-only (read + parseSync + AST) of the same
//    files on the main thread. Target: ratio <= 2.
// 2. warm: in a generated 1,000-module project, edit one file and re-fingerprint every export of
//    every module with the same engine (watch mode), and with a new engine on the disk cache.
//    Target: < 50 ms.
//
// The corpora are copied to bench/.tmp first: under node_modules the engine would count them as
// packages (name@version) and not parse them at all.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { createFingerprinter } from '@smart-cache/fingerprint'
import { parseSync, rawTransferSupported } from 'oxc-parser'

const here = dirname(fileURLToPath(import.meta.url))
const tmp = join(here, '.tmp')
const RUNS = Number(process.env.BENCH_RUNS ?? 3)

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = x => `${x.toFixed(1)} ms`
const sleep = t => new Promise(r => setTimeout(r, t))

function listFiles(dir, keep) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => e.isFile() && keep(e.name))
    .map(e => join(e.parentPath, e.name))
    .sort()
}

/** Copies a package folder (or part of it) out of node_modules, once. */
function corpus(name, from, keep) {
  const dest = join(tmp, 'corpus', name)
  if (!existsSync(join(dest, '.done'))) {
    rmSync(dest, { recursive: true, force: true })
    mkdirSync(dest, { recursive: true })
    for (const f of listFiles(from, keep)) {
      const to = join(dest, relative(from, f))
      mkdirSync(dirname(to), { recursive: true })
      cpSync(f, to)
    }
    writeFileSync(join(dest, 'package.json'), JSON.stringify({ name: `bench-${name}`, type: 'module' }))
    writeFileSync(join(dest, '.done'), '')
  }
  return { root: dest, files: listFiles(dest, keep) }
}

function parseOnly(files) {
  const t = performance.now()
  let nodes = 0
  for (const f of files) {
    const r = parseSync(f, readFileSync(f, 'utf8'), { preserveParens: false })
    nodes += r.program.body.length
  }
  return { time: performance.now() - t, nodes }
}

/**
 * @param {string} root
 * @param {string[]} files
 * @param {string | false} [cacheDir]
 * @param {import('@smart-cache/fingerprint').Fingerprinter} [engine]
 */
async function fingerprintAll(root, files, cacheDir = false, engine) {
  const own = !engine
  engine ??= createFingerprinter({ root, cacheDir })
  const t = performance.now()
  const all = await Promise.all(files.map(f => engine.fingerprintFile(f)))
  const time = performance.now() - t
  const exports = all.reduce((n, r) => n + Object.keys(r).length, 0)
  if (own) await engine.close()
  return { time, exports, engine, all }
}

async function cold(name, from, keep) {
  const { root, files } = corpus(name, from, keep)
  parseOnly(files) // warm the JIT and the OS file cache for both sides
  await fingerprintAll(root, files.slice(0, 50))
  const parse = []
  const fp = []
  let exports = 0
  for (let i = 0; i < RUNS; i++) {
    parse.push(parseOnly(files).time)
    const r = await fingerprintAll(root, files)
    fp.push(r.time)
    exports = r.exports
  }
  const p = median(parse)
  const f = median(fp)
  console.log(
    `cold  ${name.padEnd(9)} ${String(files.length).padStart(5)} files ${String(exports).padStart(6)} exports  fingerprint ${ms(f).padStart(10)}  parse-only ${ms(p).padStart(10)}  ratio ${(f / p).toFixed(2)}x  (target <= 2x)`,
  )
}

/** A 1,000-module project: module i imports two earlier modules and exports three bindings. */
function generate(root, n) {
  if (existsSync(join(root, '.done'))) return
  rmSync(root, { recursive: true, force: true })
  mkdirSync(join(root, 'src'), { recursive: true })
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'bench-gen', type: 'module' }))
  for (let i = 0; i < n; i++) {
    const deps = i === 0 ? [] : [Math.floor(i / 2), i - 1].filter((d, k, a) => a.indexOf(d) === k)
    const imports = deps.map(d => `import { f${d}, K${d} } from './m${d}.js'`).join('\n')
    const calls = deps.map(d => `f${d}(x + K${d})`).join(' + ') || 'x'
    writeFileSync(
      join(root, 'src', `m${i}.ts`),
      `${imports}
export const K${i} = ${i}
const scale = (v: number) => v * ${(i % 7) + 1}
export function f${i}(x: number): number {
  return x > 0 ? scale(${calls}) % 1000 : ${i}
}
export class C${i} {
  value = ${i}
  run(x: number) { return f${i}(x) + this.value }
}
`,
    )
  }
  writeFileSync(join(root, '.done'), String(Date.now()))
}

async function warm() {
  const n = 1000
  const root = join(tmp, 'gen1000')
  generate(root, n)
  // Files written within the last 3 s are re-hashed on every call (racy timestamps); a real
  // project's files are older than that.
  const age = Date.now() - statSync(join(root, '.done')).mtimeMs
  if (age < 3100) await sleep(3100 - age)
  rmSync(join(root, 'node_modules'), { recursive: true, force: true })
  const files = Array.from({ length: n }, (_, i) => join(root, 'src', `m${i}.ts`))
  const edited = files[500]
  const original = readFileSync(edited, 'utf8')
  const engine = createFingerprinter({ root })
  const first = await fingerprintAll(root, files, undefined, engine)
  const same = []
  const fresh = []
  let changed = 0
  try {
    for (let i = 0; i < RUNS; i++) {
      writeFileSync(edited, original.replace('value = 500', `value = ${501 + i}`))
      const r = await fingerprintAll(root, files, undefined, engine)
      same.push(r.time)
      changed = r.all.filter((x, k) => JSON.stringify(x) !== JSON.stringify(first.all[k])).length
      writeFileSync(edited, original.replace('value = 500', `value = ${601 + i}`))
      const r2 = await fingerprintAll(root, files)
      fresh.push(r2.time)
    }
  } finally {
    writeFileSync(edited, original)
    await engine.close()
  }
  console.log(`warm  1,000-module project, cold fill ${ms(first.time)}; one file edited (${changed} modules' fingerprints changed):`)
  console.log(
    `      re-fingerprint all ${first.exports} exports, same engine     ${ms(median(same)).padStart(10)}  target < 50 ms  ratio ${(median(same) / 50).toFixed(2)}x of target`,
  )
  console.log(
    `      re-fingerprint all ${first.exports} exports, new engine+disk ${ms(median(fresh)).padStart(10)}  (new process view: worker start + disk cache)`,
  )
}

console.log(
  `node ${process.version}, oxc-parser raw transfer ${rawTransferSupported() ? 'on' : 'unsupported (JSON transfer)'}, median of ${RUNS} runs`,
)
const dateFns = join(here, 'node_modules', 'date-fns')
const three = join(here, 'node_modules', 'three')
await cold('date-fns', dateFns, n => n.endsWith('.js'))
await cold('three', join(three, 'src'), n => n.endsWith('.js'))
await warm()
