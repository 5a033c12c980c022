// One cold run of the engine alone over a benchmark app (issue 14), or the parse floor of the same
// files; prints {"ms": …}. `engine`: a new engine with an empty disk cache fingerprints every cached
// function of the app and saves its caches. `floor`: oxc-parser reads and parses each file the
// engine read, one after the other on this thread (what any AST-based engine pays). `moved`: the
// app copied to a new folder whose engine finds the first folder's cache in the same cache folder
// (a CI job restoring node_modules/.cache into a new checkout path); run after `engine`.
// Usage: node bench/engine-cold.mjs <app root> <engine|floor|moved> (the app's targets.json lists [file, name] of its cached functions)
import { cpSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createFingerprinter } from '@smart-cache/fingerprint'
import { parseSync } from 'oxc-parser'

const [root, mode] = process.argv.slice(2)
/** CPU time of every thread of the process (user + system) since `from`, in ms. */
const cpuMs = from => {
  const { user, system } = process.cpuUsage(from)
  return (user + system) / 1000
}
const cached = JSON.parse(readFileSync(join(root, 'targets.json'), 'utf8')).map(([file, name]) => [join(root, file), name])

if (mode === 'engine' || mode === 'moved') {
  const cacheDir = join(root, 'node_modules/.cache/smart-cache/engine-bench')
  const moved = `${root}-moved`
  if (mode === 'engine') rmSync(cacheDir, { recursive: true, force: true })
  else {
    rmSync(moved, { recursive: true, force: true })
    cpSync(join(root, 'src'), join(moved, 'src'), { recursive: true })
    cpSync(join(root, 'package.json'), join(moved, 'package.json'))
    symlinkSync(join(root, 'node_modules'), join(moved, 'node_modules'), 'dir')
  }
  const at = mode === 'engine' ? root : moved
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
  console.log(
    JSON.stringify({ ms: performance.now() - start, cpu: cpuMs(), files: new Set(answers.flatMap(a => a.deps.map(d => d.file))).size }),
  )
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
