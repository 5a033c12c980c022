#!/usr/bin/env node
// What a browser user pays for hashing a large argument (issue 17): the browser build hashes with
// BLAKE3 in JavaScript (no WebAssembly in its bundle), the Node build with hash-wasm's WebAssembly.
// `pnpm --filter smart-cache build && node bench/browser-hash.mjs [--mib=1] [--rounds=15]`.
// The browser build is bundled from the package's browser entry with esbuild (platform browser) and
// run here, in V8 as Chromium runs it. Per round, in turns (interleaved: the machine is shared):
// hashArgs([bytes]) of the browser build, of the Node build (after ready()), and hash-wasm's raw
// BLAKE3 over the same bytes (the floor). Printed: medians (ms) and ratios with their range.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { createBLAKE3 } from 'hash-wasm'
import { hashArgs as nodeHashArgs, ready } from 'smart-cache'

const arg = name => process.argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1]
const mib = Number(arg('mib') ?? 1)
const rounds = Number(arg('rounds') ?? 15)

const dir = mkdtempSync(join(tmpdir(), 'smart-cache-bench-'))
try {
  const outfile = join(dir, 'browser.mjs')
  await build({
    entryPoints: [new URL('../packages/smart-cache/dist/browser.mjs', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile,
    logLevel: 'error',
  })
  const browser = await import(pathToFileURL(outfile).href)
  await ready()
  const wasm = await createBLAKE3()
  const bytes = new Uint8Array(mib * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24)
  if (browser.hashArgs([bytes]) !== nodeHashArgs([bytes])) throw new Error('[smart-cache] the browser and Node builds disagree on a key')

  const systems = {
    'browser build: hashArgs (BLAKE3 in JavaScript)': () => browser.hashArgs([bytes]),
    'Node build: hashArgs (WebAssembly BLAKE3)': () => nodeHashArgs([bytes]),
    'floor: hash-wasm BLAKE3 of the bytes': () => wasm.init().update(bytes).digest('hex'),
  }
  const times = Object.fromEntries(Object.keys(systems).map(name => [name, []]))
  for (const run of Object.values(systems)) run() // warm up (JIT, WebAssembly compiled)
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(systems)) {
      const t = performance.now()
      run()
      times[name].push(performance.now() - t)
    }
  }
  const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const floor = times['floor: hash-wasm BLAKE3 of the bytes']
  console.log(`Hashing a ${mib} MiB Uint8Array argument, ${rounds} interleaved rounds (Node ${process.versions.node}):`)
  console.table(
    Object.fromEntries(
      Object.entries(times).map(([name, ts]) => {
        const ratios = ts.map((t, i) => t / floor[i])
        return [
          name,
          {
            'median ms': median(ts).toFixed(2),
            'x floor': `${(median(ts) / median(floor)).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
          },
        ]
      }),
    ),
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
