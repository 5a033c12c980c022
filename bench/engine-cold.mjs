// One run of the engine alone over a benchmark app (issue 14), or the parse floor of the same
// files; prints {"ms": …}. `engine`: a new engine with an empty disk cache fingerprints every cached
// function of the app and saves its caches (cold). `warm`: the same with the caches of the run
// before, nothing changed. `floor`: oxc-parser reads and parses each file the engine read, one
// after the other on this thread (what any AST-based engine pays). `moved`: the app copied to a new
// folder whose engine finds the first folder's cache in the same cache folder (a CI job restoring
// node_modules/.cache into a new checkout path); run after `engine`. `checkout`: a CI job at a fixed
// path (GitHub Actions' /home/runner/work/<repo>/<repo>): the app copied afresh to `<root>-ci-engine` (new
// files, new stamps, same content) with the cache folder the job before it saved (at first, the
// first folder's cache), the cache then saved for the next job; run after `engine`. `edited`: the
// caches of the run before, one module that every cached function reaches edited to return another
// value (another module each run; restored once timed); `edited-unreached`: the same with an edit to
// src/main.js, which no cached function reaches (DAG apps of bench/plugin-apps.mjs).
// Usage: node bench/engine-cold.mjs <app root> <engine|warm|edited|edited-unreached|floor|moved|checkout> (the app's targets.json lists [file, name] of its cached functions)
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createFingerprinter } from '@smart-cache/fingerprint'
import { parseSync } from 'oxc-parser'
import { editApp } from './plugin-apps.mjs'

const [root, mode] = process.argv.slice(2)
/** CPU time of every thread of the process (user + system) since `from`, in ms. */
const cpuMs = from => {
  const { user, system } = process.cpuUsage(from)
  return (user + system) / 1000
}
const cached = JSON.parse(readFileSync(join(root, 'targets.json'), 'utf8')).map(([file, name]) => [join(root, file), name])

/** A fresh checkout of the app at `to`: new files (new stamps), the same content; node_modules as installed. */
function checkout(to) {
  rmSync(to, { recursive: true, force: true })
  cpSync(join(root, 'src'), join(to, 'src'), { recursive: true })
  cpSync(join(root, 'package.json'), join(to, 'package.json'))
}

if (['engine', 'warm', 'edited', 'edited-unreached', 'moved', 'checkout'].includes(mode)) {
  const cacheOf = dir => join(dir, 'node_modules/.cache/smart-cache/engine-bench')
  let at = root
  let cacheDir = cacheOf(root)
  if (mode === 'engine') rmSync(cacheDir, { recursive: true, force: true })
  else if (mode === 'moved') {
    at = `${root}-moved`
    checkout(at)
    symlinkSync(join(root, 'node_modules'), join(at, 'node_modules'), 'dir')
  } else if (mode === 'checkout') {
    at = `${root}-ci-engine`
    const saved = `${root}-ci-engine-cache`
    checkout(at)
    cpSync(join(root, 'node_modules'), join(at, 'node_modules'), {
      recursive: true,
      verbatimSymlinks: true,
      filter: src => !src.includes('.cache'),
    })
    cacheDir = cacheOf(at)
    cpSync(existsSync(saved) ? saved : cacheOf(root), cacheDir, { recursive: true })
  }
  const restore = mode.startsWith('edited') ? editApp(root, mode === 'edited') : undefined
  const start = performance.now()
  const engine = createFingerprinter({
    root: at,
    cacheDir,
    recheck: 'after-invalidate',
    parserThreads: Number(process.env.THREADS) || undefined,
  })
  const answers = await Promise.all(cached.map(([file, name]) => engine.fingerprint(file.replace(root, at), name)))
  for (const a of answers) void (a.deps.length + a.sourceHash.length) // what the plugin reads
  await engine.close()
  const ms = performance.now() - start
  restore?.()
  if (mode === 'checkout') {
    rmSync(`${root}-ci-engine-cache`, { recursive: true, force: true })
    cpSync(cacheDir, `${root}-ci-engine-cache`, { recursive: true })
  }
  console.log(JSON.stringify({ ms, cpu: cpuMs(), files: new Set(answers.flatMap(a => a.deps.map(d => d.file))).size }))
} else {
  // The files the engine reaches, found by an engine run before the clock starts.
  const engine = createFingerprinter({ root, cacheDir: false })
  const answers = await Promise.all(cached.map(([file, name]) => engine.fingerprint(file, name)))
  const files = [...new Set([...cached.map(([f]) => f), ...answers.flatMap(a => a.deps.map(d => join(root, d.file)))])]
  await engine.close()
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  for (const f of files) parseSync(f, readFileSync(f, 'utf8'))
  console.log(JSON.stringify({ ms: performance.now() - start, cpu: cpuMs(cpuStart), files: files.length }))
}
