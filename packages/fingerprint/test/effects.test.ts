import { describe, expect, it } from 'vitest'
import { fingerprintOf } from './helpers.ts'

/** The effect analysis's precision rules, each with the soundness case it must not break. */
describe('effects of top-level code', () => {
  const curry = `export function curry(fn) { return function curried(a) { return fn(a) } }`

  it('a curried function passed to a call at load is not data that call may change', async () => {
    const files = {
      'curry.ts': curry,
      'add.ts': `import { curry } from './curry'\nexport const add = curry(function add(a) { return a + 1 })`,
      'sum.ts': `import { add } from './add'\nimport { fold } from './fold'\nexport const sum = fold(add, 0)`,
      'fold.ts': `export function fold(f, z) { return (xs) => xs.reduce((a, x) => a + f(x), z) }`,
      'main.ts': `import { add } from './add'\nimport './sum'\nexport function f(x) { return add(x) }`,
    }
    // fold is not reached by f: editing it changes nothing f runs.
    const edited = { ...files, 'fold.ts': `export function fold(f, z) { return (xs) => xs.reduce((a, x) => a - f(x), z) }` }
    expect(await fingerprintOf(edited)).toBe(await fingerprintOf(files))
  })

  it('a decorator runs when its class is defined: what it writes at load counts', async () => {
    const files = (rate: number) => ({
      'config.ts': `export const config = { rate: 1 }`,
      'setup.ts': `import { config } from './config'\nfunction init(c: unknown) { config.rate = ${rate}; return c }\n@init\nexport class Init {}`,
      'main.ts': `import { config } from './config'\nimport './setup'\nexport function f(x) { return x * config.rate }`,
    })
    expect(await fingerprintOf(files(3))).not.toBe(await fingerprintOf(files(2)))
  })

  it('an object made by a call and passed to a call at load may be changed by it', async () => {
    const files = {
      'limits.ts': `export function makeLimits() { return { max: 1 } }\nexport const limits = makeLimits()`,
      'setup.ts': `import { limits } from './limits'\nimport { configure } from './configure'\nconfigure(limits)`,
      'configure.ts': `export function configure(l) { l.max = 10 }`,
      'main.ts': `import { limits } from './limits'\nimport './setup'\nexport function f(x) { return Math.min(x, limits.max) }`,
    }
    const edited = { ...files, 'configure.ts': `export function configure(l) { l.max = 20 }` }
    expect(await fingerprintOf(edited)).not.toBe(await fingerprintOf(files))
  })

  it('a function that returns a function or an object is data when it may return the object', async () => {
    const files = {
      'make.ts': `export function make(flag) { if (flag) return { max: 1 }\nreturn function g() {} }`,
      'limits.ts': `import { make } from './make'\nexport const limits = make(true)`,
      'setup.ts': `import { limits } from './limits'\nimport { configure } from './configure'\nconfigure(limits)`,
      'configure.ts': `export function configure(l) { l.max = 10 }`,
      'main.ts': `import { limits } from './limits'\nimport './setup'\nexport function f(x) { return Math.min(x, limits.max) }`,
    }
    const edited = { ...files, 'configure.ts': `export function configure(l) { l.max = 20 }` }
    expect(await fingerprintOf(edited)).not.toBe(await fingerprintOf(files))
  })

  it('setup calling code that reaches several writers counts for what each of them writes', async () => {
    // both() and via() write nothing themselves: what both() may change is the union of what writeA and
    // writeB change, and via() may change what both() does.
    const files = (n: number) => ({
      'a.ts': `export const a = { value: 1 }\nexport function writeA(v) { a.value = v }`,
      'b.ts': `export const b = { value: 1 }\nexport function writeB(v) { b.value = v }`,
      'both.ts': `import { writeA } from './a'\nimport { writeB } from './b'\nexport function both(v) { writeA(v); writeB(v) }`,
      'via.ts': `import { both } from './both'\nexport function via(v) { both(v) }`,
      'setup.ts': `import { via } from './via'\nvia(${n})`,
      'main.ts': `import { a } from './a'\nimport { b } from './b'\nimport './setup'\nexport function f(x) { return x * a.value }\nexport function g(x) { return x * b.value }`,
    })
    expect(await fingerprintOf(files(3))).not.toBe(await fingerprintOf(files(4)))
    expect(await fingerprintOf(files(3), 'main.ts#g')).not.toBe(await fingerprintOf(files(4), 'main.ts#g'))
  })

  /** The runtime, installed as a package (as users get it), and a module with two cached functions. */
  const runtime = {
    'node_modules/smart-cache/package.json': JSON.stringify({
      name: 'smart-cache',
      version: '1.0.0',
      type: 'module',
      exports: './index.js',
    }),
    'node_modules/smart-cache/index.js': `export const registry = []\nexport function smartCache(fn) { registry.push(fn); return fn }\nexport function configure(o) { registry.push(o) }`,
  }
  const two = (g: string) => ({
    ...runtime,
    'main.ts': `import { smartCache } from 'smart-cache'\nexport const f = smartCache(async (x) => x + 1)\nexport const g = smartCache(async (x) => ${g})`,
  })

  it("editing one cached function does not change another's fingerprint: the runtime's calls are no module setup", async () => {
    expect(await fingerprintOf(two('x * 2'))).toBe(await fingerprintOf(two('x * 3')))
    // …and the edited one does change (the rule reaches only what other functions compute).
    expect(await fingerprintOf(two('x * 2'), 'main.ts#g')).not.toBe(await fingerprintOf(two('x * 3'), 'main.ts#g'))
  })

  it('a call into any other package at load still counts as setup of the functions reaching that package', async () => {
    const lib = (n: number) => ({
      'node_modules/lib/package.json': JSON.stringify({ name: 'lib', version: '1.0.0', type: 'module', exports: './index.js' }),
      'node_modules/lib/index.js': `export const state = { n: 0 }\nexport function setN(n) { state.n = n }\nexport function read() { return state.n }`,
      'main.ts': `import { setN, read } from 'lib'\nsetN(${n})\nexport function f(x) { return x + read() }`,
    })
    expect(await fingerprintOf(lib(1))).not.toBe(await fingerprintOf(lib(2)))
  })

  // Module state reached through a function that returns it (a store accessor, Pinia's useStore()):
  // before, writes through the call's result were no writes at all, so the setup below was ignored
  // and the target kept its fingerprint (and the old value) when it changed.
  describe('writes through what a call returns', () => {
    const state = { 'state.ts': `const state = { k: 1, items: [1] }\nexport const getState = () => state` }
    const main = {
      'main.ts': `import { getState } from './state'\nimport './setup'\nexport function f(n) { return n * getState().k + getState().items.length }`,
    }
    it.each([
      ['getState().k = 2', 'getState().k = 3'],
      ['getState().items.push(2)', 'getState().items.push(2, 3)'],
      ['Object.assign(getState(), { k: 2 })', 'Object.assign(getState(), { k: 3 })'],
      ['const s = getState()\ns.k = 2', 'const s = getState()\ns.k = 3'],
    ])('%s -> %s changes the target', async (before, after) => {
      const setup = (code: string) => ({ 'setup.ts': `import { getState } from './state'\n${code}` })
      expect(await fingerprintOf({ ...state, ...main, ...setup(after) })).not.toBe(
        await fingerprintOf({ ...state, ...main, ...setup(before) }),
      )
    })

    it('what a global call returns is no module state: a DOM write at load stays out', async () => {
      const files = {
        'boot.ts': `document.querySelector('#app').textContent = 'a'`,
        'main.ts': `import './boot'\nexport function f(n) { return n * 2 }`,
      }
      const edited = { ...files, 'boot.ts': `document.querySelector('#app').textContent = 'b'` }
      expect(await fingerprintOf(edited)).toBe(await fingerprintOf(files))
    })
  })
})
