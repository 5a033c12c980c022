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

  it('makes a mark no binding holds run uncached (it was cached on its source text alone), and warns', async () => {
    const code = `import { smartCache } from 'smart-cache'\nrun(smartCache(async a => a))\n`
    const { out, engine } = await transform(code)
    expect(out!.code).toContain(`smartCache(async a => a, undefined, { __smartCache: 1, id: "src/mod.js:2:5", fingerprint: null })`)
    expect(out!.warnings[0]!.message).toMatch(
      /^\[smart-cache\] src\/mod\.js:2:5: .*not held by a module-level binding.*runs uncached.*Fix:/,
    )
    expect(engine.calls).toEqual([])
    expect(out!.functions.size).toBe(0)
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

  it('makes a call shape it cannot extend run uncached, and warns', async () => {
    const code = `import { smartCache } from 'smart-cache'\nexport const f = smartCache(...parts)\n`
    const { out } = await transform(code)
    expect(out!.code).toMatch(/export const f = (__smartCache_unseen\d+)\(\.\.\.parts\)/)
    expect(out!.code).toContain('(...args) { return smartCache(...args, { __smartCache: 1, id: "src/mod.js:2:18", fingerprint: null }) }')
    expect(out!.warnings[0]!.message).toMatch(
      /^\[smart-cache\] src\/mod\.js:2:18: expected smartCache\(fn\) or smartCache\(fn, options\).*runs uncached.*Fix:/,
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

describe('escapes: smartCache used other than by a call the plugin rewrites', () => {
  const NULL_META = (at: string) => `{ __smartCache: 1, id: "src/mod.js:${at}", fingerprint: null }`

  it('re-exports pass a null fingerprint, keep the other specifiers, and warn with the place', async () => {
    const { out } = await transform(`export { configure, smartCache as cached } from 'smart-cache'\n`)
    expect(out!.code).toMatch(/export \{ configure \} from "smart-cache"; export \{ (__smartCache_unseen\d+) as cached \};/)
    expect(out!.code).toContain(`return __smartCache_runtime`)
    expect(out!.code).toContain(NULL_META('1:21'))
    expect(out!.warnings.map(w => w.message)).toEqual([
      expect.stringMatching(/^\[smart-cache\] src\/mod\.js:1:21: smartCache is re-exported here as 'cached'.*run uncached.*Fix:/),
    ])
  })

  it('export * and export * as: the explicit export wins over the star, the namespace is wrapped', async () => {
    const star = (await transform(`export * from 'smart-cache'\n`)).out!
    expect(star.code).toMatch(/export \* from 'smart-cache' export \{ __smartCache_unseen\d+ as smartCache \};/)
    const ns = (await transform(`export * as SC from 'smart-cache'\n`)).out!
    expect(ns.code).toMatch(
      /import \* as (__smartCache_namespace\d+) from "smart-cache"; var (__smartCache_unseenNamespace\d+) = __smartCache_unseenNamespace\d+\(\1\); export \{ \2 as "SC" \};/,
    )
  })

  it('aliases, values and exports of the import; namespaces passed on; import() and require()', async () => {
    const { out } = await transform(`import { smartCache } from 'smart-cache'
import * as SC from 'smart-cache'
export const a = smartCache
export default SC.smartCache
const o = { smartCache }
export { smartCache as cached, SC }
use(SC)
SC.configure({})
const m = import('smart-cache')
`)
    const code = out!.code
    expect(code).toMatch(/export const a = __smartCache_unseen\d+/)
    expect(code).toMatch(/export default __smartCache_unseen\d+/)
    expect(code).toMatch(/const o = \{ smartCache: __smartCache_unseen\d+ \}/)
    expect(code).toMatch(/export \{ __smartCache_unseen\d+ as cached, __smartCache_unseenNamespace\d+ as SC \}/)
    expect(code).toMatch(/use\(__smartCache_unseenNamespace\d+\(SC\)\)/)
    expect(code).toContain('SC.configure({})')
    expect(code).toMatch(/import\('smart-cache'\)\.then\(__smartCache_unseenNamespace\d+\)/)
    expect(out!.warnings.map(w => w.message.match(/mod\.js:(\d+:\d+)/)![1])).toEqual([
      '3:18',
      '4:16',
      '5:13',
      '6:10',
      '6:32',
      '7:5',
      '9:11',
    ])
  })

  it('require: module-level bindings are marks like imports; any other require is wrapped', async () => {
    const { out, engine } = await transform(`const { smartCache } = require('smart-cache')
const sc = require('smart-cache')
exports.f = smartCache(async n => n)
module.exports.g = sc.smartCache(async n => n)
exports.h = require('smart-cache').smartCache(async n => n)
`)
    expect(engine.calls).toEqual(['src/mod.js#f', 'src/mod.js#g'])
    expect([...out!.functions.keys()]).toEqual(['src/mod.js#f', 'src/mod.js#g'])
    expect(out!.code).toMatch(/exports\.h = __smartCache_unseenNamespace\d+\(require\('smart-cache'\)\)\.smartCache/)
    expect(out!.warnings.map(w => w.message)).toContainEqual(
      expect.stringMatching(/mod\.js:5:13: 'smart-cache' is loaded here with require\(\)/),
    )
  })

  it('names CommonJS exports: module.exports = { f: smartCache(…) }', async () => {
    const { engine } = await transform(`const { smartCache } = require('smart-cache')
module.exports = { f: smartCache(async n => n) }
`)
    expect(engine.calls).toEqual(['src/mod.js#f'])
  })

  it('leaves types, shadowing locals and unrelated members alone', async () => {
    const { out } = await transform(
      `import { smartCache } from 'smart-cache'
type F = typeof smartCache
function local(smartCache: unknown) { return smartCache }
export const f = smartCache(async (n: number) => n)
`,
      'src/mod.ts',
    )
    expect(out!.warnings).toEqual([])
    expect(out!.code).not.toContain('__smartCache_unseen')
  })

  it('a wrapper that receives the function: runs uncached with the reason, no capture of the function', async () => {
    const { out, engine } = await transform(`import { smartCache } from 'smart-cache'
export const withDefaults = (fn) => smartCache(fn, { maxAge: 1 })
export function make(rate) { return smartCache(async n => n * rate) }
`)
    expect(out!.code).toContain(`smartCache(fn, { maxAge: 1 }, { __smartCache: 1, id: "src/mod.js#withDefaults", fingerprint: null })`)
    expect(out!.warnings.map(w => w.message)).toEqual([
      expect.stringMatching(/mod\.js:2:37: smartCache is given a function taken from `fn`.*run uncached.*Fix:/),
    ])
    // A closure written where it is cached keeps its captures and its fingerprint.
    expect(engine.calls).toEqual(['src/mod.js#make'])
    expect(out!.code).toContain('captures: { names: ["rate"]')
  })
})
