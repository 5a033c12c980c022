import { describe, expect, it } from 'vitest'
import { fingerprintOf } from './helpers.ts'

/**
 * Pairs of one-file projects (`main.ts`, target `f` unless stated): the fingerprint must stay the
 * same, or must change. Each pair isolates one normalization rule.
 */
interface Pair {
  name: string
  a: string
  b: string
  file?: string
}

const same: Pair[] = [
  { name: 'double vs single quotes', a: `export const f = () => 'x'`, b: `export const f = () => "x"` },
  { name: 'string escapes', a: `export const f = () => 'A\\n'`, b: `export const f = () => '\\x41\\u000a'` },
  {
    name: 'numeric spelling 1000 / 1e3 / 0x3e8 / 1_000',
    a: `export const f = () => [1000, 1000, 1000]`,
    b: `export const f = () => [1e3, 0x3e8, 1_000]`,
  },
  { name: 'bigint spelling', a: `export const f = () => 255n`, b: `export const f = () => 0xffn` },
  {
    name: 'semicolons and newlines',
    a: `export function f(a) { const b = a; return b }`,
    b: `export function f(a) {\n  const b = a;\n\n  return b;\n}\n`,
  },
  { name: 'trailing commas', a: `export const f = (a, b) => [a, b]`, b: `export const f = (a, b,) => [a, b,]` },
  {
    name: 'block and line comments',
    a: `export function f() { return 1 }`,
    b: `/** doc */\nexport function f() { /* a */ return 1 // b\n}`,
  },
  { name: 'redundant parentheses', a: `export const f = (a, b) => a + b * 2`, b: `export const f = (a, b) => (a) + ((b * 2))` },
  { name: 'parameter renamed', a: `export function f(a, b) { return a - b }`, b: `export function f(x, y) { return x - y }` },
  {
    name: 'nested closure locals renamed',
    a: `export function f(xs) { return xs.map(v => { const w = v * 2; return w }) }`,
    b: `export function f(list) { return list.map(item => { const twice = item * 2; return twice }) }`,
  },
  {
    name: 'catch parameter renamed',
    a: `export function f() { try { return 1 } catch (e) { return e } }`,
    b: `export function f() { try { return 1 } catch (err) { return err } }`,
  },
  {
    name: 'destructured locals renamed',
    a: `export function f({ a: x, b: [y] }) { return x + y }`,
    b: `export function f({ a: p, b: [q] }) { return p + q }`,
  },
  {
    name: 'hoisted inner function renamed',
    a: `export function f() { return g(); function g() { return 1 } }`,
    b: `export function f() { return h(); function h() { return 1 } }`,
  },
  {
    name: 'loop variables renamed',
    a: `export function f(n) { let i = 0; while (i < n) i++; return i }`,
    b: `export function f(m) { let k = 0; while (k < m) k++; return k }`,
  },
  {
    name: 'type annotations, interfaces, aliases',
    a: `export function f(a) { return a.x }`,
    b: `interface P { x: number }\ntype Q = P\nexport function f(a: Q): number { return a.x }`,
  },
  {
    name: 'as / ! / satisfies / <T>',
    a: `export function f(a) { return a.x }`,
    b: `export function f(a: unknown) { return ((a as any)!.x satisfies number) }`,
  },
  {
    name: 'generic type parameters and arguments',
    a: `export function f(a) { return g(a) }\nfunction g(x) { return x }`,
    b: `export function f<T>(a: T) { return g<T>(a) }\nfunction g<U>(x: U): U { return x }`,
  },
  {
    name: 'import type and type-only specifiers',
    a: `import { v } from './v'\nexport function f() { return v }`,
    b: `import type { T } from './t'\nimport { type U, v } from './v'\nexport function f(): T | U { return v as any }`,
  },
  { name: 'optional parameter marker', a: `export function f(a) { return a }`, b: `export function f(a?: number) { return a }` },
  {
    name: 'accessibility and readonly on class members',
    a: `export class f { x = 1; m() { return this.x } }`,
    b: `export class f { private readonly x: number = 1; public m(): number { return this.x } }`,
  },
  {
    name: 'declare fields and overload signatures',
    a: `export class f { m(a) { return a } }`,
    b: `export class f { declare y: number; m(a: string): string; m(a: number): number; m(a: any) { return a } }`,
  },
  { name: 'this parameter', a: `export function f() { return this }`, b: `export function f(this: Window) { return this }` },
  {
    name: 'object key quoted or not',
    a: `export const f = () => ({ a: 1, 'b-c': 2 })`,
    b: `export const f = () => ({ 'a': 1, "b-c": 2 })`,
  },
  { name: 'member access o["x"] vs o.x', a: `export const f = (o) => o.x`, b: `export const f = (o) => o['x']` },
  { name: 'shorthand property', a: `export const f = (a) => ({ a: a })`, b: `export const f = (a) => ({ a })` },
  {
    name: 'unreferenced module code changes',
    a: `const U = 1\nexport function f() { return 2 }`,
    b: `const U = 3\nfunction other() { return U }\nexport function f() { return 2 }`,
  },
  {
    name: 'declaration order of helpers',
    a: `function g() { return 1 }\nconst K = 2\nexport function f() { return g() + K }`,
    b: `export function f() { return g() + K }\nconst K = 2\nfunction g() { return 1 }`,
  },
  {
    name: 'helper variable renamed consistently',
    a: `const g = 1\nexport function f() { return g }`,
    b: `const helper = 1\nexport function f() { return helper }`,
  },
  {
    name: 'private name renamed consistently',
    a: `export class f { #x = 1; g() { return this.#x } }`,
    b: `export class f { #y = 1; g() { return this.#y } }`,
  },
  {
    name: 'enum declared as const enum spelled the same',
    a: `enum E { A = 1 }\nexport const f = () => E.A`,
    b: `enum E {\n  A = 1,\n}\nexport const f = () => E.A`,
  },
  {
    name: 'JSX whitespace between attributes',
    a: `export const f = () => <a href="x" id="y">t</a>`,
    b: `export const f = () => <a  href="x"\n id="y">t</a>`,
    file: 'main.tsx',
  },
  { name: 'unused import added', a: `export const f = () => 1`, b: `import { z } from './z'\nexport const f = () => 1` },
  { name: 'BOM at start of file', a: `export const f = () => 1`, b: `\uFEFFexport const f = () => 1` },
]

const changed: Pair[] = [
  { name: 'string literal', a: `export const f = () => 'a'`, b: `export const f = () => 'b'` },
  { name: 'number literal', a: `export const f = () => 1`, b: `export const f = () => 2` },
  { name: 'boolean literal', a: `export const f = () => true`, b: `export const f = () => false` },
  { name: 'null vs undefined', a: `export const f = () => null`, b: `export const f = () => undefined` },
  { name: 'operator', a: `export const f = (a, b) => a + b`, b: `export const f = (a, b) => a * b` },
  { name: 'operand order', a: `export const f = (a, b) => a / b`, b: `export const f = (a, b) => b / a` },
  { name: '== vs ===', a: `export const f = (a, b) => a == b`, b: `export const f = (a, b) => a === b` },
  {
    name: 'precedence made explicit by parentheses',
    a: `export const f = (a, b, c) => a + b * c`,
    b: `export const f = (a, b, c) => (a + b) * c`,
  },
  { name: 'prefix vs postfix increment', a: `export function f(a) { return a++ }`, b: `export function f(a) { return ++a }` },
  { name: 'property name', a: `export const f = (o) => o.a`, b: `export const f = (o) => o.b` },
  { name: 'computed vs static member', a: `export const f = (o, k) => o.k`, b: `export const f = (o, k) => o[k]` },
  { name: 'optional chaining', a: `export const f = (o) => o.a`, b: `export const f = (o) => o?.a` },
  { name: 'optional call', a: `export const f = (o) => o.a()`, b: `export const f = (o) => o.a?.()` },
  { name: 'global by name', a: `export const f = (x) => Math.max(x)`, b: `export const f = (x) => Math.min(x)` },
  { name: 'global object', a: `export const f = () => Number.MAX_VALUE`, b: `export const f = () => Infinity` },
  { name: 'async flag', a: `export function f() { return 1 }`, b: `export async function f() { return 1 }` },
  { name: 'generator flag', a: `export function f() { return 1 }`, b: `export function* f() { return 1 }` },
  { name: 'arrow vs function (this binding)', a: `export const f = function () { return this }`, b: `export const f = () => this` },
  { name: 'default parameter value', a: `export function f(a = 1) { return a }`, b: `export function f(a = 2) { return a }` },
  { name: 'parameter order', a: `export function f(a, b) { return a }`, b: `export function f(b, a) { return a }` },
  { name: 'rest parameter', a: `export function f(a) { return a }`, b: `export function f(...a) { return a }` },
  { name: 'object key order', a: `export const f = () => ({ a: 1, b: 2 })`, b: `export const f = () => ({ b: 2, a: 1 })` },
  { name: 'getter vs method', a: `export const f = { get x() { return 1 } }`, b: `export const f = { x() { return 1 } }` },
  { name: 'class field initializer', a: `export class f { x = 1 }`, b: `export class f { x = 2 }` },
  { name: 'static member', a: `export class f { x = 1 }`, b: `export class f { static x = 1 }` },
  {
    name: 'function renamed (its .name is observable)',
    a: `function g() { return 1 }\nexport function f() { return g() }`,
    b: `function helper() { return 1 }\nexport function f() { return helper() }`,
  },
  {
    name: 'target renamed (its .name is observable)',
    a: `export function f() { return 1 }\nexport { f as g }`,
    b: `function h() { return 1 }\nexport { h as f, h as g }`,
  },
  {
    name: 'private names swapped',
    a: `export class f { #x = 1; #y = 2; g() { return this.#x } }`,
    b: `export class f { #x = 1; #y = 2; g() { return this.#y } }`,
  },
  {
    name: 'class extends',
    a: `class A {}\nclass B {}\nexport class f extends A {}`,
    b: `class A {}\nclass B { x = 1 }\nexport class f extends B {}`,
  },
  { name: 'constructor parameter property', a: `export class f { constructor(x) {} }`, b: `export class f { constructor(private x) {} }` },
  {
    name: 'decorator argument',
    a: `const d = (n) => (t) => t\nexport class f { @d(1) m() {} }`,
    b: `const d = (n) => (t) => t\nexport class f { @d(2) m() {} }`,
  },
  { name: 'enum member value', a: `enum E { A = 1, B }\nexport const f = () => E.B`, b: `enum E { A = 2, B }\nexport const f = () => E.B` },
  {
    name: 'enum member added before',
    a: `enum E { A, B }\nexport const f = () => E.B`,
    b: `enum E { Z, A, B }\nexport const f = () => E.B`,
  },
  { name: 'template literal text', a: 'export const f = (x) => `a${x}`', b: 'export const f = (x) => `b${x}`' },
  { name: 'tagged template raw text', a: 'export const f = () => String.raw`\\n`', b: 'export const f = () => String.raw`\\x0a`' },
  { name: 'regex pattern', a: `export const f = (s) => /a+/.test(s)`, b: `export const f = (s) => /a*/.test(s)` },
  { name: 'regex flags', a: `export const f = (s) => /a/.test(s)`, b: `export const f = (s) => /a/i.test(s)` },
  {
    name: 'let vs var (closure capture)',
    a: `export function f() { const r = []; for (let i = 0; i < 2; i++) r.push(() => i); return r }`,
    b: `export function f() { const r = []; for (var i = 0; i < 2; i++) r.push(() => i); return r }`,
  },
  {
    name: 'shadowing: inner declaration removed',
    a: `const x = 1\nexport function f() { const x = 2; return x }`,
    b: `const x = 1\nexport function f() { return x }`,
  },
  { name: 'local swapped for another local', a: `export function f(a, b) { return a }`, b: `export function f(a, b) { return b }` },
  { name: 'statement order in a body', a: `export function f(o) { o.a = 1; o.b = 2 }`, b: `export function f(o) { o.b = 2; o.a = 1 }` },
  { name: 'module constant read', a: `const K = 1\nexport const f = () => K`, b: `const K = 2\nexport const f = () => K` },
  {
    name: 'helper body',
    a: `function g() { return 1 }\nexport const f = () => g()`,
    b: `function g() { return 2 }\nexport const f = () => g()`,
  },
  {
    name: 'side effect on a helper at top level',
    a: `function g() {}\ng.x = 1\nexport const f = () => g.x`,
    b: `function g() {}\ng.x = 2\nexport const f = () => g.x`,
  },
  {
    name: 'destructured module binding chosen',
    a: `const { a, b } = { a: 1, b: 2 }\nexport const f = () => a`,
    b: `const { a, b } = { a: 1, b: 2 }\nexport const f = () => b`,
  },
  { name: 'JSX element name', a: `export const f = () => <a />`, b: `export const f = () => <b />`, file: 'main.tsx' },
  { name: 'JSX text', a: `export const f = () => <p>hi</p>`, b: `export const f = () => <p>ho</p>`, file: 'main.tsx' },
  {
    name: 'JSX component body',
    a: `const C = () => <i>1</i>\nexport const f = () => <C />`,
    b: `const C = () => <i>2</i>\nexport const f = () => <C />`,
    file: 'main.tsx',
  },
  {
    name: 'spread vs plain argument',
    a: `export const f = (a) => g(a)\nconst g = (...x) => x`,
    b: `export const f = (a) => g(...a)\nconst g = (...x) => x`,
  },
  { name: 'delete vs void', a: `export const f = (o) => delete o.a`, b: `export const f = (o) => void o.a` },
  { name: 'typeof', a: `export const f = (o) => typeof o`, b: `export const f = (o) => o` },
  { name: 'new.target vs import.meta', a: `export function f() { return new.target }`, b: `export function f() { return import.meta }` },
  {
    name: 'break label',
    a: `export function f() { a: for (;;) { b: for (;;) { break a } } }`,
    b: `export function f() { a: for (;;) { b: for (;;) { break b } } }`,
  },
  { name: 'directive', a: `export function f() { return this }`, b: `export function f() { 'use strict'; return this }` },
  { name: 'await added', a: `export async function f(p) { return p }`, b: `export async function f(p) { return await p }` },
  {
    name: 'for-of vs for-in',
    a: `export function f(o) { for (const k of o) return k }`,
    b: `export function f(o) { for (const k in o) return k }`,
  },
  { name: 'array hole', a: `export const f = () => [1, , 2]`, b: `export const f = () => [1, 2]` },
  {
    name: 'a var declared in a top-level block',
    a: `if (true) { var V = 1 }\nexport const f = () => V`,
    b: `if (true) { var V = 2 }\nexport const f = () => V`,
  },
  {
    name: 'local renamed where direct eval can see it',
    a: `export function f(a) { return eval('a') }`,
    b: `export function f(b) { return eval('a') }`,
  },
  { name: 'exponent and -0', a: `export const f = () => 0`, b: `export const f = () => -0` },
]

describe('normalization: the fingerprint stays the same', () => {
  for (const p of same) {
    it(p.name, async () => {
      const target = `${p.file ?? 'main.ts'}#f`
      const extra = { 'v.ts': 'export const v = 1', 't.ts': 'export type T = 1', 'z.ts': 'export const z = 1' }
      const a = await fingerprintOf({ [p.file ?? 'main.ts']: p.a, ...extra }, target)
      const b = await fingerprintOf({ [p.file ?? 'main.ts']: p.b, ...extra }, target)
      expect(b).toBe(a)
    })
  }
})

describe('normalization: the fingerprint changes', () => {
  for (const p of changed) {
    it(p.name, async () => {
      const target = `${p.file ?? 'main.ts'}#f`
      const a = await fingerprintOf({ [p.file ?? 'main.ts']: p.a }, target)
      const b = await fingerprintOf({ [p.file ?? 'main.ts']: p.b }, target)
      expect(b).not.toBe(a)
    })
  }
})
