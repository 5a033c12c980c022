// One cold run of the engine alone over a benchmark app (issue 14), or the parse floor of the same
// files; prints {"ms": …}. `engine`: a new engine with an empty disk cache fingerprints every cached
// function of the app and saves its caches. `floor`: oxc-parser reads and parses each file the
// engine read, one after the other on this thread (what any AST-based engine pays).
// Usage: node bench/engine-cold.mjs <app root> <engine|floor> (the app's targets.json lists [file, name] of its cached functions)
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createFingerprinter } from '@smart-cache/fingerprint'
import { parseSync } from 'oxc-parser'

const [root, mode] = process.argv.slice(2)
const cached = JSON.parse(readFileSync(join(root, 'targets.json'), 'utf8')).map(([file, name]) => [join(root, file), name])

if (mode === 'engine') {
  const cacheDir = join(root, 'node_modules/.cache/smart-cache/engine-bench')
  rmSync(cacheDir, { recursive: true, force: true })
  const start = performance.now()
  const engine = createFingerprinter({ root, cacheDir, recheck: 'after-invalidate' })
  const answers = await Promise.all(cached.map(([file, name]) => engine.fingerprint(file, name)))
  for (const a of answers) void (a.deps.length + a.sourceHash.length) // what the plugin reads
  await engine.close()
  console.log(JSON.stringify({ ms: performance.now() - start, files: new Set(answers.flatMap(a => a.deps.map(d => d.file))).size }))
}
else {
  // The files the engine reaches, found by an engine run before the clock starts.
  const engine = createFingerprinter({ root, cacheDir: false })
  const answers = await Promise.all(cached.map(([file, name]) => engine.fingerprint(file, name)))
  const files = [...new Set([...cached.map(([f]) => f), ...answers.flatMap(a => a.deps.map(d => join(root, d.file)))])]
  await engine.close()
  const start = performance.now()
  for (const f of files) parseSync(f, readFileSync(f, 'utf8'))
  console.log(JSON.stringify({ ms: performance.now() - start, files: files.length }))
}
