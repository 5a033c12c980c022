// issue 16: `node --import smart-cache/register` gives plain Node the plugin's fingerprints.
// Every case runs in real child processes of Node 20 (this one), 22 and 24 (from the registry).
import type { TempProject } from './helpers/temp-project.ts'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodeBinary } from './helpers/node-binaries.ts'
import { createTempDir, createTempProject } from './helpers/temp-project.ts'

const execP = promisify(execFile)
const CLI = new URL('../packages/cli/bin/smart-cache.mjs', import.meta.url).pathname
const TSX = 'tsx'

const FILES: Record<string, string> = {
  'src/lib/square.js': 'export function square(n) {\n  return n * n\n}\n',
  'src/sum.js': [
    `import { smartCache } from 'smart-cache'`,
    `import { square } from './lib/square.js'`,
    ``,
    `export const sumSquares = smartCache((n) => {`,
    `  let s = 0`,
    `  for (let i = 0; i < n; i++) s += square(i)`,
    `  return s`,
    `})`,
    ``,
  ].join('\n'),
  'src/main.js': [
    `import { sumSquares } from './sum.js'`,
    `const value = sumSquares(100)`,
    `console.log(JSON.stringify({ value, id: sumSquares.id, fingerprint: sumSquares.fingerprint, hits: sumSquares.stats.hits, misses: sumSquares.stats.misses }))`,
    ``,
  ].join('\n'),
  // CommonJS: the directive (calls of a required smartCache are not marks, as in bundlers).
  'src/cjs/main.cjs': `const { cube } = require('./cube.cjs')\nconsole.log(JSON.stringify({ value: cube(3) }))\n`,
  'src/cjs/cube.cjs': [
    `const { times } = require('./times.cjs')`,
    `function cube(n) {`,
    `  'use smart-cache'`,
    `  console.log('computing cube')`,
    `  return times(n, times(n, n))`,
    `}`,
    `module.exports = { cube }`,
    ``,
  ].join('\n'),
  'src/cjs/times.cjs': `exports.times = (a, b) => a * b\n`,
  'src/cjs/from-esm.mjs': `import { cube } from './cube.cjs'\nconsole.log(JSON.stringify({ value: cube(4) }))\n`,
  // TypeScript, for type-stripping loaders: .ts (ESM here), .mts, .cts.
  'src/ts/main.ts': [
    `import { smartCache } from 'smart-cache'`,
    `import { half } from './half.mts'`,
    `import { twice } from './twice.cts'`,
    `interface Box { n: number }`,
    `export const calc = smartCache((box: Box): number => half(twice(box.n)) + 1)`,
    `console.log(JSON.stringify({ value: calc({ n: 21 }), id: calc.id, fingerprint: calc.fingerprint, hits: calc.stats.hits }))`,
    ``,
  ].join('\n'),
  'src/ts/half.mts': `export const half = (n: number): number => n / 2\n`,
  'src/ts/twice.cts': `function twice(n: number): number {\n  'use smart-cache'\n  return n * 2\n}\nmodule.exports = { twice }\n`,
  // Purity diagnostics: two cached functions reach the same impure read.
  'src/impure.js': [
    `import { smartCache } from 'smart-cache'`,
    `function stamp() {`,
    `  return Date.now()`,
    `}`,
    `export const a = smartCache(async () => stamp() * 0 + 1)`,
    `export const b = smartCache(async () => stamp() * 0 + 2)`,
    `console.log(await a() + await b())`,
    ``,
  ].join('\n'),
  // No marks at all: passed through, the engine never starts.
  'src/plain.js': `import { x } from './plain-dep.js'\nconsole.log(x + 1)\n`,
  'src/plain-dep.js': `export const x = 41\n`,
}

const VERSIONS = [20, 22, 24]

describe.each(VERSIONS)('Node %i with --import smart-cache/register', major => {
  let node: string
  let p: TempProject
  beforeAll(async () => {
    node = await nodeBinary(major)
    p = createTempProject(`loader-node${major}`, { files: FILES })
  }, 300_000)
  afterAll(() => p?.remove())

  const env = () => ({ ...process.env, SMART_CACHE_DIR: p.path('.values'), SMART_CACHE: '', NODE_OPTIONS: '', FORCE_COLOR: '0' })
  const run = async (args: string[], extraEnv: Record<string, string> = {}) => {
    try {
      const { stdout, stderr } = await execP(node, ['--disable-warning=ExperimentalWarning', ...args], {
        cwd: p.dir,
        env: { ...env(), ...extraEnv },
      })
      return { stdout, stderr, code: 0 }
    } catch (error: any) {
      return { stdout: String(error.stdout), stderr: String(error.stderr), code: error.code as number }
    }
  }
  const json = async (args: string[], extraEnv?: Record<string, string>) => {
    const r = await run(args, extraEnv)
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!)
  }
  const cli = async (target: string) =>
    JSON.parse((await execP(process.execPath, [CLI, 'fingerprint', '--json', target], { cwd: p.dir, env: env() })).stdout)[target]
  const edit = (file: string, from: string, to: string) => {
    const text = readFileSync(p.path(file), 'utf8')
    expect(text).toContain(from)
    writeFileSync(p.path(file), text.replace(from, to))
  }

  it("ESM: computes, hits in a new process, recomputes after a helper edit, hits after a comment; fingerprints are the CLI's", async () => {
    const reg = ['--import', 'smart-cache/register', 'src/main.js']
    const first = await json(reg)
    expect(first).toMatchObject({ value: 328350, id: 'src/sum.js#sumSquares', misses: 1, hits: 0 })
    expect(first.fingerprint).toBe(await cli('src/sum.js#sumSquares'))
    expect(await json(reg)).toMatchObject({ value: 328350, fingerprint: first.fingerprint, hits: 1, misses: 0 })
    edit('src/lib/square.js', 'n * n', 'n ** 2')
    const edited = await json(reg)
    expect(edited).toMatchObject({ value: 328350, hits: 0, misses: 1 })
    expect(edited.fingerprint).not.toBe(first.fingerprint)
    expect(edited.fingerprint).toBe(await cli('src/sum.js#sumSquares'))
    edit('src/lib/square.js', 'export function', '// a comment\nexport function')
    expect(await json(reg)).toMatchObject({ fingerprint: edited.fingerprint, hits: 1 })
    // The same through NODE_OPTIONS, as `npm start` and other launchers would pass it.
    expect(await json(['src/main.js'], { NODE_OPTIONS: '--import smart-cache/register' })).toMatchObject({
      fingerprint: edited.fingerprint,
      hits: 1,
    })
  })

  it('CommonJS (entry point, require chain, imported from ESM): the directive caches across processes and follows the required helper', async () => {
    const reg = ['--import', 'smart-cache/register']
    const first = await run([...reg, 'src/cjs/main.cjs'])
    expect(first.stdout).toBe('computing cube\n{"value":27}\n')
    expect((await run([...reg, 'src/cjs/main.cjs'])).stdout).toBe('{"value":27}\n')
    expect((await run([...reg, 'src/cjs/from-esm.mjs'])).stdout).toBe('computing cube\n{"value":64}\n')
    expect((await run([...reg, 'src/cjs/from-esm.mjs'])).stdout).toBe('{"value":64}\n')
    edit('src/cjs/times.cjs', 'a * b', 'b * a')
    expect((await run([...reg, 'src/cjs/main.cjs'])).stdout).toBe('computing cube\n{"value":27}\n')
  })

  it("TypeScript (.ts, .mts, .cts) after tsx, in either order, and after Node's own type stripping", async () => {
    const fingerprint = await cli('src/ts/main.ts#calc')
    const ways = [
      ['--import', TSX, '--import', 'smart-cache/register'],
      ['--import', 'smart-cache/register', '--import', TSX],
    ]
    if (major >= 22)
      ways.push(major < 24 ? ['--experimental-strip-types', '--import', 'smart-cache/register'] : ['--import', 'smart-cache/register'])
    let hits = 0
    for (const way of ways) {
      const r = await run([...way, 'src/ts/main.ts'])
      expect(r.code, r.stderr).toBe(0)
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!)
      expect(out, way.join(' ')).toMatchObject({ value: 22, id: 'src/ts/main.ts#calc', fingerprint })
      hits += out.hits
      // tsx first: the loader sees compiled code, and says how to import it first instead.
      expect(r.stderr.includes('src/ts/main.ts reached smart-cache/register already compiled'), way.join(' ')).toBe(way[1] === TSX)
    }
    expect(hits).toBe(ways.length - 1) // the first way computed, every other one hit
  })

  it('purity diagnostics: a warning with file:line, once per process', async () => {
    const r = await run(['--import', 'smart-cache/register', 'src/impure.js'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('3\n')
    const lines = r.stderr.split('\n').filter(l => l.startsWith('[smart-cache]') && l.includes('Date.now()'))
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(line).toContain('src/impure.js:3:')
    expect(new Set(lines).size).toBe(lines.length)
  })

  it('modules without marks pass through: the engine never starts', async () => {
    const r = await run(['--import', 'smart-cache/register', 'src/plain.js'])
    expect(r).toMatchObject({ code: 0, stdout: '42\n', stderr: '' })
  })
})

describe('one fingerprint for the Vite plugin, the CLI and the loader', () => {
  it('src/sum.js#sumSquares', async () => {
    const p = createTempProject('loader-vite', { files: FILES })
    try {
      const { bundle } = await import('./helpers/bundle.ts')
      await bundle('vite', p.dir)
      const env = { ...process.env, SMART_CACHE_DIR: p.path('.values'), NODE_OPTIONS: '' }
      // The bundle Vite built carries the plugin's fingerprint (run without the loader).
      const fromVite = JSON.parse(
        (await execP(process.execPath, [p.path('dist-vite-node/main.mjs')], { cwd: p.dir, env })).stdout,
      ).fingerprint
      const fromCli = JSON.parse(
        (await execP(process.execPath, [CLI, 'fingerprint', '--json', 'src/sum.js#sumSquares'], { cwd: p.dir, env })).stdout,
      )['src/sum.js#sumSquares']
      const fromLoader = JSON.parse(
        (await execP(process.execPath, ['--import', 'smart-cache/register', 'src/main.js'], { cwd: p.dir, env })).stdout,
      ).fingerprint
      expect(fromVite).toMatch(/^[0-9a-f]{64}$/)
      expect(fromCli).toBe(fromVite)
      expect(fromLoader).toBe(fromVite)
    } finally {
      p.remove()
    }
  })
})

describe('smart-cache/register without unplugin-smart-cache', () => {
  it('fails with a [smart-cache] error saying what to install', async () => {
    const { cpSync, mkdirSync, rmSync } = await import('node:fs')
    const { join } = await import('node:path')
    const dir = createTempDir('loader-missing')
    try {
      const pkg = join(dir, 'node_modules/smart-cache')
      mkdirSync(pkg, { recursive: true })
      cpSync(new URL('../packages/smart-cache/package.json', import.meta.url), join(pkg, 'package.json'))
      cpSync(new URL('../packages/smart-cache/dist', import.meta.url), join(pkg, 'dist'), { recursive: true })
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}')
      writeFileSync(join(dir, 'main.js'), 'console.log(1)\n')
      const error: any = await execP(process.execPath, ['--import', 'smart-cache/register', 'main.js'], { cwd: dir }).catch(e => e)
      expect(error.code).toBe(1)
      expect(error.stderr).toContain('[smart-cache] smart-cache/register needs the package unplugin-smart-cache')
      expect(error.stderr).toContain('npm i -D unplugin-smart-cache')
      expect(existsSync(join(dir, 'node_modules/.cache'))).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
