#!/usr/bin/env node
// `pnpm demo` (= build the packages, not the playgrounds, then `node scripts/demo.mjs`): copies playground/esbuild to a temp folder,
// builds it with unplugin-smart-cache and shows, in a few lines, what the cache does:
// a first run computes, a second run (new process) hits, a helper edit recomputes, a comment edit hits.
// Exits 1 if any step does not behave as announced.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '..')
const app = join(repo, 'playground/esbuild')
const cli = join(repo, 'packages/cli/bin/smart-cache.mjs')
const dir = mkdtempSync(join(tmpdir(), 'smart-cache-demo-'))
const env = { ...process.env, SMART_CACHE_DIR: join(dir, '.cache/values'), SMART_CACHE: '', FORCE_COLOR: '0' }
const color = process.stdout.isTTY && !process.env.NO_COLOR
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text)
const helper = join(dir, 'src/lib/sieve.js')
let failed = false

/** The copied app, with node_modules links to the workspace's built packages (no install needed). */
function setUp() {
  cpSync(join(app, 'src'), join(dir, 'src'), { recursive: true })
  cpSync(join(app, 'build.mjs'), join(dir, 'build.mjs'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'smart-cache-demo', private: true, type: 'module' }))
  for (const name of ['smart-cache', 'unplugin-smart-cache', 'esbuild']) {
    const link = join(dir, 'node_modules', name)
    mkdirSync(dirname(link), { recursive: true })
    symlinkSync(realpathSync(join(app, 'node_modules', name)), link, 'dir')
  }
}

const node = args => execFileSync(process.execPath, args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
const build = () => node(['build.mjs'])
const run = () =>
  node(['dist/main.mjs', '--json'])
    .trim()
    .split('\n')
    .map(line => JSON.parse(line))

function edit(from, to, file = helper) {
  const text = readFileSync(file, 'utf8')
  if (!text.includes(from))
    throw new Error(
      `[smart-cache] demo: ${file} no longer contains ${JSON.stringify(from)}. Fix: update scripts/demo.mjs to match the playground's src/lib/sieve.js.`,
    )
  writeFileSync(file, text.replace(from, to))
}

/** The same program with no bundler: plain `node --import smart-cache/register` (playground/node-loader). */
function loaderDemo() {
  const app = join(repo, 'playground/node-loader')
  const cwd = join(dir, 'node-loader')
  cpSync(join(app, 'src'), join(cwd, 'src'), { recursive: true })
  writeFileSync(join(cwd, 'package.json'), JSON.stringify({ name: 'smart-cache-demo-loader', private: true, type: 'module' }))
  for (const name of ['smart-cache', 'unplugin-smart-cache']) {
    mkdirSync(join(cwd, 'node_modules'), { recursive: true })
    symlinkSync(realpathSync(join(app, 'node_modules', name)), join(cwd, 'node_modules', name), 'dir')
  }
  /** @type {import('node:child_process').ExecFileSyncOptionsWithStringEncoding} */
  const opts = { cwd, env: { ...env, SMART_CACHE_DIR: join(cwd, '.cache/values') }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
  const start = () =>
    execFileSync(process.execPath, ['--import', 'smart-cache/register', 'src/main.js', '--json'], opts)
      .trim()
      .split('\n')
      .map(line => JSON.parse(line))
  console.log(
    `\nThe same program with no bundler: ${paint('1', 'node --import smart-cache/register src/main.js')} (playground/node-loader)\n`,
  )
  report('5. first run', start(), false)
  report('6. second run (a new process)', start(), true)
  edit('i * i <= n', 'i <= n / i', join(cwd, 'src/lib/sieve.js'))
  report('7. helper edited (sieve: i * i <= n → i <= n / i)', start(), false)
}

/** One line: step, what happened (checked against what should), the calls, total time. */
function report(step, rows, expectHit) {
  const hits = rows.filter(r => r.hit).length
  const ok = expectHit ? hits === rows.length : hits === 0
  failed ||= !ok
  const what = hits === rows.length ? paint('32', 'hit (from cache)') : hits === 0 ? paint('33', 'computed') : `${hits}/${rows.length} hits`
  const ms = rows.reduce((sum, r) => sum + r.ms, 0)
  const calls = rows.map(r => `${r.call} = ${r.value}`).join(', ')
  console.log(
    `${ok ? ' ' : paint('31', '✗')} ${step.padEnd(50)} ${what.padEnd(color ? 26 : 17)} ${ms.toFixed(1).padStart(8)} ms   ${paint('2', calls)}`,
  )
}

try {
  setUp()
  console.log(`smart-cache demo: playground/esbuild copied to ${dir}, built with unplugin-smart-cache/esbuild\n`)
  build()
  report('1. first run', run(), false)
  report('2. second run (a new process)', run(), true)
  const old = join(dir, 'old-manifest.json')
  cpSync(join(dir, 'node_modules/.cache/smart-cache/manifests/dist.json'), old) // the plugin's manifest, kept outside the deployed dist/
  edit('i * i <= n', 'i <= n / i')
  build()
  report('3. helper edited (sieve: i * i <= n → i <= n / i)', run(), false)
  const why = node([cli, 'explain', 'src/primes.js#countPrimes', '--from', old])
    .split('\n')
    .filter(l => l.trim().startsWith('path:') || l.includes('own hash'))
  for (const line of why) console.log(paint('2', `     ${line.trim()}`))
  edit('export function sieve', '// Only a comment changed here.\nexport function sieve')
  build()
  report('4. comment added to the helper', run(), true)
  loaderDemo()
  console.log(
    failed
      ? paint('31', '\n[smart-cache] demo: a step did not behave as announced (see ✗).')
      : `\nNext: cd playground/esbuild && pnpm start && pnpm cache:ls   (the cached functions, per the build manifest)`,
  )
} catch (error) {
  failed = true
  console.error(String(error?.stderr || error?.message || error).trim())
} finally {
  rmSync(dir, { recursive: true, force: true })
}
process.exitCode = failed ? 1 : 0
