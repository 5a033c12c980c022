import { join } from 'node:path'
import { parseSync } from 'oxc-parser'
import { describe, expect, it } from 'vitest'
import { transformModule } from '../src/core/transform.js'
import { env, fakeEngine, hashOf, runModule, runtimeLog, tmpProject } from './helpers.js'

async function transform(code: string, file = 'src/mod.js', options = {}) {
  const root = tmpProject()
  const engine = fakeEngine()
  const out = await transformModule(code, join(root, file), env(root, engine, options))
  return { root, engine, out }
}

function meta(id: string, extra = ''): string {
  return `{ __smartCache: 1, id: ${JSON.stringify(id)}, fingerprint: "${hashOf(id)}"${extra} }`
}

describe('marks: smartCache calls', () => {
  it('appends the meta to smartCache(fn) and smartCache(fn, opts), with any alias', async () => {
    const { out } = await transform(`import { smartCache as sc } from 'smart-cache'
export const a = sc(async (n) => n + 1)
export const b = sc(async (n) => n * 2, { maxAge: 5 })
`)
    expect(out!.code).toContain(`sc(async (n) => n + 1, undefined, ${meta('src/mod.js#a', ', async: true')})`)
    expect(out!.code).toContain(`sc(async (n) => n * 2, { maxAge: 5 }, ${meta('src/mod.js#b', ', async: true')})`)
    expect([...out!.functions.keys()]).toEqual(['src/mod.js#a', 'src/mod.js#b'])
  })

  it('recognises a namespace import, object keys, class members and default exports', async () => {
    const { out, engine } = await transform(`import * as SC from 'smart-cache'
const api = { sq: SC.smartCache(async x => x * x) }
class M { static cube = SC.smartCache(async x => x ** 3) }
export default SC.smartCache(async () => 1)
`)
    expect([...out!.functions.keys()]).toEqual(['src/mod.js#api.sq', 'src/mod.js#M.cube', 'src/mod.js#default'])
    expect(engine.calls).toEqual(['src/mod.js#api.sq', 'src/mod.js#M.cube', 'src/mod.js#default'])
  })

  it('ignores smartCache from another module and leaves unmarked modules alone', async () => {
    expect((await transform(`import { smartCache } from './smart-cache-lookalike'\nexport const f = smartCache(x => x)`)).out).toBeNull()
    const { out, engine } = await transform(`export const f = (x) => x`)
    expect(out).toBeNull()
    expect(engine.calls).toEqual([])
  })

  it('gives distinct ids to two marks under one binding, in source order', async () => {
    const { out } = await transform(`import { smartCache } from 'smart-cache'
export const pair = [smartCache(async a => a), smartCache(async b => b)]
`)
    expect([...out!.functions.keys()]).toEqual(['src/mod.js#pair', 'src/mod.js#pair~2'])
  })

  it('names a mark nested in a function after it, fingerprinting the enclosing binding', async () => {
    const { out, engine } = await transform(`import { smartCache } from 'smart-cache'
export function make() { const inner = smartCache(async a => a); return inner }
`)
    expect([...out!.functions.keys()]).toEqual(['src/mod.js#make.inner'])
    expect(engine.calls).toEqual(['src/mod.js#make'])
  })

  it('warns about a mark no binding holds and leaves it unchanged', async () => {
    const code = `import { smartCache } from 'smart-cache'\nrun(smartCache(async a => a))\n`
    const { out } = await transform(code)
    expect(out!.code).toBe(code)
    expect(out!.warnings[0]!.message).toMatch(/^\[smart-cache\] src\/mod\.js:2:5: .*no stable id/)
  })

  it('rewrites the decorator form', async () => {
    const { out } = await transform(`import { smartCache } from 'smart-cache'
export class Geo {
  @smartCache area(r) { return r * r }
  @smartCache({ maxAge: 1 }) peri(r) { return 2 * r }
  @smartCache() vol(r) { return r }
}
`)
    expect(out!.code).toContain(`@smartCache(undefined, ${meta('src/mod.js#Geo.area')}) area(r)`)
    expect(out!.code).toContain(`@smartCache({ maxAge: 1 }, ${meta('src/mod.js#Geo.peri')}) peri(r)`)
    expect(out!.code).toContain(`@smartCache(undefined, ${meta('src/mod.js#Geo.vol')}) vol(r)`)
  })

  it('warns about a call shape it cannot extend and leaves it unchanged', async () => {
    const code = `import { smartCache } from 'smart-cache'\nexport const f = smartCache(...parts)\n`
    const { out } = await transform(code)
    expect(out!.code).toBe(code)
    expect(out!.warnings[0]!.message).toMatch(
      /^\[smart-cache\] src\/mod\.js:2:18: expected smartCache\(fn\) or smartCache\(fn, options\).*Fix:/,
    )
    expect(out!.functions.size).toBe(0)
  })

  it('leaves a module with a syntax error to the bundler', async () => {
    const { out } = await transform(`import { smartCache } from 'smart-cache'\nexport const f = smartCache(async (a => a)\n`)
    expect(out).toBeNull()
  })

  it('warns and writes `fingerprint: null` (run uncached) when the engine fails', async () => {
    const root = tmpProject()
    const engine = fakeEngine({}, ['src/mod.js#f'])
    const code = `import { smartCache } from 'smart-cache'\nexport const f = smartCache(async a => a)\n`
    const out = await transformModule(code, join(root, 'src/mod.js'), env(root, engine))
    expect(out!.code).toContain(
      'smartCache(async a => a, undefined, { __smartCache: 1, id: "src/mod.js#f", fingerprint: null, async: true })',
    )
    expect(out!.warnings[0]!.message).toContain('fingerprint engine failed for src/mod.js#f')
    expect(out!.functions.has('src/mod.js#f')).toBe(false)
  })
})

describe("directive 'use smart-cache'", () => {
  it('keeps a function declaration hoisted, named, with its length, and recursion goes through the cache', async () => {
    const { root, out } = await transform(`let calls = 0
export const early = await fib(10)
export function count() { return calls }
export async function fib(n, unused = 0) {
  'use smart-cache'
  calls++
  return n < 2 ? n : (await fib(n - 1)) + (await fib(n - 2))
}
`)
    expect(out!.code).toContain(`import { smartCache as __smartCache_smartCache0 } from "smart-cache";`)
    const mod = await runModule(root, 'src/mod.mjs', out!.code)
    expect(mod.early).toBe(55)
    expect(mod.count()).toBe(11)
    expect(await mod.fib(30)).toBe(832040)
    expect(mod.count()).toBe(31)
    expect(mod.fib.name).toBe('fib')
    expect(mod.fib.length).toBe(1)
    expect((await runtimeLog(root)).map(m => m.id)).toEqual(['src/mod.js#fib'])
  })

  it('wraps arrows and function expressions; a named expression calling itself is routed through the cache', async () => {
    const { root, out } = await transform(`let calls = 0
export const count = () => calls
export const double = async (n) => { 'use smart-cache'; calls++; return n * 2 }
export const fact = async function f(n) { 'use smart-cache'; calls++; return n <= 1 ? 1 : n * await f(n - 1) }
`)
    const mod = await runModule(root, 'src/mod.mjs', out!.code)
    expect(await mod.double(4)).toBe(8)
    expect(await mod.double(4)).toBe(8)
    expect(mod.count()).toBe(1)
    expect(await mod.fact(5)).toBe(120)
    expect(mod.count()).toBe(6)
    expect(await mod.fact(6)).toBe(720)
    expect(mod.count()).toBe(7)
    expect((await runtimeLog(root)).map(m => m.id)).toEqual(['src/mod.js#double', 'src/mod.js#fact'])
  })

  it('caches object and class methods, keying `this` only when the method uses it', async () => {
    const { root, out } = await transform(`let calls = 0
export const count = () => calls
export const obj = { async sq(n) { 'use smart-cache'; calls++; return n * n } }
export class Acc {
  constructor(base) { this.base = base }
  async add(n) { 'use smart-cache'; calls++; return this.base + n }
  static async neg(n) { 'use smart-cache'; calls++; return -n }
}
`)
    expect(out!.code).toContain('name: "add", static: false')
    expect(out!.code).not.toContain('name: "neg"')
    const mod = await runModule(root, 'src/mod.mjs', out!.code)
    expect(await mod.obj.sq(3)).toBe(9)
    expect(await mod.obj.sq(3)).toBe(9)
    expect(mod.count()).toBe(1)
    const a = new mod.Acc(10)
    const b = new mod.Acc(20)
    expect(await a.add(1)).toBe(11)
    expect(await b.add(1)).toBe(21)
    expect(await a.add(1)).toBe(11)
    expect(mod.count()).toBe(3)
    expect(await mod.Acc.neg(2)).toBe(-2)
    expect(await mod.Acc.neg(2)).toBe(-2)
    expect(mod.count()).toBe(4)
    expect(mod.Acc.prototype.add.length).toBe(1)
  })

  it('gives a nested declaration a slot per call of its enclosing function', async () => {
    const { root, out } = await transform(`export function outer(k) {
  async function inner(n) { 'use smart-cache'; return n + k }
  return inner
}
`)
    expect(out!.functions.has('src/mod.js#outer.inner')).toBe(true)
    const mod = await runModule(root, 'src/mod.mjs', out!.code)
    expect(await mod.outer(1)(1)).toBe(2)
    expect(await mod.outer(2)(1)).toBe(3)
  })

  it('refuses generators, getters and methods using super, with a located warning', async () => {
    const code = `export function* g() { 'use smart-cache'; yield 1 }
export const o = { get v() { 'use smart-cache'; return 1 } }
class B { m() { return 1 } }
export class C extends B { m() { 'use smart-cache'; return super.m() } }
`
    const { out } = await transform(code)
    expect(out!.code).toBe(code)
    expect(out!.warnings.map(w => w.message.split(': ').slice(0, 2).join(': '))).toEqual([
      "[smart-cache] src/mod.js:1:8: a generator cannot be cached; the function is left uncached (remove 'use smart-cache' to silence this).",
      "[smart-cache] src/mod.js:2:25: a getter or setter cannot be cached; the function is left uncached (remove 'use smart-cache' to silence this).",
      "[smart-cache] src/mod.js:4:29: a method using `super` cannot be cached by the directive; use the @smartCache decorator; the function is left uncached (remove 'use smart-cache' to silence this).",
    ])
  })

  it('keeps TypeScript valid', async () => {
    const { out } = await transform(
      `export async function area<T extends number>(this: void, r: T, k?: number): Promise<number> {
  'use smart-cache'
  return r * r
}
export class S { private n = 1; async get(x: number): Promise<number> { 'use smart-cache'; return x + this.n } }
`,
      'src/geo.ts',
    )
    const parsed = parseSync('geo.ts', out!.code)
    expect(parsed.errors).toEqual([])
    expect(out!.code).toMatch(/function area<T extends number>\(__smartCache_fn\d_0, __smartCache_fn\d_1\): Promise<number>/)
  })
})
