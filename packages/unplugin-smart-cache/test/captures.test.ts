import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { transformModule } from '../src/core/transform.js'
import { env, fakeEngine, tmpProject } from './helpers.js'

async function transform(code: string, file = 'src/mod.ts') {
  const root = tmpProject()
  return (await transformModule(code, join(root, file), env(root, fakeEngine())))!
}

/** `id → [names, values getter text]` of every meta with captures in the output. */
function capturesOf(code: string): Record<string, [string[], string[], string]> {
  const out: Record<string, [string[], string[], string]> = {}
  for (const m of code.matchAll(
    /id: "([^"]+)", fingerprint: "[0-9a-f]{64}", captures: \{ names: (\[[^\]]*\]), at: (\[[^\]]*\]), values: (\(\) => \[[^\]]*\]) \}/g,
  ))
    out[m[1]!] = [JSON.parse(m[2]!), JSON.parse(m[3]!), m[4]!]
  return out
}

describe('captured variables of enclosing functions (issue 13)', () => {
  it('passes the variables a cached closure reads from its enclosing function, with where each is first read', async () => {
    const out = await transform(`import { smartCache } from 'smart-cache'
export const scale = (k: number) => smartCache(async (x: number) => x * k)
`)
    expect(capturesOf(out.code)).toEqual({ 'src/mod.ts#scale': [['k'], ['src/mod.ts:2:73'], '() => [k]'] })
  })

  it('finds parameters (destructured, rest, defaults), locals, catch and loop bindings, `arguments` and `this`; not module-level bindings, globals or types', async () => {
    const out = await transform(`import { smartCache } from 'smart-cache'
const M = 3
type T = number
export function outer(a: T, { b }: { b: T }, [c] = [1], ...d: T[]) {
  let e = 1
  var unused = 0
  try {} catch (f) {
    for (const g of [1]) {
      const h = smartCache(async (x: T): Promise<T> => x + a + b + c + d.length + e + (f as T) + g + M + Math.max(1) + arguments.length + unused)
    }
  }
}
export class K {
  m() { return smartCache(async () => this) }
  field = smartCache(async () => this)
  static s = smartCache(async () => this)
  own() { return smartCache(async function () { return this }) }
}
`)
    const found = capturesOf(out.code)
    expect(found['src/mod.ts#outer.h']![0]).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'arguments', 'unused'])
    expect(found['src/mod.ts#outer.h']![2]).toBe('() => [a, b, c, d, e, f, g, arguments, unused]')
    expect(found['src/mod.ts#K.m']![0]).toEqual(['this'])
    expect(found['src/mod.ts#K.field']![0]).toEqual(['this'])
    // a static field's `this` is the class (code); a function's own `this` is not captured
    expect(found['src/mod.ts#K.s']).toBeUndefined()
    expect(found['src/mod.ts#K.own']).toBeUndefined()
    expect(out.errors).toEqual([])
  })

  it('treats local functions, classes and cached functions as code and captures what they read; shadowing inside the function is not a capture', async () => {
    const out = await transform(`import { smartCache } from 'smart-cache'
export function outer(k, unusedParam) {
  const helper = () => k + 1
  function viaThis() { return this }
  class Local { get v() { return n } }
  let n = 2
  const fib = smartCache(async (i) => (i < 2 ? helper() + new Local().v : fib(i - 1)))
  const shadow = smartCache(async (k) => { const n = 1; return k + n })
  return [fib, shadow, viaThis]
}
`)
    const found = capturesOf(out.code)
    expect(found['src/mod.ts#outer.fib']![0]).toEqual(['k', 'n'])
    expect(found['src/mod.ts#outer.shadow']).toBeUndefined()
  })

  it('a module-level cached function captures nothing; the directive on a nested declaration captures like a closure', async () => {
    const out = await transform(`import { smartCache } from 'smart-cache'
const base = 10
export const f = smartCache(async (x) => x + base)
export function make(step) {
  async function next(x) {
    'use smart-cache'
    return x + step
  }
  return next
}
`)
    expect(Object.keys(capturesOf(out.code))).toEqual(['src/mod.ts#make.next'])
    expect(capturesOf(out.code)['src/mod.ts#make.next']![0]).toEqual(['step'])
  })

  it('is a build error, located, when a captured name means another variable where the function is cached', async () => {
    const out = await transform(`import { smartCache } from 'smart-cache'
export function outer(k) {
  const helper = () => k
  return ((k) => smartCache(async () => helper() + k))(2)
}
`)
    expect(out.errors.map(e => e.message)).toEqual([
      expect.stringMatching(
        /^\[smart-cache\] src\/mod\.ts:3:24: the cached function reads `k` of an enclosing function through a helper, but another `k` is visible .*Fix: rename/,
      ),
    ])
  })
})

describe('what else the meta says (issue 13)', () => {
  it('async as declared (or typed as returning a Promise), and the name a directive rewrite would take away', async () => {
    const out = await transform(`import { smartCache } from 'smart-cache'
export const a = smartCache(async (x: number) => x)
export const p = smartCache((x: number): Promise<number> => Promise.resolve(x))
export const s = smartCache((x: number) => x)
export const half = (x: number) => {
  'use smart-cache'
  return x / 2
}
export const api = {
  twice(x: number) {
    'use smart-cache'
    return 2 * x
  },
}
`)
    expect(out.code).toMatch(/id: "src\/mod\.ts#a", fingerprint: "[0-9a-f]{64}", async: true \}/)
    expect(out.code).toMatch(/id: "src\/mod\.ts#p", fingerprint: "[0-9a-f]{64}", async: true \}/)
    expect(out.code).toMatch(/id: "src\/mod\.ts#s", fingerprint: "[0-9a-f]{64}" \}/)
    expect(out.code).toMatch(/id: "src\/mod\.ts#half", fingerprint: "[0-9a-f]{64}", name: "half" \}/)
    expect(out.code).toMatch(/id: "src\/mod\.ts#api\.twice", fingerprint: "[0-9a-f]{64}", name: "twice" \}/)
    // synchronous marks: errors for browser builds only (the plugin decides by platform)
    expect(out.syncMarks.map(d => d.message.split(' is a ')[0])).toEqual([
      '[smart-cache] src/mod.ts:4:18: s',
      '[smart-cache] src/mod.ts:5:21: half',
      '[smart-cache] src/mod.ts:10:8: twice',
    ])
    expect(out.syncMarks[0]!.message).toMatch(/Fix: make it async \(`async function s\(…\)`/)
    expect(out.errors).toEqual([])
  })
})
