import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import {
  type BindingFingerprint,
  createFingerprinter,
  ENGINE_VERSION,
  type EngineWarning,
  type FingerprinterOptions,
} from '@smart-cache/fingerprint'
import { project, tempDir, writeFiles } from './helpers.ts'

/**
 * The stored answers (`<cacheDir>/<version>/answers-<id>.json`): a new engine answers
 * `fingerprint()` from them while every fact they came from holds. "Served" is proven by
 * tampering a stored hash and seeing it come back; "not served" by tampering and seeing the
 * correct hash (equal to a memory-only engine's) instead.
 */

const TAMPERED = 'e'.repeat(64)

/** A project written now, with its own cache folder outside it (creating the cache must not touch the project). */
async function setup(files: Record<string, string>, { settle = true } = {}): Promise<{ dir: string; cache: string }> {
  const dir = project(files)
  const cache = tempDir('fp-answers-cache-')
  if (settle) await sleep(3100) // stamps newer than the racy window are never trusted
  return { dir, cache }
}

type Run = BindingFingerprint & { warnings: EngineWarning[] }

/** One engine, one `fingerprint()` call, then close() (which saves the answers). */
async function run(dir: string, cacheDir: string | false, target = 'main.ts#f'): Promise<Run> {
  const engine = createFingerprinter({ root: dir, cacheDir })
  try {
    const [file, name] = target.split('#') as [string, string]
    const fp = await engine.fingerprint(file, name)
    return {
      id: fp.id,
      hash: fp.hash,
      sourceHash: fp.sourceHash,
      deps: fp.deps,
      uncacheable: fp.uncacheable,
      warnings: [...engine.warnings],
    }
  } finally {
    await engine.close()
  }
}

/** The hash a memory-only engine computes now: the truth to compare with. */
const freshHash = async (dir: string, target = 'main.ts#f'): Promise<string> => (await run(dir, false, target)).hash

function answersPath(cache: string): string {
  const name = readdirSync(join(cache, ENGINE_VERSION)).find(f => /^answers-.*\.json$/.test(f))
  if (!name) throw new Error('no answers file written')
  return join(cache, ENGINE_VERSION, name)
}

function factsPath(cache: string): string {
  return answersPath(cache).replace(/answers-([^/\\]+)\.json$/, 'facts-$1.json')
}

interface FactsFile {
  token: string
  folders: Record<string, Array<[string, string]>>
  resolutions: unknown[]
}
const readFacts = (cache: string): FactsFile => JSON.parse(readFileSync(factsPath(cache), 'utf8')) as FactsFile

interface AnswersFile {
  token: string
  deps: unknown[][]
  answers: Array<[string, string, string, string, number[]]>
  warnings: unknown
}

const readAnswers = (cache: string): AnswersFile => JSON.parse(readFileSync(answersPath(cache), 'utf8')) as AnswersFile
const writeAnswers = (cache: string, data: unknown): void => writeFileSync(answersPath(cache), JSON.stringify(data))

/** Replaces every stored hash: an engine answering from the file returns TAMPERED. */
function tamper(cache: string): void {
  const data = readAnswers(cache)
  expect(data.answers.length).toBeGreaterThan(0)
  for (const row of data.answers) row[2] = TAMPERED
  writeAnswers(cache, data)
}

/** Engine 1 ran; `change` happened; a new engine on the same cache must not serve the stored answers. */
async function expectRecomputed(dir: string, cache: string, first: string, target = 'main.ts#f'): Promise<string> {
  tamper(cache)
  const second = await run(dir, cache, target)
  expect(second.hash).not.toBe(TAMPERED)
  expect(second.hash).toBe(await freshHash(dir, target))
  expect(second.hash).not.toBe(first)
  return second.hash
}

const chain = {
  'main.ts': `import { a } from './a'\nexport const f = () => a() + 1`,
  'a.ts': `import { b } from './b'\nexport const a = () => b() * 2`,
  'b.ts': `export const b = () => 1`,
}

describe('stored answers (a new engine answers without loading the full engine)', () => {
  it('1. unchanged project: served from the stored answers, with the same id, deps and sourceHash', async () => {
    const { dir, cache } = await setup(chain)
    const first = await run(dir, cache)
    expect(first.deps.map(d => d.file)).toEqual(['a.ts', 'b.ts'])

    const second = await run(dir, cache)
    expect(second).toEqual(first)

    tamper(cache)
    const third = await run(dir, cache)
    expect(third.hash).toBe(TAMPERED) // proof: answered from the file
    expect(third.id).toBe(first.id)
    expect(third.deps).toEqual(first.deps)
    expect(third.sourceHash).toBe(first.sourceHash)
    // Absolute and root-relative paths name the same stored answer.
    expect((await run(dir, cache, `${join(dir, 'main.ts')}#f`)).hash).toBe(TAMPERED)
  })

  it('1b. a name not stored is computed by the full engine; the stored ones are kept when it saves', async () => {
    const files = { ...chain, 'main.ts': `${chain['main.ts']}\nexport const h = () => 7` }
    const { dir, cache } = await setup(files)
    await run(dir, cache)
    tamper(cache)
    expect((await run(dir, cache, 'main.ts#h')).hash).toBe(await freshHash(dir, 'main.ts#h'))
    expect((await run(dir, cache)).hash).toBe(TAMPERED) // main.ts#f still served, merged into the new file
  })

  it('2. a transitively reached file edited (same size, new content): not served, correct hash', async () => {
    const { dir, cache } = await setup(chain)
    const first = (await run(dir, cache)).hash
    writeFiles(dir, { 'b.ts': `export const b = () => 2` })
    await expectRecomputed(dir, cache, first)
  })

  const resolutionChanges: Array<[string, Record<string, string>, string, Record<string, string>]> = [
    [
      '3a. resolution change without touching a read file: ./g was g.js, then g.ts is added',
      { 'main.ts': `import { g } from './g'\nexport const f = () => g()`, 'g.js': `export const g = () => 1` },
      'g.js',
      { 'g.ts': `export const g = () => 2` },
    ],
    [
      '3b. resolution change: ./lib was lib/index.ts, then lib.ts is added',
      { 'main.ts': `import { g } from './lib'\nexport const f = () => g()`, 'lib/index.ts': `export const g = () => 1` },
      'lib/index.ts',
      { 'lib.ts': `export const g = () => 2` },
    ],
    [
      '3c. resolution change inside a folder: ./lib was lib/index.js, then lib/index.ts is added',
      { 'main.ts': `import { g } from './lib'\nexport const f = () => g()`, 'lib/index.js': `export const g = () => 1` },
      'lib/index.js',
      { 'lib/index.ts': `export const g = () => 2` },
    ],
  ]

  it.each(resolutionChanges)('%s', async (_, files, resolvedTo, added) => {
    const { dir, cache } = await setup(files)
    const first = await run(dir, cache)
    expect(first.deps.map(d => d.file)).toEqual([resolvedTo])
    writeFiles(dir, added)
    await expectRecomputed(dir, cache, first.hash)
  })

  it('4. a package under node_modules changes version: not served, correct hash', async () => {
    const pkg = (version: string): string => JSON.stringify({ name: 'tiny-lib', version, main: 'index.js' })
    const { dir, cache } = await setup({
      'main.ts': `import { t } from 'tiny-lib'\nexport const f = () => t()`,
      'node_modules/tiny-lib/package.json': pkg('1.0.0'),
      'node_modules/tiny-lib/index.js': `export const t = () => 1`,
    })
    const first = (await run(dir, cache)).hash
    writeFiles(dir, { 'node_modules/tiny-lib/package.json': pkg('1.0.1') }) // same size
    await expectRecomputed(dir, cache, first)
  })

  const tsconfig = JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '~/*': ['gen/*', 'src/*'] } } })

  it('5a. tsconfig paths: ~/x was src/x.ts, then gen/x.ts (earlier in paths) is added where a reached file lives', async () => {
    const { dir, cache } = await setup({
      'tsconfig.json': tsconfig,
      'main.ts': `import { x } from '~/x'\nimport { y } from '~/y'\nexport const f = () => x() + y()`,
      'src/x.ts': `export const x = () => 1`,
      'gen/y.ts': `export const y = () => 1`,
    })
    const first = await run(dir, cache)
    expect(first.deps.map(d => d.file)).toEqual(['gen/y.ts', 'src/x.ts'])
    writeFiles(dir, { 'gen/x.ts': `export const x = () => 2` })
    await expectRecomputed(dir, cache, first.hash)
  })

  it('5 (precondition of 5b, 5c): once gen/x.ts exists, a memory-only engine resolves ~/x to it', async () => {
    const layouts: Array<Record<string, string>> = [{ 'gen/unrelated.txt': `nothing imports this` }, {}]
    for (const extra of layouts) {
      const dir = project({
        'tsconfig.json': tsconfig,
        'main.ts': `import { x } from '~/x'\nexport const f = () => x()`,
        'src/x.ts': `export const x = () => 1`,
        ...extra,
      })
      expect((await run(dir, false)).deps.map(d => d.file)).toEqual(['src/x.ts'])
      writeFiles(dir, { 'gen/x.ts': `export const x = () => 2` })
      expect((await run(dir, false)).deps.map(d => d.file)).toEqual(['gen/x.ts'])
    }
  })

  // No folder stamp covers the candidates `paths` tries before the target (gen/): bare specifiers
  // under a tsconfig.json are resolved again when stored answers are checked.
  it('5b. tsconfig paths: ~/x was src/x.ts, then gen/x.ts is added where nothing reached lives', async () => {
    const { dir, cache } = await setup({
      'tsconfig.json': tsconfig,
      'main.ts': `import { x } from '~/x'\nexport const f = () => x()`,
      'src/x.ts': `export const x = () => 1`,
      'gen/unrelated.txt': `nothing imports this`,
    })
    const first = await run(dir, cache)
    expect(first.deps.map(d => d.file)).toEqual(['src/x.ts'])
    writeFiles(dir, { 'gen/x.ts': `export const x = () => 2` })
    await expectRecomputed(dir, cache, first.hash)
  })

  it('5c. tsconfig paths: ~/x was src/x.ts, then gen/x.ts is added and gen/ did not exist', async () => {
    const { dir, cache } = await setup({
      'tsconfig.json': tsconfig,
      'main.ts': `import { x } from '~/x'\nexport const f = () => x()`,
      'src/x.ts': `export const x = () => 1`,
    })
    const first = (await run(dir, cache)).hash
    writeFiles(dir, { 'gen/x.ts': `export const x = () => 2` })
    await expectRecomputed(dir, cache, first)
  })

  it('5d. tsconfig paths, nothing changed: still served (the repeated resolutions agree)', async () => {
    const { dir, cache } = await setup({
      'tsconfig.json': tsconfig,
      'main.ts': `import { x } from '~/x'\nexport const f = () => x()`,
      'src/x.ts': `export const x = () => 1`,
    })
    await run(dir, cache)
    tamper(cache)
    expect((await run(dir, cache)).hash).toBe(TAMPERED)
  })

  it('5e. baseUrl: a bare import that resolved to a package, then a file of that name appears at the baseUrl', async () => {
    const { dir, cache } = await setup({
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.' } }),
      'main.ts': `import { t } from 'tiny-lib'\nexport const f = () => t()`,
      'node_modules/tiny-lib/package.json': JSON.stringify({ name: 'tiny-lib', version: '1.0.0', type: 'module', main: 'index.js' }),
      'node_modules/tiny-lib/index.js': `export const t = () => 1`,
    })
    const first = (await run(dir, cache)).hash
    writeFiles(dir, { 'tiny-lib.ts': `export const t = () => 2` })
    await expectRecomputed(dir, cache, first)
  })

  it('5f. a pattern of files (import(`./locales/${lang}.json`)): served, then a match added in a subfolder that had none, then one removed', async () => {
    const { dir, cache } = await setup({
      'main.ts': 'export const f = async (lang: string) => (await import(`./locales/${lang}.json`)).default',
      'locales/en.json': '{"hi":"hello"}',
      'locales/fr.json': '{"hi":"salut"}',
      'locales/old/notes.md': 'no match here',
    })
    const first = (await run(dir, cache)).hash
    tamper(cache)
    expect((await run(dir, cache)).hash).toBe(TAMPERED)
    writeFiles(dir, { 'locales/old/de.json': '{"hi":"hallo"}' })
    const added = await expectRecomputed(dir, cache, first)
    rmSync(join(dir, 'locales/fr.json'))
    await expectRecomputed(dir, cache, added)
  })

  it('6. racy: engine 1 ran right after the files were written: a new engine trusts its answers by content only', async () => {
    const { dir, cache } = await setup(chain, { settle: false })
    const first = (await run(dir, cache)).hash
    expect(
      Object.values(readFacts(cache).folders)
        .flat()
        .some(([, state]) => state === '?'),
    ).toBe(true)
    tamper(cache)
    expect((await run(dir, cache)).hash).toBe(TAMPERED) // the same bytes and listings: served
    // An edit within the same second, same size: the stamp may not move, the content does.
    writeFiles(dir, { 'b.ts': chain['b.ts'].replace('1', '2') })
    const third = await run(dir, cache)
    expect(third.hash).not.toBe(TAMPERED)
    expect(third.hash).not.toBe(first)
    expect(third.hash).toBe(await freshHash(dir))
  })

  it('7. warnings: an engine serving stored answers reports the warnings of the engine that stored them', async () => {
    const { dir, cache } = await setup({
      'main.ts': `import { m } from './missing'\nimport { a } from './a'\nexport const f = () => m() + a()\nexport const g = () => a()`,
      'a.ts': `export const a = () => 1`,
    })
    const engine = createFingerprinter({ root: dir, cacheDir: cache })
    const first = await engine.fingerprint('main.ts', 'f')
    await engine.fingerprint('main.ts', 'g')
    const warnings = [...engine.warnings]
    await engine.close()
    expect(warnings.map(w => w.code)).toEqual(['unresolved-import'])
    expect(warnings[0]!.message).toMatch(/^\[smart-cache\] main\.ts:1:\d+: cannot resolve '\.\/missing'/)
    // f reaches code the engine cannot see: it is uncacheable, and never stored (each engine computes it again).
    expect(first.uncacheable).toMatch(/'\.\/missing' at main\.ts:1:\d+ cannot be resolved/)
    expect(readAnswers(cache).answers.map(r => r[1])).toEqual(['g'])
    tamper(cache)
    const second = await run(dir, cache, 'main.ts#g')
    expect(second.hash).toBe(TAMPERED)
    expect(second.warnings).toEqual(warnings)
  })

  it('7b. adding the missing file of an unresolved import: not served, correct hash, cacheable, no warning', async () => {
    const { dir, cache } = await setup({
      'main.ts': `import { m } from './missing'\nexport const f = () => m()`,
    })
    const first = await run(dir, cache)
    expect(first.uncacheable).toBeDefined()
    expect(() => answersPath(cache)).toThrow('no answers file written') // nothing cacheable was answered: nothing stored
    writeFiles(dir, { 'missing.ts': `export const m = () => 1` })
    const second = await run(dir, cache)
    expect(second.hash).toBe(await freshHash(dir))
    expect(second.hash).not.toBe(first.hash)
    expect(second.uncacheable).toBeUndefined()
    expect(second.warnings).toEqual([])
  })

  it(`8. recheck 'after-invalidate': serves the stored answers until invalidate(file), then the new hash`, async () => {
    const { dir, cache } = await setup(chain)
    const first = (await run(dir, cache)).hash
    tamper(cache)
    const engine = createFingerprinter({ root: dir, cacheDir: cache, recheck: 'after-invalidate' } satisfies FingerprinterOptions)
    try {
      expect((await engine.fingerprint('main.ts', 'f')).hash).toBe(TAMPERED)
      writeFiles(dir, { 'b.ts': `export const b = () => 3` })
      await nextTurn()
      // Documented: this mode re-reads only what invalidate() names.
      expect((await engine.fingerprint('main.ts', 'f')).hash).toBe(TAMPERED)
      engine.invalidate(join(dir, 'b.ts'))
      const after = (await engine.fingerprint('main.ts', 'f')).hash
      expect(after).not.toBe(first)
      expect(after).toBe(await freshHash(dir))
    } finally {
      await engine.close()
    }
  })

  it(`8b. recheck 'after-invalidate': recheck() makes the next call see an edit nobody reported, from stored answers or from the full engine`, async () => {
    const { dir, cache } = await setup(chain)
    const first = (await run(dir, cache)).hash
    tamper(cache)
    const engine = createFingerprinter({ root: dir, cacheDir: cache, recheck: 'after-invalidate' })
    try {
      expect((await engine.fingerprint('main.ts', 'f')).hash).toBe(TAMPERED)
      writeFiles(dir, { 'b.ts': `export const b = () => 3` })
      await nextTurn()
      engine.recheck() // an esbuild rebuild: no file named
      const after = (await engine.fingerprint('main.ts', 'f')).hash
      expect(after).not.toBe(first)
      expect(after).toBe(await freshHash(dir))
      // The full engine answers now: the next unreported edit is seen after recheck() too.
      writeFiles(dir, { 'b.ts': `export const b = () => 1` })
      await nextTurn()
      expect((await engine.fingerprint('main.ts', 'f')).hash).toBe(after)
      engine.recheck()
      expect((await engine.fingerprint('main.ts', 'f')).hash).toBe(first)
    } finally {
      await engine.close()
    }
  })

  it(`9. recheck 'every-call': a long-lived engine serving stored answers sees an edit on its next call`, async () => {
    const { dir, cache } = await setup(chain)
    const first = (await run(dir, cache)).hash
    tamper(cache)
    const engine = createFingerprinter({ root: dir, cacheDir: cache })
    try {
      expect((await engine.fingerprint('main.ts', 'f')).hash).toBe(TAMPERED)
      writeFiles(dir, { 'b.ts': `export const b = () => 3` }) // no invalidate()
      await nextTurn()
      const after = (await engine.fingerprint('main.ts', 'f')).hash
      expect(after).not.toBe(first)
      expect(after).toBe(await freshHash(dir))
      // And back: the full engine now answers, and sees the next edit too.
      writeFiles(dir, { 'b.ts': `export const b = () => 1` })
      await nextTurn()
      expect((await engine.fingerprint('main.ts', 'f')).hash).toBe(first)
    } finally {
      await engine.close()
    }
  })

  it('11. many facts are checked ahead on a background check (recheck: after-invalidate): served, and not served after an edit', async () => {
    // 1,500 modules in a chain: a facts file above the 64 KB at which the check starts with the engine, in slices.
    const files: Record<string, string> = { 'main.ts': `import { m0 } from './m/m0'\nexport const f = () => m0(1)` }
    for (let i = 0; i < 1500; i++)
      files[`m/m${i}.ts`] =
        i < 1499
          ? `import { m${i + 1} } from './m${i + 1}'\nexport const m${i} = (x: number) => m${i + 1}(x) + ${i}`
          : `export const m${i} = (x: number) => x`
    const { dir, cache } = await setup(files)
    const first = (await run(dir, cache)).hash
    expect(readFileSync(factsPath(cache)).length).toBeGreaterThan(64 * 1024)
    const afterInvalidate = (): Promise<string> => {
      const engine = createFingerprinter({ root: dir, cacheDir: cache, recheck: 'after-invalidate' })
      return engine
        .fingerprint('main.ts', 'f')
        .then(fp => fp.hash)
        .finally(() => engine.close())
    }
    tamper(cache)
    expect(await afterInvalidate()).toBe(TAMPERED)
    writeFiles(dir, { 'm/m700.ts': `import { m701 } from './m701'\nexport const m700 = (x: number) => m701(x) + 7` })
    const edited = await afterInvalidate()
    expect(edited).not.toBe(TAMPERED)
    expect(edited).toBe(await freshHash(dir))
    expect(edited).not.toBe(first)
  })

  const corruptions: Array<[string, (cache: string) => void]> = [
    ['garbage text', cache => writeFileSync(answersPath(cache), 'not json at all \u0000\u00FF')],
    ['truncated JSON', cache => writeFileSync(answersPath(cache), readFileSync(answersPath(cache), 'utf8').slice(0, 40))],
    [
      'a dep index out of range (with a tampered hash)',
      cache => {
        const data = readAnswers(cache)
        for (const row of data.answers) {
          row[2] = TAMPERED
          row[4] = [...row[4], data.deps.length + 5]
        }
        writeAnswers(cache, data)
      },
    ],
    ['JSON null', cache => writeAnswers(cache, null)],
    [
      'a facts file that is garbage (with a tampered hash)',
      cache => {
        tamper(cache)
        writeFileSync(factsPath(cache), '{"token":')
      },
    ],
    [
      'answers and facts from two different saves (with a tampered hash)',
      cache => {
        tamper(cache)
        writeFileSync(factsPath(cache), JSON.stringify({ ...readFacts(cache), token: 'another save' }))
      },
    ],
    [
      'warnings that are not a list (with a tampered hash)',
      cache => {
        const data = readAnswers(cache)
        for (const row of data.answers) row[2] = TAMPERED
        writeAnswers(cache, { ...data, warnings: 'oops' })
      },
    ],
    [
      'a warning that is not an object (with a tampered hash)',
      cache => {
        const data = readAnswers(cache)
        for (const row of data.answers) row[2] = TAMPERED
        writeAnswers(cache, { ...data, warnings: [null] })
      },
    ],
  ]

  it('10. a corrupt answers file gives the correct hash and never throws', async () => {
    const { dir, cache } = await setup(chain)
    const first = (await run(dir, cache)).hash
    for (const [what, corrupt] of corruptions) {
      corrupt(cache)
      const second = await run(dir, cache).catch((error: unknown) => ({ hash: `threw: ${String(error)}` }))
      expect(second.hash, what).toBe(first)
      // The engine that recomputed stored a good file again (or the next corruption has nothing to work on).
      rmSync(answersPath(cache))
      await run(dir, cache)
    }
  })
})
