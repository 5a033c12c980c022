import { ready } from 'smart-cache'
import { largestPrimeGap, longestCollatz } from './numbers.ts'

/** One cached call as shown on the page. */
export interface Row {
  call: string
  value: unknown
  hit: boolean
  ms: number
}

type Cached = ((...args: any[]) => Promise<unknown>) & { stats: { hits: number } }

async function timed(call: string, fn: Cached, ...args: unknown[]): Promise<Row> {
  await ready() // loads the WebAssembly hasher once, so `fn.stats` is readable before the first call
  const before = fn.stats.hits
  const start = performance.now()
  const value = await fn(...args)
  return { call, value, hit: fn.stats.hits > before, ms: Math.round((performance.now() - start) * 100) / 100 }
}

/** Runs the page's cached computations. */
export async function rows(): Promise<Row[]> {
  return [
    await timed('longestCollatz(500_000)', longestCollatz as Cached, 500_000),
    await timed('largestPrimeGap(5_000_000)', largestPrimeGap as Cached, 5_000_000),
  ]
}

const escape = (s: string) => s.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`)

/** The HTML page: a table of calls with result, hit or miss, and time. */
export function page(list: Row[]): string {
  const body = list
    .map(
      r =>
        `<tr data-hit="${r.hit}"><td><code>${escape(r.call)}</code></td><td>${escape(JSON.stringify(r.value))}</td><td>${r.hit ? 'hit' : 'miss'}</td><td>${r.ms.toFixed(2)} ms</td></tr>`,
    )
    .join('\n')
  return `<!doctype html><html><head><meta charset="utf-8"><title>smart-cache: node-ssr</title></head><body>
<h1>Server-rendered with cached computations (filesystem cache)</h1>
<table><thead><tr><th>call</th><th>result</th><th>cache</th><th>time</th></tr></thead><tbody>
${body}
</tbody></table><p>Reload: memory hits. Restart the server: filesystem hits.</p></body></html>`
}
