import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { transformModule } from '../src/core/transform.js'
import { env, fakeEngine, tmpProject } from './helpers.js'

const HELPERS = `import { readFileSync } from 'node:fs'
export let counter = 0
export function bump() { counter++ }
export function stamp(x) {
  return x + Date.now()
}
export function pure(x) { return x * 2 }
export function config() { return process.env.MODE }
export function load(p) { return readFileSync(p, 'utf8') }
export function readsCounter() { return counter }
export function quiet() {
  // @smart-cache-allow-impure: the seed is fixed by the caller
  return Math.random()
}
`

async function run(code: string, deps: { binding: string }[], options = {}) {
  const root = tmpProject()
  mkdirSync(join(root, 'src'), { recursive: true })
  writeFileSync(join(root, 'src/helpers.js'), HELPERS)
  const engine = fakeEngine({
    'src/main.js#f': deps.map(d => ({ file: 'src/helpers.js', binding: d.binding, hash: '0'.repeat(64), line: 1 })),
  })
  return transformModule(code, join(root, 'src/main.js'), env(root, engine, options))
}

const MAIN = `import { smartCache } from 'smart-cache'
import { stamp } from './helpers.js'
export const f = smartCache(async (x) => stamp(x))
`

describe('purity diagnostics', () => {
  it('warns with file:line:col and a code frame for impurity in a reached helper', async () => {
    const out = await run(MAIN, [{ binding: 'stamp' }])
    expect(out!.warnings).toHaveLength(1)
    const w = out!.warnings[0]!
    expect(w.message).toContain(
      '[smart-cache] cached function src/main.js#f (through src/helpers.js#stamp) reads Date.now() at src/helpers.js:5:14',
    )
    expect(w.message).toContain('> 5 |   return x + Date.now()')
    expect(w.message).toMatch(/\|\s+\^/)
    expect([w.file, w.line, w.column]).toEqual(['src/helpers.js', 5, 13])
  })

  it('finds each source of impurity the issue lists', async () => {
    const code = `import { smartCache } from 'smart-cache'
import { writeFile } from 'node:fs/promises'
let mode = 'a'
export function setMode(m) { mode = m }
export const f = smartCache(async (x) => {
  const a = new Date()
  const b = new Date(0)
  const r = Math.random() + crypto.randomUUID().length + globalThis.crypto.getRandomValues(new Uint8Array(1))[0]
  const e = process.env.HOME
  await fetch('http://127.0.0.1:1/')
  await writeFile('x', 'y')
  return [a, b, r, e, mode, x]
})
`
    const out = await run(code, [])
    const found = out!.warnings.map(w =>
      w.message
        .match(/reads (.*) at (src\/main\.js:\d+:\d+)/)!
        .slice(1)
        .join(' @ '),
    )
    expect(found).toEqual([
      'new Date() without arguments @ src/main.js:6:13',
      'Math.random() @ src/main.js:8:13',
      'crypto.randomUUID() @ src/main.js:8:29',
      'crypto.getRandomValues() @ src/main.js:8:58',
      'process.env @ src/main.js:9:13',
      'fetch() @ src/main.js:10:9',
      "file or network I/O (`writeFile` from 'node:fs/promises') @ src/main.js:11:9",
      'module-level `let mode`, which is assigned elsewhere @ src/main.js:12:23',
    ])
  })

  it('a read of a file named new URL(./x, import.meta.url) is no impurity (the engine counts the file); other reads are', async () => {
    const code = `import { smartCache } from 'smart-cache'
import { readFileSync, writeFileSync } from 'node:fs'
import * as fs from 'node:fs/promises'
export const f = smartCache(async (x) => {
  const a = readFileSync(new URL('./data.json', import.meta.url), 'utf8')
  const b = await fs.readFile(new URL('../b.txt', import.meta.url))
  const c = await fetch(new URL('./c.txt', import.meta.url))
  const d = readFileSync(new URL(x, import.meta.url))
  const e = readFileSync('./data.json')
  writeFileSync(new URL('./out.txt', import.meta.url), a)
  return [a, b, c, d, e]
})
`
    const out = await run(code, [])
    expect(out!.warnings.map(w => w.message.match(/at (src\/main\.js:\d+:\d+)/)![1])).toEqual([
      'src/main.js:8:13',
      'src/main.js:9:13',
      'src/main.js:10:3',
    ])
  })

  it('covers process.env, file I/O and an assigned module-level let in reached helpers', async () => {
    const out = await run(MAIN, [{ binding: 'config' }, { binding: 'load' }, { binding: 'readsCounter' }, { binding: 'pure' }])
    expect(out!.warnings.map(w => w.message.split('\n')[0]!.replace(/;.*/, ''))).toEqual([
      '[smart-cache] cached function src/main.js#f (through src/helpers.js#config) reads process.env at src/helpers.js:8:35',
      "[smart-cache] cached function src/main.js#f (through src/helpers.js#load) reads file or network I/O (`readFileSync` from 'node:fs') at src/helpers.js:9:34",
      '[smart-cache] cached function src/main.js#f (through src/helpers.js#readsCounter) reads module-level `let counter`, which is assigned elsewhere at src/helpers.js:10:41',
    ])
  })

  it('is silenced by a comment, by diagnostics.allow and by level off', async () => {
    expect((await run(MAIN, [{ binding: 'quiet' }]))!.warnings).toEqual([])
    const silenced = `import { smartCache } from 'smart-cache'
// @smart-cache-allow-impure
export const f = smartCache(async () => Date.now())
`
    expect((await run(silenced, []))!.warnings).toEqual([])
    expect((await run(MAIN, [{ binding: 'stamp' }], { diagnostics: { allow: ['src/main.js#*'] } }))!.warnings).toEqual([])
    expect((await run(MAIN, [{ binding: 'stamp' }], { diagnostics: false }))!.warnings).toEqual([])
  })

  it('turns findings into errors with level error', async () => {
    const out = await run(MAIN, [{ binding: 'stamp' }], { diagnostics: 'error' })
    expect(out!.warnings).toEqual([])
    expect(out!.errors[0]!.message).toContain('reads Date.now()')
  })
})
