// Issue 6: the plugin's transform, with the real engine, on random and malformed modules that mention
// smartCache: it returns null (the bundler reports syntax errors), valid rewritten code, or a clear
// `[smart-cache]` error; never an internal crash or a hang (fast-check, fixed seeds).
import type { Engine } from '../src/core/engine.js'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { parseSync } from 'oxc-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../src/core/engine.js'
import { transformModule } from '../src/core/transform.js'
import { env, tmpProject } from './helpers.js'

const CASE_TIMEOUT_MS = 20_000
const VALID = `import { smartCache } from 'smart-cache'
import { add } from './add.js'

export const fib = smartCache(async (n) => (n < 2 ? n : add(await fib(n - 1), await fib(n - 2))), { maxAge: 1000 })

export async function total(xs) {
  'use smart-cache'
  let s = 0
  for (const x of xs) s = add(s, x)
  return s
}

export class Report {
  @smartCache
  async build(id) { return { id, at: Date.now() } }
  static helper = smartCache(async () => this.name)
}
const obj = { async m() { 'use smart-cache'; return this.k }, k: 1 }
export default smartCache(function named(a) { return a })
`
const TOKENS = [
  'smartCache(',
  'smartCache',
  "'use smart-cache'",
  '@smartCache',
  '@smartCache()',
  '{',
  '}',
  '(',
  ')',
  ';',
  ',',
  '=>',
  'async',
  'function',
  'function*',
  'class',
  'static',
  'get ',
  'set ',
  'super.x',
  'this',
  'await',
  'yield',
  'export',
  'export default',
  'import',
  '`${',
  '`',
  '/*',
  '*/',
  '//',
  '"',
  "'",
  '\\',
  '#p',
  '\u0000',
  '\uFEFF',
  '\u2028',
  '\n',
  ' ',
  'x',
  'n',
  'new Date()',
  'Math.random()',
]

const mutated = fc
  .array(
    fc.oneof(
      fc.record({ at: fc.nat(), insert: fc.constantFrom(...TOKENS) }),
      fc.record({ at: fc.nat(), insert: fc.string({ unit: 'binary', maxLength: 5 }) }),
      fc.record({ at: fc.nat(), remove: fc.integer({ min: 1, max: 10 }) }),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map(edits => {
    let s = VALID
    for (const e of edits) {
      const at = e.at % (s.length + 1)
      s = 'insert' in e ? s.slice(0, at) + e.insert + s.slice(at) : s.slice(0, at) + s.slice(at + e.remove)
    }
    return s
  })
const soup = fc
  .string({ unit: fc.constantFrom(...TOKENS), minLength: 1, maxLength: 40 })
  .map(s => `import { smartCache } from 'smart-cache'\n${s}`)

/** Valid fragments: every mark form in odd places, so that most composed modules parse. */
const FRAGMENTS = [
  'export const a = smartCache(async (x) => x + 1)',
  'export const b = smartCache(async function (x) { return x * 2 }, { maxAge: 5 })',
  'const c = smartCache(x => x)\nexport { c as renamed }',
  'export default smartCache(async () => 42)',
  'export async function d(x) {\n  "use smart-cache"\n  return x\n}',
  'export function* gen() {\n  "use smart-cache"\n  yield 1\n}',
  'export class K {\n  @smartCache\n  async m(x) { return this.v + x }\n  @smartCache({ maxAge: 1 })\n  static s(x) { return x }\n  get g() { "use smart-cache"; return 1 }\n}',
  'export class Sub extends Object {\n  async m() { "use smart-cache"; return super.toString() }\n}',
  'function outer() {\n  class Inner { m() { "use smart-cache"; return this } }\n  return smartCache(async () => new Inner())\n}',
  'export const obj = { async m() { "use smart-cache"; return this.k }, k: 1, n: smartCache(async () => 2) }',
  'export const ü = smartCache(async (ñ) => ñ)',
  'export const [x1, x2] = [smartCache(async () => 1), smartCache(async () => 2)]',
  'export const nested = smartCache(async () => smartCache(async () => 1))',
  'export const impure = smartCache(async () => Math.random() + Date.now())',
  'smartCache(async () => 1)',
  'export const noFn = smartCache()',
  'export const notFn = smartCache(42, 43, 44)',
  'let late\nlate = smartCache(async () => 3)',
  'export const arrowDirective = async () => { "use smart-cache"; return 1 }',
  'const { smartCache: shadow } = { smartCache: (f) => f }\nexport const sh = shadow(async () => 1)',
  'export function usesShadow(smartCache) { return smartCache(async () => 1) }',
  '#!/usr/bin/env node',
  '// comment with smartCache( and "use smart-cache"',
  'export const t = `${smartCache}`',
]
const composed = fc
  .array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 6 })
  .map(parts => `import { smartCache } from 'smart-cache'\n${parts.join('\n')}\n`)

const parses = (file: string, code: string) =>
  parseSync(file, code, { sourceType: 'module', lang: 'js' }).errors.every(e => e.severity !== 'Error')

describe('fuzz: the plugin transform on random and malformed modules (real engine)', () => {
  let root: string
  let engine: Engine
  let n = 0
  const tally = { cases: 0, rewritten: 0, untouched: 0, clearErrors: 0 }
  beforeAll(async () => {
    root = tmpProject()
    mkdirSync(join(root, 'src'), { recursive: true })
    writeFileSync(join(root, 'src/add.js'), 'export function add(a, b) { return a + b }\n')
    engine = await createEngine(root, false)
  })
  afterAll(async () => {
    await engine?.close?.()
    rmSync(root, { recursive: true, force: true })
    console.log(
      `[reliability] fuzz plugin (vitest run packages/unplugin-smart-cache/test/fuzz-transform.test.ts): ${JSON.stringify(tally)}, 0 internal crashes, 0 hangs, 0 invalid outputs`,
    )
  })

  async function check(code: string): Promise<void> {
    const file = join(root, 'src', `m${n++}.js`)
    writeFileSync(file, code)
    tally.cases++
    let timer: NodeJS.Timeout | undefined
    const hang = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`HANG: no answer in ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS)),
    )
    let out: Awaited<ReturnType<typeof transformModule>>
    try {
      out = await Promise.race([transformModule(code, file, env(root, engine)), hang])
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      expect(message, `source ${JSON.stringify(code).slice(0, 400)}`).toMatch(/^\[smart-cache\] /)
      tally.clearErrors++
      return
    } finally {
      clearTimeout(timer)
    }
    if (out === null) return void tally.untouched++
    tally.rewritten++
    // The rewrite never breaks a module that parsed.
    if (parses(file, code)) expect(parses(file, out.code), `output of ${JSON.stringify(code)}:\n${out.code}`).toBe(true)
    for (const d of [...out.warnings, ...out.errors]) expect(d.message).toMatch(/^\[smart-cache\] /)
  }

  it('the valid module is rewritten', async () => {
    await check(VALID)
    expect(tally.rewritten).toBe(1)
  })

  it('mutations of a module using every mark form', async () => {
    await fc.assert(fc.asyncProperty(mutated, check), { numRuns: 200, seed: 611 })
  })

  it('modules composed of valid fragments using every mark form in odd places', async () => {
    await fc.assert(fc.asyncProperty(composed, check), { numRuns: 200, seed: 613 })
  })

  it('token soup around smartCache marks', async () => {
    await fc.assert(fc.asyncProperty(soup, check), { numRuns: 150, seed: 612 })
  })
})
