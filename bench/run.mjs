#!/usr/bin/env node
// Runs the benchmarks one after another: `pnpm bench [fingerprint|runtime|plugin|entries|histories|loader|browser-hash ...]` (default: all).
// Each prints its measured values beside their baselines and the ratios.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const all = ['fingerprint', 'runtime', 'plugin', 'entries', 'histories', 'loader', 'browser-hash']
const chosen = process.argv.slice(2)
const unknown = chosen.filter(name => !all.includes(name))
if (unknown.length > 0) {
  console.error(`[smart-cache] unknown benchmark ${unknown.join(', ')}. Fix: pick from ${all.join(', ')}.`)
  process.exit(2)
}
let failed = 0
for (const name of chosen.length > 0 ? chosen : all) {
  console.log(`\n=== bench/${name}.mjs ===`)
  const { status } = spawnSync(process.execPath, [join(here, `${name}.mjs`)], { stdio: 'inherit' })
  if (status !== 0) failed++
}
process.exit(failed === 0 ? 0 : 1)
