// The bundler's resolution given to the engine (`resolve`): aliases, export conditions per
// environment, extension order. The engine must read the files the bundle runs, or an edit of
// one keeps an old fingerprint (a stale cached value); where it cannot know, the answer says
// `uncacheable` instead of hashing a specifier.
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { createFingerprinter, type ResolveOptions } from '@smart-cache/fingerprint'
import { project, tempDir, writeFiles } from './helpers.ts'

interface Answer {
  hash: string
  uncacheable?: string
  deps: string[]
  warnings: string[]
}

async function answer(root: string, resolve?: ResolveOptions, target = 'main.ts#f', cacheDir: string | false = false): Promise<Answer> {
  const engine = createFingerprinter({ root, cacheDir, ...(resolve ? { resolve } : {}) })
  try {
    const [file, name] = target.split('#') as [string, string]
    const fp = await engine.fingerprint(file, name)
    return { hash: fp.hash, uncacheable: fp.uncacheable, deps: fp.deps.map(d => d.file), warnings: engine.warnings.map(w => w.message) }
  } finally {
    await engine.close()
  }
}

const aliased = {
  'main.ts': `import { scale } from '~lib/helper'\nexport const f = (n: number) => scale(n) + 1`,
  'src/lib/helper.ts': 'export const scale = (n: number) => n * 2\n',
}

describe('aliases', () => {
  it('a string alias leads to the file the bundler reads: edits there change the fingerprint', async () => {
    const dir = project(aliased)
    const resolve = { alias: [{ find: '~lib', replacement: join(dir, 'src/lib') }] }
    const before = await answer(dir, resolve)
    expect(before).toMatchObject({ uncacheable: undefined, deps: ['src/lib/helper.ts'], warnings: [] })
    writeFiles(dir, { 'src/lib/helper.ts': 'export const scale = (n: number) => n * 3\n' })
    expect((await answer(dir, resolve)).hash).not.toBe(before.hash)
  })

  it('a RegExp alias is replaced with String#replace ($1), and a relative replacement resolves from the importer', async () => {
    const dir = project(aliased)
    const regex = await answer(dir, { alias: [{ find: /^~lib\/(.*)$/, replacement: './src/lib/$1' }] })
    const plain = await answer(dir, { alias: [{ find: '~lib', replacement: join(dir, 'src/lib') }] })
    expect(regex).toMatchObject({ uncacheable: undefined, deps: ['src/lib/helper.ts'] })
    expect(regex.hash).toBe(plain.hash)
    // `~libx/…` is not under the string alias `~lib`
    const other = project({ ...aliased, 'main.ts': `import { scale } from '~libx/helper'\nexport const f = (n: number) => scale(n)` })
    expect((await answer(other, { alias: [{ find: '~lib', replacement: join(other, 'src/lib') }] })).uncacheable).toMatch(/'~libx\/helper'/)
  })

  it('without the alias the import cannot be resolved: uncacheable, with a warning naming the place and the fix', async () => {
    const a = await answer(project(aliased))
    expect(a.uncacheable).toMatch(/^it reaches '~lib\/helper' at main\.ts:1:\d+ cannot be resolved/)
    expect(a.warnings.join('\n')).toMatch(/main\.ts:1:\d+: cannot resolve '~lib\/helper'.*run uncached.*tsconfig\.json `paths`/)
  })

  it('an alias whose target the engine cannot know (replacement null) makes what reaches it uncacheable', async () => {
    const a = await answer(project(aliased), { alias: [{ find: /^~lib/, replacement: null }] })
    expect(a.uncacheable).toMatch(/an alias matches '~lib\/helper' whose target the engine cannot know/)
  })

  it('an unresolved import the function does not reach leaves it cacheable', async () => {
    const dir = project({ 'main.ts': `import { m } from './missing'\nexport const f = (n: number) => n + 1\nexport const g = () => m()` })
    expect((await answer(dir)).uncacheable).toBeUndefined()
    expect((await answer(dir, undefined, 'main.ts#g')).uncacheable).toMatch(/'\.\/missing'/)
  })
})

/** A linked workspace package (`node_modules/@ws/util` → a folder outside) exporting its source under `source`, a build under `default`. */
function workspace(): string {
  const pkg = tempDir('fp-ws-pkg-')
  writeFiles(pkg, {
    'package.json': JSON.stringify({
      name: '@ws/util',
      version: '1.0.0',
      type: 'module',
      exports: { '.': { source: './src/index.ts', browser: './dist/browser.js', default: './dist/index.js' } },
    }),
    'src/index.ts': 'export const scale = (n: number) => n * 2\n',
    'dist/index.js': 'export const scale = (n) => n * 2\n',
    'dist/browser.js': 'export const scale = (n) => n * 2\n',
  })
  const dir = project({
    'main.ts': `import { scale } from '@ws/util'\nexport const f = (n: number) => scale(n) + 1`,
    'node_modules/@ws/.keep': '',
  })
  symlinkSync(pkg, join(dir, 'node_modules/@ws/util'), 'dir')
  return dir
}

describe('export conditions of each environment', () => {
  it("the bundler's conditions choose the file: `source` reads src/, whose edit changes the fingerprint", async () => {
    const dir = workspace()
    const resolve = { environments: [{ conditions: ['source', 'node'] }] }
    const before = await answer(dir, resolve)
    expect(before.uncacheable).toBeUndefined()
    expect(before.deps).toHaveLength(1)
    expect(before.deps[0]).toMatch(/src\/index\.ts$/)
    expect((await answer(dir)).deps[0]).toMatch(/dist\/index\.js$/) // Node's conditions
    writeFiles(join(dir, 'node_modules/@ws/util'), { 'src/index.ts': 'export const scale = (n: number) => n * 3\n' })
    expect((await answer(dir, resolve)).hash).not.toBe(before.hash)
  })

  it('environments that lead to different files of the project: uncacheable, naming both', async () => {
    const dir = workspace()
    const a = await answer(dir, { environments: [{ conditions: ['node'] }, { conditions: ['browser'] }] })
    expect(a.uncacheable).toMatch(
      /'@ws\/util' leads to .*dist\/index\.js with the conditions \[node\] and to .*dist\/browser\.js with \[browser\]/,
    )
    // the same file in both: cacheable
    expect((await answer(dir, { environments: [{ conditions: ['node'] }, { conditions: ['worker'] }] })).uncacheable).toBeUndefined()
  })

  it('an installed package counts by version whichever file each environment reads: cacheable', async () => {
    const dir = project({
      'main.ts': `import { scale } from 'dual'\nexport const f = (n: number) => scale(n)`,
      'node_modules/dual/package.json': JSON.stringify({
        name: 'dual',
        version: '2.0.0',
        exports: { browser: './b.js', default: './n.js' },
      }),
      'node_modules/dual/b.js': 'export const scale = n => n',
      'node_modules/dual/n.js': 'export const scale = n => n',
    })
    expect((await answer(dir, { environments: [{ conditions: ['node'] }, { conditions: ['browser'] }] })).uncacheable).toBeUndefined()
  })
})

describe('a .js import with a .ts file of the same name beside it', () => {
  const files = {
    'main.js': `import { scale } from './lib/helper.js'\nexport const f = n => scale(n)`,
    'lib/helper.js': 'export const scale = n => n * 2\n',
    'lib/helper.ts': 'export const scale = (n: number) => n * 2\n',
  }

  it('reads the .js file, as Vite, esbuild, Rollup and Node load it; an edit of it changes the fingerprint', async () => {
    const dir = project(files)
    const before = await answer(dir, undefined, 'main.js#f')
    expect(before.deps).toEqual(['lib/helper.js'])
    writeFiles(dir, { 'lib/helper.js': 'export const scale = n => n * 3\n' })
    expect((await answer(dir, undefined, 'main.js#f')).hash).not.toBe(before.hash)
  })

  it('without the .js file, `./helper.js` is the TypeScript source', async () => {
    const dir = project({
      'main.ts': `import { scale } from './lib/helper.js'\nexport const f = (n: number) => scale(n)`,
      'lib/helper.ts': files['lib/helper.ts'],
    })
    expect((await answer(dir)).deps).toEqual(['lib/helper.ts'])
  })

  it('an extensionless import follows the extension order given (Vite: .js before .ts; the default: TypeScript first)', async () => {
    const dir = project({ ...files, 'main.js': `import { scale } from './lib/helper'\nexport const f = n => scale(n)` })
    expect((await answer(dir, undefined, 'main.js#f')).deps).toEqual(['lib/helper.ts'])
    expect((await answer(dir, { extensions: ['.mjs', '.js', '.mts', '.ts'] }, 'main.js#f')).deps).toEqual(['lib/helper.js'])
  })

  it("webpack's extensionAlias order is followed when given (TypeScript first)", async () => {
    const a = await answer(project(files), { extensionAlias: { '.js': ['.ts', '.js'] } }, 'main.js#f')
    expect(a.deps).toEqual(['lib/helper.ts'])
  })
})

describe('stored answers', () => {
  it('are kept per resolve options: other options never get answers given with these', async () => {
    const dir = project(aliased)
    const cache = tempDir('fp-resolve-cache-')
    const resolve = { alias: [{ find: '~lib', replacement: join(dir, 'src/lib') }] }
    await answer(dir, resolve, 'main.ts#f', cache)
    await answer(dir, { alias: [{ find: '~lib', replacement: join(dir, 'src') }] }, 'main.ts#f', cache)
    const [version] = readdirSync(cache)
    const answers = readdirSync(join(cache, version!)).filter(f => f.startsWith('answers-'))
    // the second alias leads nowhere (uncacheable: not stored); the first stored its own file
    expect(answers).toHaveLength(1)
    expect((await answer(dir, undefined, 'main.ts#f', cache)).uncacheable).toBeDefined()
    expect((await answer(dir, resolve, 'main.ts#f', cache)).uncacheable).toBeUndefined()
  })

  it('another folder with the same project and its aliases into it takes them; other conditions never do', async () => {
    const cache = tempDir('fp-resolve-moved-')
    const first = project(aliased)
    const aliasInto = (dir: string) => [{ find: '~lib', replacement: join(dir, 'src/lib') }]
    await sleep(3100) // stamps newer than the racy window are never trusted
    await answer(first, { alias: aliasInto(first) }, 'main.ts#f', cache)
    const [version] = readdirSync(cache)
    const [stored] = readdirSync(join(cache, version!)).filter(f => f.startsWith('answers-'))
    const file = join(cache, version!, stored!)
    const data = JSON.parse(readFileSync(file, 'utf8')) as { answers: Array<[string, string, string]> }
    for (const row of data.answers) row[2] = 'e'.repeat(64) // served answers come back tampered
    writeFileSync(file, JSON.stringify(data))
    const moved = project(aliased)
    expect((await answer(moved, { alias: aliasInto(moved) }, 'main.ts#f', cache)).hash).toBe('e'.repeat(64))
    const other = project(aliased)
    const withConditions = { alias: aliasInto(other), environments: [{ conditions: ['browser'] }] }
    expect((await answer(other, withConditions, 'main.ts#f', cache)).hash).not.toBe('e'.repeat(64))
  })
})
