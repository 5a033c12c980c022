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
})
