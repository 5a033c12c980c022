import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { stringifyDeep } from '../src/json.ts'

const bin = resolve(import.meta.dirname, '..', 'bin', 'smart-cache.mjs')
const repoBin = resolve(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'smart-cache')
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sc-cli-'))
  dirs.push(dir)
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  return dir
}

function run(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

const files = {
  'package.json': JSON.stringify({ name: 'demo', type: 'module' }),
  'src/math.ts': `import { add } from './helpers.js'\n\nexport function fib(n: number): number {\n  return n < 2 ? n : add(fib(n - 1), fib(n - 2))\n}\n\nexport default function twice(n: number) {\n  return add(n, n)\n}\n`,
  'src/helpers.ts': `export function add(a: number, b: number) {\n  return a + b\n}\n`,
}
const HEX = /^[0-9a-f]{64}$/

describe('smart-cache fingerprint', () => {
  it('prints one line per export of FILE: "<file>#<export>  <hex>"', () => {
    const dir = project(files)
    const r = run(dir, 'fingerprint', 'src/math.ts')
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines.map(l => l.split('  ')[0])).toEqual(['src/math.ts#default', 'src/math.ts#fib'])
    for (const l of lines) expect(l.split('  ')[1]).toMatch(HEX)
    expect(r.stderr).toBe('')
  })

  it('--json prints exactly one JSON object keyed by file#export', () => {
    const dir = project(files)
    const r = run(dir, 'fingerprint', '--json', 'src/math.ts#fib', 'src/helpers.ts', 'src/math.ts#default')
    expect(r.code).toBe(0)
    const obj = JSON.parse(r.stdout) as Record<string, string>
    expect(Object.keys(obj)).toEqual(['src/math.ts#fib', 'src/helpers.ts#add', 'src/math.ts#default'])
    for (const v of Object.values(obj)) expect(v).toMatch(HEX)
    const text = run(dir, 'fingerprint', 'src/math.ts#fib').stdout
    expect(text).toBe(`src/math.ts#fib  ${obj['src/math.ts#fib']}\n`)
  })

  it('FILE is relative to the current folder; the root defaults to the nearest package.json', () => {
    const dir = project(files)
    const fromRoot = JSON.parse(run(dir, 'fingerprint', '--json', 'src/math.ts#fib').stdout)
    const fromSrc = JSON.parse(run(join(dir, 'src'), 'fingerprint', '--json', 'math.ts#fib').stdout)
    expect(fromSrc).toEqual(fromRoot)
  })

  it('--root DIR sets the root that ids are relative to', () => {
    const dir = project(files)
    const r = run(dir, 'fingerprint', '--json', '--root', 'src', 'src/math.ts#fib')
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(['math.ts#fib'])
  })

  it('gives the same output for the same project in another folder', () => {
    const a = project(files)
    const b = mkdtempSync(join(tmpdir(), 'sc-cli-other-'))
    dirs.push(b)
    cpSync(a, join(b, 'x', 'y'), { recursive: true })
    expect(run(join(b, 'x', 'y'), 'fingerprint', 'src/math.ts').stdout).toBe(run(a, 'fingerprint', 'src/math.ts').stdout)
  })

  it('errors go to stderr with a non-zero exit and no stack trace', () => {
    const dir = project({ ...files, 'src/bad.ts': 'export const x = (\n' })
    for (const args of [
      ['fingerprint', 'src/nope.ts'],
      ['fingerprint', 'src/math.ts#nope'],
      ['fingerprint', 'src/bad.ts'],
      ['fingerprint'],
      ['explain', 'src/math.ts'],
      ['bogus'],
    ]) {
      const r = run(dir, ...args)
      expect(r.code, args.join(' ')).not.toBe(0)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/^\[smart-cache\] /)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
    expect(run(dir, 'fingerprint', 'src/bad.ts').stderr).toMatch(/^\[smart-cache\] syntax error at src\/bad\.ts:2:1: /)
    expect(run(dir, 'fingerprint', 'src/math.ts#nope').stderr).toContain(
      `src/math.ts has no export or module-level binding named 'nope'. Its exports: default, fib.`,
    )
  })

  it('warnings go to stderr and leave the JSON on stdout intact', () => {
    const dir = project({ ...files, 'src/w.ts': `import { z } from './missing'\nexport const w = () => z()` })
    const r = run(dir, 'fingerprint', '--json', 'src/w.ts')
    expect(r.code).toBe(0)
    expect(Object.keys(JSON.parse(r.stdout))).toEqual(['src/w.ts#w'])
    expect(r.stderr).toMatch(/^\[smart-cache\] src\/w\.ts:1:1: cannot resolve '\.\/missing'/)
  })
})

describe('smart-cache explain', () => {
  it('prints the dependency tree with hashes and where each node was resolved', () => {
    const dir = project(files)
    const r = run(dir, 'explain', 'src/math.ts#fib')
    expect(r.code).toBe(0)
    const [header, ...lines] = r.stdout.trimEnd().split('\n')
    // No build recorded its engine options: the header says the fingerprints are Node's resolution's.
    expect(header).toMatch(
      /^engine options: none recorded \(no build manifest found\): resolved as Node, without the bundler's aliases, defines/,
    )
    expect(lines[0]).toMatch(/^src\/math\.ts#fib {2}hash [0-9a-f]{16} {2}own [0-9a-f]{16} {2}src\/math\.ts:3$/)
    expect(lines[1]).toMatch(/^├─ src\/helpers\.ts#add {2}hash [0-9a-f]{16} {2}own [0-9a-f]{16} {2}src\/helpers\.ts:1$/)
    expect(lines[2]).toMatch(/^└─ src\/math\.ts#fib .* \(see above\)$/)
    const fp = JSON.parse(run(dir, 'fingerprint', '--json', 'src/math.ts#fib').stdout)['src/math.ts#fib']
    expect(lines[0]).toContain(fp.slice(0, 16))
  })

  it("a declaration whose initializer runs code (the README's smartCache(…) form) is not its own child", () => {
    // Its initializer counts as module setup for the target itself; the tree listed the target
    // again under itself, with the hash of its node alone, marked "(see above)".
    const dir = project({
      'package.json': JSON.stringify({ name: 'demo', type: 'module' }),
      'node_modules/memo-lib/package.json': JSON.stringify({ name: 'memo-lib', version: '1.0.0', type: 'module', main: 'index.js' }),
      'node_modules/memo-lib/index.js': 'export const memo = fn => fn\n',
      'src/compute.ts': `import { memo } from 'memo-lib'\nimport { add } from './helpers.js'\n\nexport const total = memo(async (n: number) => add(n, 1))\n`,
      'src/helpers.ts': files['src/helpers.ts'],
    })
    const r = run(dir, 'explain', 'src/compute.ts#total')
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n').slice(1)
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^src\/compute\.ts#total {2}hash [0-9a-f]{16} /)
    expect(
      lines
        .slice(1)
        .map(l => l.split('  ')[0])
        .sort(),
    ).toEqual(['├─ memo-lib@1.0.0#memo', '└─ src/helpers.ts#add'].sort())
    expect(r.stdout).not.toContain('(see above)')
    // The fingerprint is unchanged: the root's hash is the fingerprint's.
    const fp = JSON.parse(run(dir, 'fingerprint', '--json', 'src/compute.ts#total').stdout)['src/compute.ts#total']
    expect(lines[0]).toContain(`hash ${fp.slice(0, 16)}`)
    const tree = JSON.parse(run(dir, 'explain', '--json', 'src/compute.ts#total').stdout)
    expect(tree.children.map((c: { id: string }) => c.id)).not.toContain('src/compute.ts#total')
  })

  it('--json prints the tree', () => {
    const dir = project(files)
    const tree = JSON.parse(run(dir, 'explain', '--json', 'src/math.ts#default').stdout)
    expect(tree.engineOptions).toEqual({ manifest: null, missing: 'no-manifest' })
    expect(tree).toMatchObject({ id: 'src/math.ts#default', file: 'src/math.ts', binding: 'default', resolvedFrom: 'src/math.ts:7' })
    expect(tree.hash).toMatch(HEX)
    expect(tree.children[0]).toMatchObject({ id: 'src/helpers.ts#add', resolvedFrom: 'src/helpers.ts:1', children: [] })
  })
})

describe('packaging', () => {
  it('node_modules/.bin/smart-cache at the repository root runs the CLI', () => {
    const r = spawnSync(repoBin, ['--help'], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('fingerprint')
    expect(r.stdout).toContain('explain')
  })

  it('stringifyDeep matches JSON.stringify and survives 100,000 levels', () => {
    const sample = { a: [1, 'x', null, { b: true }], c: 'é"\n', d: undefined }
    expect(stringifyDeep(sample)).toBe(JSON.stringify(sample))
    let deep: { c: unknown[] } = { c: [] }
    for (let i = 0; i < 100_000; i++) deep = { c: [deep] }
    expect(stringifyDeep(deep).length).toBe(100_001 * 8)
  })
})
