import { ready } from 'smart-cache'

/** Calls a cached function and records its result, whether it hit the cache, and the time. */
export async function timed(name, fn, ...args) {
  await ready() // loads the WebAssembly hasher once, so `fn.stats` is readable before the first call
  const before = fn.stats.hits
  const start = performance.now()
  const value = await fn(...args)
  const ms = performance.now() - start
  return { call: `${name}(${args.join(', ')})`, value, hit: fn.stats.hits > before, ms: Math.round(ms * 100) / 100 }
}

/** One readable line per call, or JSON lines with `--json`. */
export function print(rows, json = process.argv.includes('--json')) {
  for (const r of rows) {
    console.log(
      json
        ? JSON.stringify(r)
        : `${r.call.padEnd(24)} = ${String(r.value).padEnd(9)} ${r.hit ? 'hit ' : 'miss'}  ${r.ms.toFixed(2).padStart(9)} ms`,
    )
  }
}
