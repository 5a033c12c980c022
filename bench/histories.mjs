// Real package histories (issue 11): `pnpm --filter @smart-cache/fingerprint build && node bench/histories.mjs`
//
// For consecutive published versions of ramda and date-fns (installed side by side in bench/ under
// aliases, e.g. ramda-0.29.0 → npm:ramda@0.29.0), every export of the package's ESM index is
//  - fingerprinted in both versions (`<index>#<export>`; each version is copied to
//    bench/.tmp/histories/<alias> first: under node_modules the engine would count it as a package
//    leaf, name@version, instead of reading its files), and
//  - bundled alone in both versions with esbuild, tree-shaken and minified (whitespace and syntax;
//    identifiers keep their names: esbuild picks short names from symbol counts over every parsed
//    file, so identical code would come out with other names). The copies are marked
//    "sideEffects": false, so a bundle holds what the export reaches and not the load-time code of
//    modules it never imports (ramda 0.29.1 added that flag, which alone changes every bundle).
// stale    = the bundle differs but the fingerprint is the same (must be 0: a cache would serve old results);
// spurious = the bundle is identical but the fingerprint differs (target: <= 5% of unchanged exports).
// Exports whose fingerprint fails are counted apart ("errors"), with the first message.
//
// --engine PATH  fingerprint with another build of the engine (e.g. an older dist/index.mjs), for before/after.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const tmp = join(here, '.tmp', 'histories')

/** Consecutive published versions, oldest first, each installed as `<name>-<version>`. */
const HISTORIES = [
  { name: 'ramda', index: 'es/index.js', versions: ['0.29.0', '0.29.1', '0.30.0', '0.30.1'] },
  { name: 'date-fns', index: 'index.js', versions: ['4.0.0', '4.1.0', '4.2.0'] },
]

function option(flag) {
  const i = process.argv.indexOf(flag)
  return i < 0 ? undefined : process.argv[i + 1]
}

async function loadEngine() {
  const path = option('--engine')
  return path ? import(pathToFileURL(realpathSync(path)).href) : import('@smart-cache/fingerprint')
}

/** Copies an installed version out of node_modules, once; returns the copy's root. */
function copyVersion(name, version) {
  const alias = `${name}-${version}`
  const from = join(here, 'node_modules', alias)
  if (!existsSync(from))
    throw new Error(`[smart-cache] ${alias} is not installed in bench/. Fix: pnpm install (bench/package.json lists it).`)
  const root = join(tmp, alias)
  if (!existsSync(join(root, '.done'))) {
    rmSync(root, { recursive: true, force: true })
    mkdirSync(root, { recursive: true })
    cpSync(realpathSync(from), root, { recursive: true, dereference: true })
    for (const rel of readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(f => basename(f) === 'package.json')) {
      const manifest = JSON.parse(readFileSync(join(root, rel), 'utf8'))
      writeFileSync(join(root, rel), `${JSON.stringify({ ...manifest, sideEffects: false }, null, 2)}\n`)
    }
    writeFileSync(join(root, '.done'), '')
  }
  return root
}

/** The export names of the ESM index (from esbuild's metafile). */
async function exportNames(root, index) {
  const r = await build({
    entryPoints: [join(root, index)],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    outdir: 'out',
    logLevel: 'silent',
  })
  return Object.values(r.metafile.outputs)[0].exports.sort()
}

/**
 * Each export bundled alone, tree-shaken and minified: what an app that imports only it would ship.
 * One esbuild run with an entry per export (each file is parsed once). Returns name → code.
 */
async function bundlesOf(root, index, names) {
  const entries = join(root, '.bench-entries')
  rmSync(entries, { recursive: true, force: true })
  mkdirSync(entries)
  for (const name of names) writeFileSync(join(entries, `${name}.js`), `export { ${name} } from '../${index}'\n`)
  const r = await build({
    entryPoints: names.map(name => join(entries, `${name}.js`)),
    outdir: join(root, '.bench-out'),
    bundle: true,
    write: false,
    minifyWhitespace: true,
    minifySyntax: true,
    treeShaking: true,
    format: 'esm',
    platform: 'neutral',
    legalComments: 'none',
    logLevel: 'silent',
  })
  return new Map(r.outputFiles.map(f => [basename(f.path, '.js'), f.text]))
}

async function fingerprintOf(engine, index, name) {
  try {
    return { hash: (await engine.fingerprint(index, name)).hash }
  } catch (error) {
    return { error: String(error?.message ?? error).split('\n')[0] }
  }
}

/** Fingerprints and bundles of every export of one version. */
async function measureVersion(createFingerprinter, history, version) {
  const root = copyVersion(history.name, version)
  const names = await exportNames(root, history.index)
  const engine = createFingerprinter({ root, cacheDir: false })
  const out = new Map()
  const t0 = performance.now()
  const bundles = await bundlesOf(root, history.index, names)
  const bundling = performance.now() - t0
  try {
    for (const name of names) out.set(name, { bundle: bundles.get(name), ...(await fingerprintOf(engine, history.index, name)) })
  } finally {
    await engine.close()
  }
  const s = x => `${(x / 1000).toFixed(1)} s`
  console.log(
    `[histories] ${history.name}@${version}: ${names.length} exports, bundling ${s(bundling)}, fingerprinting ${s(performance.now() - t0 - bundling)}`,
  )
  return out
}

function compare(a, b) {
  const t = {
    exports: 0,
    changed: 0,
    unchanged: 0,
    stale: 0,
    spurious: 0,
    errors: 0,
    added: 0,
    removed: 0,
    firstError: undefined,
    staleNames: [],
    spuriousNames: [],
  }
  for (const name of b.keys()) if (!a.has(name)) t.added++
  for (const [name, x] of a) {
    const y = b.get(name)
    if (!y) {
      t.removed++
      continue
    }
    t.exports++
    const bundleDiffers = x.bundle !== y.bundle
    if (bundleDiffers) t.changed++
    else t.unchanged++
    if (x.error || y.error) {
      t.errors++
      t.firstError ??= `${name}: ${x.error ?? y.error}`
      continue
    }
    if (bundleDiffers && x.hash === y.hash) {
      t.stale++
      t.staleNames.push(name)
    }
    if (!bundleDiffers && x.hash !== y.hash) {
      t.spurious++
      t.spuriousNames.push(name)
    }
  }
  return t
}

const pct = (n, d) => (d === 0 ? '0.0%' : `${((100 * n) / d).toFixed(1)}%`)

function line(label, t) {
  return `${label.padEnd(34)} exports ${String(t.exports).padStart(4)}  bundle changed ${String(t.changed).padStart(4)}  unchanged ${String(t.unchanged).padStart(4)}  stale ${String(t.stale).padStart(3)}  spurious ${String(t.spurious).padStart(4)} (${pct(t.spurious, t.unchanged)} of unchanged)  errors ${t.errors}`
}

async function main() {
  const { createFingerprinter } = await loadEngine()
  console.log(`[histories] engine: ${option('--engine') ?? '@smart-cache/fingerprint (workspace)'}`)
  const total = { exports: 0, changed: 0, unchanged: 0, stale: 0, spurious: 0, errors: 0 }
  for (const history of HISTORIES) {
    let previous = await measureVersion(createFingerprinter, history, history.versions[0])
    for (let i = 1; i < history.versions.length; i++) {
      const current = await measureVersion(createFingerprinter, history, history.versions[i])
      const t = compare(previous, current)
      console.log(line(`${history.name} ${history.versions[i - 1]} → ${history.versions[i]}`, t))
      if (t.firstError) console.log(`${''.padEnd(34)} first error: ${t.firstError.slice(0, 200)}`)
      if (t.stale > 0) console.log(`${''.padEnd(34)} stale: ${t.staleNames.slice(0, 10).join(', ')}${t.stale > 10 ? ', …' : ''}`)
      if (t.spurious > 0)
        console.log(`${''.padEnd(34)} spurious: ${t.spuriousNames.slice(0, 10).join(', ')}${t.spurious > 10 ? ', …' : ''}`)
      for (const k of Object.keys(total)) total[k] += t[k]
      previous = current
    }
  }
  console.log(line('total', total))
  console.log(
    `[histories] stale ${total.stale} (target 0), spurious ${pct(total.spurious, total.unchanged)} of unchanged exports (target <= 5%)`,
  )
  process.exitCode = total.stale === 0 ? 0 : 1
}

await main()
