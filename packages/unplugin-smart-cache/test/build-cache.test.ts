// The build cache in real Rollup builds with the real engine: what a second build takes from
// `<root>/node_modules/.cache/smart-cache/engine/plugin/build-<id>.json`, and when it must not.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFingerprinter } from '@smart-cache/fingerprint'
import { rollup } from 'rollup'
import { describe, expect, it } from 'vitest'
import plugin from '../src/rollup.js'
import { bundledFingerprint, tmpProject } from './helpers.js'

/** Appended to the cached rewrite: seen in an output only when the cache served it. */
const TAMPER = '/* served-from-build-cache */'

const HELPER = `export function scale(x) {\n  return x * 2\n}\n`
const MAIN = `import { smartCache } from 'smart-cache'
import { scale } from './helper.js'

export const total = smartCache(async (x) => scale(x) + 1)
`
const IMPURE = `import { smartCache } from 'smart-cache'

export const stamp = smartCache(async (x) => x + Date.now())
`

/** A project with `smart-cache` installed (a stub: the bundle keeps it external), so the engine resolves it. */
function project(files: Record<string, string>): string {
  const root = tmpProject()
  write(
    root,
    'node_modules/smart-cache/package.json',
    JSON.stringify({ name: 'smart-cache', version: '0.0.0', type: 'module', exports: './index.js' }),
  )
  write(root, 'node_modules/smart-cache/index.js', 'export const smartCache = fn => fn\n')
  for (const [rel, code] of Object.entries(files)) write(root, rel, code)
  return root
}

function write(root: string, rel: string, code: string): void {
  mkdirSync(join(root, rel, '..'), { recursive: true })
  writeFileSync(join(root, rel), code)
}

interface Built {
  code: string
  manifest: any
  warnings: string[]
}

/** A one-off Rollup build of `src/main.js` with the real engine and the default cache folder. */
async function build(root: string, options: object = {}): Promise<Built> {
  const warnings: string[] = []
  const bundle = await rollup({
    input: join(root, 'src/main.js'),
    external: ['smart-cache'],
    plugins: [plugin({ root, ...options })],
    onwarn: w => void warnings.push(w.message),
  })
  try {
    await bundle.write({ dir: join(root, 'dist'), format: 'es' })
  } finally {
    await bundle.close()
  }
  // Everything but the build time.
  const { createdAt, ...manifest } = JSON.parse(readFileSync(join(root, 'node_modules/.cache/smart-cache/manifests/dist.json'), 'utf8'))
  expect(createdAt).toEqual(expect.any(String))
  return { code: readFileSync(join(root, 'dist/main.js'), 'utf8'), manifest, warnings }
}

const cacheFolder = (root: string) => join(root, 'node_modules/.cache/smart-cache/engine/plugin')

/** The one build cache file of the project (found on disk, not computed the way src/ does). */
function cacheFile(root: string): string {
  const files = readdirSync(cacheFolder(root)).filter(f => /^build-[0-9a-f]+\.json$/.test(f))
  expect(files).toHaveLength(1)
  return join(cacheFolder(root), files[0]!)
}

function readCache(root: string): any {
  return JSON.parse(readFileSync(cacheFile(root), 'utf8'))
}

function editCache(root: string, edit: (data: any) => void): void {
  const data = readCache(root)
  edit(data)
  writeFileSync(cacheFile(root), JSON.stringify(data))
}

/** Marks the cached rewrite of `src/main.js`, so that a build using it shows {@link TAMPER}. */
function tamperMain(root: string): void {
  editCache(root, data => {
    const entry = data.modules['src/main.js']
    expect(typeof entry.code).toBe('string')
    entry.code += `\n${TAMPER}\n`
    if (entry.deferred) entry.deferred.code += `\n${TAMPER}\n` // what a one-off build serves
  })
}

/** Every `build-*.json` under `dir`. */
function buildCacheFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(f => /(?:^|[/\\])build-[^/\\]*\.json$/.test(f))
}

const fingerprintOf = (built: Built, id: string): string => built.manifest.functions[id].fingerprint

/** The fingerprint the engine itself gives, on a fresh engine with no disk cache. */
async function engineFingerprint(root: string, file: string, name: string): Promise<string> {
  const engine = createFingerprinter({ root, cacheDir: false })
  try {
    return (await engine.fingerprint(file, name)).hash
  } finally {
    await engine.close?.()
  }
}

const ownVersion: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version

const impurityWarnings = (b: Built) => b.warnings.filter(w => w.includes('reads Date.now()'))

describe('build cache (real Rollup builds, real engine, cache files on disk)', () => {
  it('a second build of an unchanged project gives the same output and manifest, and takes the rewrite from the cache', async () => {
    const root = project({ 'src/main.js': MAIN, 'src/helper.js': HELPER })
    const first = await build(root)
    expect(bundledFingerprint(first.code, 'src/main.js#total')).toBe(fingerprintOf(first, 'src/main.js#total'))
    const entry = readCache(root).modules['src/main.js']
    expect(entry.plan).toEqual([['total', 'src/main.js#total', fingerprintOf(first, 'src/main.js#total')]])

    const second = await build(root)
    expect(second.code).toBe(first.code)
    expect(second.manifest).toEqual(first.manifest)

    tamperMain(root)
    const third = await build(root)
    expect(third.code).toContain(TAMPER)
    expect(third.manifest).toEqual(first.manifest)
  })

  it('an unchanged build keeps the manifest as written; lines moved in a reached file (same fingerprint) rewrite it', async () => {
    const root = project({ 'src/main.js': MAIN, 'src/helper.js': HELPER })
    const file = join(root, 'node_modules/.cache/smart-cache/manifests/dist.json')
    await build(root)
    const written = readFileSync(file, 'utf8')
    expect(written).toMatch(/^\{\n {2}"version": 2,\n {2}"digest": "[0-9a-f]{64}",\n {2}"createdAt"/)
    await build(root)
    expect(readFileSync(file, 'utf8')).toBe(written) // not made again: same createdAt

    // A comment line above the helper: the fingerprint stays, the helper's line in the deps moves.
    writeFileSync(join(root, 'src/helper.js'), `// scales\n${HELPER}`)
    const moved = await build(root)
    const rewritten = readFileSync(file, 'utf8')
    expect(rewritten).not.toBe(written)
    expect(moved.manifest.functions['src/main.js#total'].fingerprint).toBe(JSON.parse(written).functions['src/main.js#total'].fingerprint)
    const line = (text: string) => JSON.parse(text).deps.find((row: unknown[]) => row[0] === 'src/helper.js')[3]
    expect(line(rewritten)).toBe(line(written) + 1)
  })

  // With diagnostics off no findings are looked up, so only the code digest can refuse the entry.
  it.each(['warn', 'off'])(
    'an edit of the module itself (even outside the cached function) is not served the cached rewrite (diagnostics %s)',
    async diagnostics => {
      const root = project({ 'src/main.js': MAIN, 'src/helper.js': HELPER })
      const first = await build(root, { diagnostics })
      tamperMain(root)
      write(root, 'src/main.js', `${MAIN}export const edited = 'edited-module'\n`)

      const second = await build(root, { diagnostics })
      expect(second.code).not.toContain(TAMPER)
      expect(second.code).toContain('edited-module')
      // The function's fingerprint is unchanged: only the module's code tells the entry is stale.
      expect(fingerprintOf(second, 'src/main.js#total')).toBe(fingerprintOf(first, 'src/main.js#total'))
      expect(bundledFingerprint(second.code, 'src/main.js#total')).toBe(fingerprintOf(first, 'src/main.js#total'))
      expect(readCache(root).modules['src/main.js'].code).not.toContain(TAMPER)
    },
  )

  // With diagnostics off no findings are looked up, so only the fingerprint check can refuse the entry.
  it.each(['warn', 'off'])(
    'an edit of a helper the cached function reaches gives the new fingerprint, not the cached rewrite (diagnostics %s)',
    async diagnostics => {
      const root = project({ 'src/main.js': MAIN, 'src/helper.js': HELPER })
      const first = await build(root, { diagnostics })
      const before = fingerprintOf(first, 'src/main.js#total')
      tamperMain(root)
      write(root, 'src/helper.js', `export function scale(x) {\n  return x * 3 + 0\n}\n`)

      const second = await build(root, { diagnostics })
      const after = await engineFingerprint(root, 'src/main.js', 'total')
      expect(after).not.toBe(before)
      expect(second.code).not.toContain(TAMPER)
      expect(bundledFingerprint(second.code, 'src/main.js#total')).toBe(after)
      expect(second.code).not.toContain(before)
      expect(fingerprintOf(second, 'src/main.js#total')).toBe(after)
      expect(readCache(root).modules['src/main.js'].plan[0][2]).toBe(after)
    },
  )

  describe('purity diagnostics', () => {
    it('a cached function reading Date.now() warns in the first build and, identically, in the cached second build', async () => {
      const root = project({ 'src/main.js': IMPURE })
      const first = await build(root)
      expect(impurityWarnings(first)).toHaveLength(1)
      expect(impurityWarnings(first)[0]).toContain('cached function src/main.js#stamp reads Date.now() at src/main.js:3:50')

      tamperMain(root)
      const second = await build(root)
      expect(second.code).toContain(TAMPER) // the cached path ran…
      expect(impurityWarnings(second)).toEqual(impurityWarnings(first)) // …and still warned
    })

    it("with diagnostics 'error' the cached second build fails with the finding", async () => {
      const root = project({ 'src/main.js': IMPURE })
      const first = await build(root)
      const message = impurityWarnings(first)[0]!

      const error = await build(root, { diagnostics: 'error' }).catch((e: Error) => e)
      expect(error).toBeInstanceOf(Error)
      expect((error as Error).message).toContain(message)

      // The failure comes from the cached findings: a marked stored finding is what is reported.
      editCache(root, data => {
        const found = data.diagnostics['src/main.js#stamp'].found
        expect(found).toHaveLength(1)
        found[0].message += ' [stored-finding]'
      })
      await expect(build(root, { diagnostics: 'error' })).rejects.toThrow(
        /reads Date\.now\(\) at src\/main\.js:3:50[\s\S]*\[stored-finding\]/,
      )
    })
  })

  it('a cache written by another plugin version is ignored (and replaced)', async () => {
    const root = project({ 'src/main.js': MAIN, 'src/helper.js': HELPER })
    const first = await build(root)
    const version = readCache(root).version
    // The package's own version (not `unknown`, whether the plugin runs from src/ or dist/).
    expect(version.startsWith(`${ownVersion}+`)).toBe(true)
    tamperMain(root)
    editCache(root, data => {
      data.version = '0.0.9+1'
    })

    const second = await build(root)
    expect(second.code).not.toContain(TAMPER)
    expect(second.code).toBe(first.code)
    expect(readCache(root).version).toBe(version)
    expect(readCache(root).modules['src/main.js'].code).not.toContain(TAMPER)
  })

  describe('a corrupt cache file costs only a full rewrite', () => {
    const corruptions: Array<[string, (root: string, file: string) => void]> = [
      ['garbage', (_, file) => writeFileSync(file, '\0{not json')],
      ['JSON null', (_, file) => writeFileSync(file, 'null')],
      [
        'modules: null',
        root =>
          editCache(root, d => {
            d.modules = null
          }),
      ],
      [
        "a module entry with plan: 'x'",
        root =>
          editCache(root, d => {
            d.modules['src/main.js'].plan = 'x'
          }),
      ],
      [
        'a module entry with plan: [null]',
        root =>
          editCache(root, d => {
            d.modules['src/main.js'].plan = [null]
          }),
      ],
      [
        'a module entry with code: 42',
        root =>
          editCache(root, d => {
            d.modules['src/main.js'].code = 42
          }),
      ],
      [
        'a module entry with notes: [null]',
        root =>
          editCache(root, d => {
            d.modules['src/main.js'].notes = [null]
          }),
      ],
      [
        'findings that are not findings',
        root =>
          editCache(root, d => {
            for (const e of Object.values<any>(d.diagnostics)) e.found = [null]
          }),
      ],
    ]

    it.each(corruptions)('%s', async (_, corrupt) => {
      const root = project({ 'src/main.js': MAIN, 'src/helper.js': HELPER })
      const first = await build(root)
      corrupt(root, cacheFile(root))

      const second = await build(root)
      expect(second.code).toBe(first.code)
      expect(second.manifest).toEqual(first.manifest)
      expect(second.warnings.filter(w => w.includes('[smart-cache]'))).toEqual([])
    })
  })

  it('cacheDir: false writes no build cache file', async () => {
    const root = project({ 'src/main.js': MAIN, 'src/helper.js': HELPER })
    const built = await build(root, { cacheDir: false })
    expect(bundledFingerprint(built.code, 'src/main.js#total')).toMatch(/^[0-9a-f]{64}$/)
    expect(existsSync(cacheFolder(root))).toBe(false)
    expect(buildCacheFilesUnder(root)).toEqual([])

    // The default does write one (the assertion above could not pass for a wrong path).
    await build(root)
    expect(buildCacheFilesUnder(root)).toHaveLength(1)
  })
})
