// Alternating rounds of production `vite build`s of one benchmark app, to compare modes whose
// difference is smaller than the machine's drift: `baseline` (no plugin), `null-unplugin` (an
// unplugin plugin that does nothing: the floor of any unplugin-based plugin), `plugin` (warm:
// the caches of the previous round are on disk). Prints each mode's median and the median of its
// per-round ratio to the first mode.
// Usage: pnpm build && node bench/plugin-ab.mjs [a|b] [rounds] [modes...]
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { dateFnsApp, generatedApp } from './plugin-apps.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const [app = 'a', rounds = '21', ...chosen] = process.argv.slice(2)
const modes = chosen.length > 0 ? chosen : ['baseline', 'null-unplugin', 'plugin']
const root = app === 'b' ? generatedApp() : dateFnsApp()

const buildMs = mode => JSON.parse(execFileSync(process.execPath, [join(here, 'plugin-build.mjs'), root, mode], { encoding: 'utf8' }).trim().split('\n').pop()).ms
const median = xs => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]

// Warm-up (file system, the plugin's caches), then past the 3 s racy window of the new files.
for (const mode of modes) buildMs(mode)
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3100)
for (const mode of modes) buildMs(mode)
const times = Object.fromEntries(modes.map(m => [m, []]))
for (let i = 0; i < Number(rounds); i++) {
  for (const mode of modes) times[mode].push(buildMs(mode))
}
console.log(`vite build of app (${app}), ${rounds} alternating rounds`)
for (const mode of modes) {
  const ratio = median(times[mode].map((t, i) => t / times[modes[0]][i]))
  console.log(`${mode.padEnd(14)} median ${median(times[mode]).toFixed(0).padStart(5)} ms   ratio to ${modes[0]} ${ratio.toFixed(3)}x`)
}
