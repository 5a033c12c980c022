import type { DepFingerprint, Engine } from '../src/core/engine.js'
import type { TransformEnv } from '../src/core/transform.js'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll } from 'vitest'
import { BuildCache } from '../src/core/build-cache.js'
import { DiagnosticsCollector } from '../src/core/diagnostics.js'
import { resolveOptions, type Options } from '../src/core/options.js'

/** A stand-in for @smart-cache/fingerprint: hash = sha256(file#name), deps from a table. */
export function fakeEngine(deps: Record<string, DepFingerprint[]> = {}, failFor: string[] = []): Engine & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    warnings: [],
    invalidate() {},
    async fingerprint(file, name) {
      const id = `${file}#${name}`
      calls.push(id)
      if (failFor.includes(id)) throw new Error(`no binding ${name} in ${file}`)
      return { id, hash: createHash('sha256').update(id).digest('hex'), deps: deps[id] ?? [] }
    },
  }
}

export function hashOf(id: string): string {
  return createHash('sha256').update(id).digest('hex')
}

const projects: string[] = []
afterAll(() => {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A temporary folder, removed after the test file. */
export function tmpProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sc-plugin-'))
  projects.push(dir)
  return dir
}

export function env(root: string, engine: Engine, options: Options = {}): TransformEnv {
  return { root, engine, options: resolveOptions(options), diagnostics: new DiagnosticsCollector(root), cache: new BuildCache(false) }
}

/**
 * A recording `smart-cache` runtime for unit tests: in-memory memoization keyed by JSON
 * of the args (plus `this` for methods), counting real calls.
 */
const FAKE_RUNTIME = `
export const log = []
const isMeta = v => v && typeof v === 'object' && v.__smartCache === 1
function wrap(fn, meta, keyThis) {
  const memo = new Map()
  const cached = function (...args) {
    const key = JSON.stringify([keyThis ? this : null, args])
    if (!memo.has(key)) memo.set(key, Promise.resolve(fn.apply(this, args)))
    return memo.get(key)
  }
  cached.meta = meta
  log.push(meta)
  return cached
}
export function smartCache(...input) {
  const meta = input.find(isMeta)
  const rest = input.filter(v => !isMeta(v))
  if (typeof rest[0] === 'function') {
    if (rest[1] && rest[1].kind === 'method') return wrap(rest[0], meta, !rest[1].static)
    return wrap(rest[0], meta, false)
  }
  return (m, ctx) => wrap(m, meta, !ctx.static)
}
`

/** The ids the fake runtime was handed, in order. */
export async function runtimeLog(root: string): Promise<{ id: string; fingerprint: string }[]> {
  return (await import(pathToFileURL(join(root, 'node_modules/smart-cache/index.js')).href)).log
}

/** Writes `code` as `<root>/<file>` beside the fake runtime and imports it. */
export async function runModule(root: string, file: string, code: string): Promise<any> {
  const pkg = join(root, 'node_modules', 'smart-cache')
  mkdirSync(pkg, { recursive: true })
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'smart-cache', type: 'module', exports: './index.js' }))
  writeFileSync(join(pkg, 'index.js'), FAKE_RUNTIME)
  const path = join(root, file)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, code)
  return import(`${pathToFileURL(path).href}?t=${Date.now()}${Math.random()}`)
}

/**
 * The fingerprint a bundle gives the cached function `id`: written in its meta
 * (`fingerprint: "<hex>"`), or, from a one-off build, read from a constant of the fingerprints
 * module (`fingerprint: f0 ?? null` and `const f0 = "<hex>"`); `null` when the meta says the engine
 * gave none (`fingerprint: null`, or the constant is `undefined`); `undefined` when there is no meta.
 */
export function bundledFingerprint(code: string, id: string): string | null | undefined {
  const meta = new RegExp(`id: ${JSON.stringify(id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, fingerprint: ("[0-9a-f]{64}"|[\\w$]+)`).exec(
    code,
  )
  if (!meta) return undefined
  const value = meta[1]!
  if (value === 'null') return null
  if (value.startsWith('"')) return JSON.parse(value) as string
  const constant = new RegExp(`const ${value.replace(/\$/g, '\\$')} = ("[0-9a-f]{64}"|undefined);`).exec(code)
  if (!constant) return undefined
  return constant[1] === 'undefined' ? null : (JSON.parse(constant[1]!) as string)
}
