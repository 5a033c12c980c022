// Issue 6: random and malformed source files give a fingerprint or a clear `[smart-cache]` error,
// never an internal crash or a hang (fast-check, fixed seeds; counts printed for the report).
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFingerprinter, type Fingerprinter } from '@smart-cache/fingerprint'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROTO_NAMES, tempDir, writeFiles } from './helpers.ts'

const CASE_TIMEOUT_MS = 20_000
const VALID = `import { helper } from './helper'
import * as ns from './ns'
const table = new Map([[1, 'a']])
export function f(n: number): number {
  const local = helper(n) + ns.k
  return n < 2 ? local : f(n - 1) + table.size
}
export const g = async (x) => { for (const y of [x]) { if (y) return \`\${y}\` } }
export default class C { #p = 1; static s = f; m() { return this.#p } }
`
const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ';',
  ',',
  '=>',
  'function',
  'class',
  'import',
  'export',
  'export default',
  'from',
  "'./helper'",
  '`${',
  '`',
  '/*',
  '*/',
  '//',
  '"',
  "'",
  '\\',
  '@dec',
  '#p',
  'await',
  'yield',
  'new.target',
  'import.meta',
  '<T>',
  'as const',
  '?.',
  '??=',
  '...',
  '\u0000',
  '\uFEFF',
  '\u2028',
  '\uD800',
  '\n',
  ' ',
  'f',
  'g',
  'x',
  '0x',
  '1n',
  '/re/g',
  'enum',
  'namespace',
  'declare',
]

/** A mutation of the valid module: insertions of tokens or random text, deletions, truncation. */
const mutated = fc
  .array(
    fc.oneof(
      fc.record({ at: fc.nat(), insert: fc.constantFrom(...TOKENS) }),
      fc.record({ at: fc.nat(), insert: fc.string({ unit: 'binary', maxLength: 6 }) }),
      fc.record({ at: fc.nat(), remove: fc.integer({ min: 1, max: 12 }) }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map(edits => {
    let s = VALID
    for (const e of edits) {
      const at = e.at % (s.length + 1)
      s = 'insert' in e ? s.slice(0, at) + e.insert + s.slice(at) : s.slice(0, at) + s.slice(at + e.remove)
    }
    return s
  })
const random = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: fc.constantFrom(...TOKENS), maxLength: 60 }))
const nested = fc
  .record({ depth: fc.integer({ min: 1, max: 12_000 }), shape: fc.constantFrom('(', '[', '{a:', 'x=>', 'f(', '!', '-') })
  .map(({ depth, shape }) => {
    const close = { '(': ')', '[': ']', '{a:': '}', 'x=>': '', 'f(': ')', '!': '', '-': '' }[shape]!
    return `export const f = ${shape.repeat(depth)}1${close.repeat(depth)}\n`
  })

/** Valid TypeScript fragments (cycles, re-exports, unresolved names, TS-only syntax) composed into modules. */
const FRAGMENTS = [
  'export function f(n: number): number { return g(n) + 1 }',
  'export function g(n) { return n > 0 ? f(n - 1) : 0 }',
  'export const h = (x) => missing(x)',
  "import { nope } from './nowhere'\nexport const usesNope = () => nope",
  "export { helper as f2 } from './helper'",
  "export * from './ns'",
  "export * as nsAll from './ns'",
  'export default function () { return 1 }',
  'export enum E { A, B = A + 1 }',
  'export namespace N { export const v = 1 }',
  'export type T = { a: string }\nexport interface I { b: T }',
  'export class K<T> { static x = 1; #y = 2; m(a: T) { return a } get z() { return this.#y } }',
  'const { a, b: [c] } = { a: 1, b: [2] }\nexport { a, c }',
  "export const dyn = () => import('./helper')",
  'export let counter = 0\nexport function bump() { return ++counter }',
  'declare const ext: number\nexport const useExt = () => ext',
  'export const f = 1',
  `export const big = \`${'x'.repeat(5000)}\``,
  "import helperDefault from './helper'\nexport const hd = () => helperDefault",
  'export function f(...args) { return arguments.length + args.length }',
  'export const self = () => self',
  'export const obj = { m() { return this }, [Symbol.iterator]: function* () { yield 1 } }',
  'export abstract class Abs { abstract m(): void }',
  'export const sat = { a: 1 } satisfies Record<string, number>',
  'export function over(a: string): string\nexport function over(a: number): number\nexport function over(a: any) { return a }',
]
const composed = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 7 }).map(parts => `${parts.join('\n')}\n`)

/**
 * Modules whose identifiers, properties, labels, export names, specifiers and file names are
 * Object.prototype names (`toString`, `constructor`, `__proto__`…): the ramda 0.29.1 crash class.
 */
type Names = [string, string, string, string]
const PROTO_SHAPES: ((n: Names) => string)[] = [
  ([a, b, c, d]) =>
    `export function ${a}(${b}, ${c} = ${b}) { const ${d} = { ${a}: ${b}, ['${c}']: 1, ${b}() { return ${d} } }; return ${d}.${a} }`,
  ([a, b, c, d]) => `import { ${a} as ${b} } from './${c}'\nexport const ${d} = () => ${b}`,
  ([a, b, c]) => `import * as ${a} from './${b}'\nexport const f = () => ${a}.${c}`,
  ([a, b, c]) => `export { ${a} as ${b} } from './${c}'`,
  ([a, b]) => `export * as ${a} from './${b}'`,
  ([a, b]) => `const ${a} = 1\nexport { ${a} as ${b} }`,
  ([a, b, c, d]) => `export class ${a} { ${b}() { return this.${c} } static ${d} = 1; #${c} = 2; get ${d}() { return this.#${c} } }`,
  ([a, b, c]) => `exports.${a} = function ${b}() { return exports.${c} }\nmodule.exports.${c} = 1`,
  ([a, b]) => `export default { ${a}() { return 1 }, get ${b}() { return 2 }, __proto__: null }`,
  ([a, b]) => `export function f() { ${a}: for (;;) { ${b}: { break ${b} } break ${a} } }`,
  ([a, b]) => `let ${a} = 0\nexport function ${b}() { ${a}++; return ${a} }`,
  ([a, b]) => `export namespace ${a} { export const ${b} = 1 }\nimport ${b}Alias = ${a}.${b}`,
  ([a, b, c]) => `import ${a}, { ${b} } from '${c}'\nexport const g = () => [${a}, ${b}]`,
  ([a, b]) => `export const h = async () => { const { ${a}, ${b}: x } = await import('./${a}'); return [${a}, x] }`,
  ([a, b]) => `const ${a} = require('./${b}')\nexport const r = () => ${a}.${b}`,
  ([a]) => `export const ${a} = () => eval('${a}')`,
]
const protoName = fc.constantFrom(...PROTO_NAMES)
const protoModule = fc
  .array(fc.tuple(fc.nat(PROTO_SHAPES.length - 1), fc.tuple(protoName, protoName, protoName, protoName)), { minLength: 1, maxLength: 6 })
  .map(parts => `${parts.map(([shape, names]) => PROTO_SHAPES[shape]!(names)).join('\n')}\n`)
/** Files and packages named after Object.prototype names, for the fuzzed modules to import. */
const PROTO_FILES = Object.fromEntries(
  ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'].flatMap(name => [
    [
      `${name}.ts`,
      `${PROTO_NAMES.filter(n => /^[\w$]+$/.test(n) && n !== 'arguments')
        .map(n => `export const ${n} = '${name}.${n}'`)
        .join('\n')}\nexport default '${name}'\n`,
    ],
    [`node_modules/${name}/package.json`, JSON.stringify({ name, version: '1.0.0', type: 'module', exports: './index.js' })],
    [`node_modules/${name}/index.js`, `export const toString = 1\nexport default function constructor() {}\n`],
  ]),
)

describe('fuzz: the engine on random and malformed sources', () => {
  let root: string
  let engine: Fingerprinter
  let n = 0
  const tally = { cases: 0, fingerprints: 0, clearErrors: 0 }
  beforeAll(() => {
    root = tempDir('fp-fuzz-')
    writeFiles(root, { 'helper.ts': 'export const helper = (n) => n * 2\n', 'ns.ts': 'export const k = 1\n', ...PROTO_FILES })
    engine = createFingerprinter({ root, cacheDir: false })
  })
  afterAll(async () => {
    await engine.close()
    rmSync(root, { recursive: true, force: true })
    console.log(
      `[reliability] fuzz engine (vitest run packages/fingerprint/test/fuzz-engine.test.ts): ${JSON.stringify(tally)}, 0 internal crashes, 0 hangs`,
    )
  })

  /** Fingerprints `source` as a fresh file: resolves to a 64-hex hash or rejects with a `[smart-cache]` error. */
  async function check(source: string | Uint8Array, prefix = 'm'): Promise<string> {
    const file = `${prefix}${n++}.ts`
    writeFileSync(join(root, file), source)
    for (const call of [() => engine.fingerprint(file, 'f'), () => engine.fingerprintFile(file)]) {
      tally.cases++
      let timer: NodeJS.Timeout | undefined
      const hang = new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`HANG: no answer in ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS)),
      )
      try {
        const out: any = await Promise.race([call(), hang])
        const hashes = 'hash' in out ? [out.hash] : Object.values(out).map((b: any) => b.hash)
        for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{64}$/)
        tally.fingerprints++
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        expect(message, `source ${JSON.stringify(source).slice(0, 300)}`).toMatch(/^\[smart-cache\] (?!internal error)/)
        tally.clearErrors++
      } finally {
        clearTimeout(timer)
      }
    }
    return file
  }

  it('mutations of a valid module', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async m => void (await check(m))),
      { numRuns: 150, seed: 601 },
    )
  })

  it('modules composed of valid fragments: every export fingerprints the same twice', async () => {
    await fc.assert(
      fc.asyncProperty(composed, async source => {
        const file = await check(source)
        let exports: Record<string, { hash: string }>
        try {
          exports = await engine.fingerprintFile(file)
        } catch {
          return // duplicate declarations and the like: a clear error, checked above
        }
        engine.invalidate(join(root, file))
        for (const [name, fp] of Object.entries(exports))
          expect((await engine.fingerprint(file, name)).hash, `${name} in ${source}`).toBe(fp.hash)
      }),
      { numRuns: 120, seed: 605 },
    )
  })

  it('modules whose names are Object.prototype names: every export fingerprints, no internal error', async () => {
    await fc.assert(
      fc.asyncProperty(protoModule, protoName, async (source, prefix) => {
        const file = await check(source, `${prefix}.`)
        let exports: Record<string, { hash: string }>
        try {
          exports = await engine.fingerprintFile(file)
        } catch (error) {
          expect((error as Error).message, source).toMatch(/^\[smart-cache\] (?!internal error)/)
          return
        }
        for (const name of [...Object.keys(exports), ...PROTO_NAMES]) {
          const fp = await engine.fingerprint(file, name).catch((error: Error) => error)
          if (fp instanceof Error) expect(fp.message, `${name} in ${source}`).toMatch(/^\[smart-cache\] (?!internal error)/)
          else expect(fp.hash, `${name} in ${source}`).toBe(exports[name]?.hash ?? fp.hash)
        }
      }),
      { numRuns: 60, seed: 606 },
    )
  })

  it('random text and token soup', async () => {
    await fc.assert(
      fc.asyncProperty(random, async m => void (await check(m))),
      { numRuns: 100, seed: 602 },
    )
  })

  it('deep nesting (up to 12 000 levels)', async () => {
    await fc.assert(
      fc.asyncProperty(nested, async m => void (await check(m))),
      { numRuns: 25, seed: 603 },
    )
  })

  it('binary and non-UTF-8 bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 200 }).map(b => Uint8Array.from([0xff, ...b])),
        async m => void (await check(m)),
      ),
      { numRuns: 40, seed: 604 },
    )
  })
})
