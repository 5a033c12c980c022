import { ready, settled } from 'smart-cache'
import { mandelbrotArea, primeCount } from './computations.ts'

interface Row {
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

function show(row: Row): void {
  const tr = document.createElement('tr')
  tr.dataset.hit = String(row.hit)
  for (const text of [row.call, JSON.stringify(row.value), row.hit ? 'hit' : 'miss', `${row.ms.toFixed(2)} ms`]) {
    const td = document.createElement('td')
    td.textContent = text
    tr.append(td)
  }
  document.querySelector('#calls')!.append(tr)
}

const rows: Row[] = []
for (const [call, fn, args] of [
  ['mandelbrotArea(600, 500)', mandelbrotArea, [600, 500]],
  ['primeCount(2_000_000)', primeCount, [2_000_000]],
] as Array<[string, Cached, unknown[]]>) {
  const row = await timed(call, fn, ...args)
  rows.push(row)
  show(row)
}
// Entries are written after each result is shown: 'done' once they are stored.
await settled()
document.querySelector('#status')!.textContent = 'done'
Object.assign(window, { playgroundRows: rows })
