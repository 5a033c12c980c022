import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFingerprinter, type Fingerprinter } from '@smart-cache/fingerprint'
import { tempDir } from './helpers.ts'

/**
 * Property tests over generated functions `f(p0, p1, p2) { const t = E1; return E2 }`:
 * rendering the same tree in two styles (names, spacing, comments, parentheses, types, literal
 * spelling) keeps the fingerprint; one meaning-changing mutation changes it.
 */
type Expr =
  | { k: 'var'; i: number }
  | { k: 'tmp' }
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'cond'; c: Expr; t: Expr; e: Expr }
  | { k: 'call'; g: string; a: Expr }

interface Program {
  init: Expr
  body: Expr
}

const OPS = ['+', '-', '*', '/', '%', '<', '===', '&&', '||']
const GLOBALS = ['Math.abs', 'String', 'Number']

const leaf = (withTmp: boolean): fc.Arbitrary<Expr> =>
  fc.oneof(
    fc.integer({ min: 0, max: 2 }).map(i => ({ k: 'var', i }) as Expr),
    fc.integer({ min: 0, max: 5000 }).map(v => ({ k: 'num', v }) as Expr),
    fc.constantFrom('a', 'b', 'x y', 'é').map(v => ({ k: 'str', v }) as Expr),
    ...(withTmp ? [fc.constant({ k: 'tmp' } as Expr)] : []),
  )

function exprArb(withTmp: boolean): fc.Arbitrary<Expr> {
  return fc.letrec<{ e: Expr }>(tie => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf(withTmp),
      fc.record({ k: fc.constant('bin'), op: fc.constantFrom(...OPS), l: tie('e'), r: tie('e') }) as fc.Arbitrary<Expr>,
      fc.record({ k: fc.constant('cond'), c: tie('e'), t: tie('e'), e: tie('e') }) as fc.Arbitrary<Expr>,
      fc.record({ k: fc.constant('call'), g: fc.constantFrom(...GLOBALS), a: tie('e') }) as fc.Arbitrary<Expr>,
    ),
  })).e
}

const programArb: fc.Arbitrary<Program> = fc.record({ init: exprArb(false), body: exprArb(true) })

interface Style {
  names: string[]
  tmp: string
  space: string
  comments: boolean
  extraParens: boolean
  types: boolean
  doubleQuotes: boolean
  numberStyle: 'dec' | 'hex' | 'exp' | 'sep'
}

const ident = fc
  .stringMatching(/^[a-z][a-z0-9]{0,5}$/)
  .filter(
    s =>
      ![
        'do',
        'if',
        'in',
        'for',
        'let',
        'new',
        'try',
        'var',
        'case',
        'else',
        'enum',
        'null',
        'this',
        'true',
        'void',
        'with',
        'break',
        'catch',
        'class',
        'const',
        'false',
        'super',
        'throw',
        'while',
        'yield',
        'delete',
        'export',
        'import',
        'public',
        'return',
        'static',
        'switch',
        'typeof',
        'default',
        'extends',
        'finally',
        'package',
        'private',
        'continue',
        'debugger',
        'function',
        'arguments',
        'interface',
        'protected',
        'implements',
        'instanceof',
        'as',
        'of',
        'any',
        'is',
        'f',
        'math',
        'string',
        'number',
        'await',
        'async',
      ].includes(s),
  )

const styleArb: fc.Arbitrary<Style> = fc
  .record({
    names: fc.uniqueArray(ident, { minLength: 4, maxLength: 4 }),
    tmp: fc.constant(''),
    space: fc.constantFrom(' ', '  ', '\n', ' \n\t'),
    comments: fc.boolean(),
    extraParens: fc.boolean(),
    types: fc.boolean(),
    doubleQuotes: fc.boolean(),
    numberStyle: fc.constantFrom('dec', 'hex', 'exp', 'sep'),
  })
  .map(s => ({ ...s, tmp: s.names[3]! }))

function num(v: number, style: Style['numberStyle']): string {
  if (style === 'hex') return `0x${v.toString(16)}`
  if (style === 'exp' && v % 10 === 0 && v > 0) {
    let m = v
    let e = 0
    while (m % 10 === 0) {
      m /= 10
      e++
    }
    return `${m}e${e}`
  }
  if (style === 'sep' && v >= 1000) return `${Math.floor(v / 1000)}_${String(v % 1000).padStart(3, '0')}`
  return String(v)
}

/** Renders iteratively enough for the small trees generated (depth is bounded by fast-check). */
function render(e: Expr, s: Style): string {
  const w = (x: string): string => (s.extraParens ? `((${x}))` : x)
  const c = s.comments ? '/* c */' : ''
  switch (e.k) {
    case 'var':
      return w(s.names[e.i]!)
    case 'tmp':
      return w(s.tmp)
    case 'num':
      return w(num(e.v, s.numberStyle))
    case 'str':
      return w(s.doubleQuotes ? JSON.stringify(e.v) : `'${e.v}'`)
    case 'bin':
      return `(${render(e.l, s)}${s.space}${c}${e.op}${s.space}${render(e.r, s)})`
    case 'cond':
      return `(${render(e.c, s)}${s.space}?${c}${render(e.t, s)}${s.space}:${s.space}${render(e.e, s)})`
    case 'call':
      return `${e.g}(${c}${render(e.a, s)}${s.types ? ' as any' : ''})`
  }
}

function program(p: Program, s: Style): string {
  const [a, b, c] = s.names
  const t = s.types ? ': any' : ''
  const lead = s.comments ? '// generated\n/** f */\n' : ''
  return `${lead}export function f(${a}${t},${s.space}${b}${t}, ${c}${t})${s.types ? ': unknown' : ''} {${s.space}const ${s.tmp}${t} = ${render(p.init, s)};${s.space}return ${render(p.body, s)}${s.space}}\n`
}

/** One meaning-changing edit of the tree (undefined when the edit would leave it identical). */
type Mutation = { path: number; kind: 'literal' | 'operator' | 'swap' | 'variable' }

function mutate(p: Program, m: Mutation): Program | undefined {
  const nodes: Array<{ e: Expr; set: (x: Expr) => void }> = []
  const root = structuredClone(p)
  const stack: Array<{ e: Expr; set: (x: Expr) => void }> = [
    {
      e: root.init,
      set: x => {
        root.init = x
      },
    },
    {
      e: root.body,
      set: x => {
        root.body = x
      },
    },
  ]
  while (stack.length > 0) {
    const n = stack.pop()!
    nodes.push(n)
    const e = n.e
    if (e.k === 'bin')
      stack.push(
        {
          e: e.l,
          set: x => {
            e.l = x
          },
        },
        {
          e: e.r,
          set: x => {
            e.r = x
          },
        },
      )
    if (e.k === 'cond')
      stack.push(
        {
          e: e.c,
          set: x => {
            e.c = x
          },
        },
        {
          e: e.t,
          set: x => {
            e.t = x
          },
        },
        {
          e: e.e,
          set: x => {
            e.e = x
          },
        },
      )
    if (e.k === 'call')
      stack.push({
        e: e.a,
        set: x => {
          e.a = x
        },
      })
  }
  const target = nodes[m.path % nodes.length]!
  const e = target.e
  if (m.kind === 'literal' && e.k === 'num') target.set({ k: 'num', v: e.v + 1 })
  else if (m.kind === 'literal' && e.k === 'str') target.set({ k: 'str', v: `${e.v}!` })
  else if (m.kind === 'operator' && e.k === 'bin') target.set({ ...e, op: OPS[(OPS.indexOf(e.op) + 1) % OPS.length]! })
  else if (m.kind === 'swap' && e.k === 'bin' && JSON.stringify(e.l) !== JSON.stringify(e.r)) target.set({ ...e, l: e.r, r: e.l })
  else if (m.kind === 'variable' && e.k === 'var') target.set({ k: 'var', i: (e.i + 1) % 3 })
  else return undefined
  return root
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({ path: fc.nat(), kind: fc.constantFrom('literal', 'operator', 'swap', 'variable') })

let dir: string
let engine: Fingerprinter
let n = 0
beforeAll(() => {
  dir = tempDir('fp-prop-')
  engine = createFingerprinter({ root: dir, cacheDir: false })
})
afterAll(async () => {
  await engine.close()
  rmSync(dir, { recursive: true, force: true })
})

async function fp(source: string): Promise<string> {
  const file = `p${n++}.ts`
  writeFileSync(join(dir, file), source)
  return (await engine.fingerprint(file, 'f')).hash
}

describe('properties', () => {
  it('meaning-preserving rewrites keep the fingerprint', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, styleArb, styleArb, async (p, s1, s2) => {
        expect(await fp(program(p, s2))).toBe(await fp(program(p, s1)))
      }),
      { numRuns: 200 },
    )
  })

  it('a single meaning-changing mutation changes the fingerprint', async () => {
    await fc.assert(
      fc.asyncProperty(programArb, styleArb, styleArb, mutationArb, async (p, s1, s2, m) => {
        const q = mutate(p, m)
        fc.pre(q !== undefined)
        expect(await fp(program(q!, s2))).not.toBe(await fp(program(p, s1)))
      }),
      { numRuns: 200 },
    )
  })
})
