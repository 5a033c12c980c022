import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createFingerprinter, ENGINE_VERSION } from '@smart-cache/fingerprint'
import { fingerprintOf, project, withEngine } from './helpers.ts'

const hashOf = (dir: string, file: string, name: string): Promise<string> =>
  withEngine(dir, async e => (await e.fingerprint(file, name)).hash)

describe('dependencies across modules', () => {
  const base = {
    'main.ts': `import { a } from './lib'\nexport function f() { return a() }`,
    'lib/index.ts': `export * from './impl'\nexport * as ns from './impl'`,
    'lib/impl.ts': `export function a() { return 1 }\nexport function b() { return 2 }`,
  }

  it('follows export * through an index folder', async () => {
    const a = await fingerprintOf(base)
    const b = await fingerprintOf({ ...base, 'lib/impl.ts': `export function a() { return 9 }\nexport function b() { return 2 }` })
    expect(b).not.toBe(a)
  })

  it('export * as ns: ns.a depends on a, not on b', async () => {
    const files = { ...base, 'main.ts': `import { ns } from './lib'\nexport function f() { return ns.a() }` }
    const a = await fingerprintOf(files)
    expect(await fingerprintOf({ ...files, 'lib/impl.ts': `export function a() { return 5 }\nexport function b() { return 2 }` })).not.toBe(
      a,
    )
    expect(await fingerprintOf({ ...files, 'lib/impl.ts': `export function a() { return 1 }\nexport function b() { return 3 }` })).toBe(a)
  })

  it('a namespace used as a value depends on every export', async () => {
    const files = { ...base, 'main.ts': `import { ns } from './lib'\nexport function f() { return Object.keys(ns) }` }
    const a = await fingerprintOf(files)
    expect(await fingerprintOf({ ...files, 'lib/impl.ts': `export function a() { return 1 }\nexport function b() { return 3 }` })).not.toBe(
      a,
    )
  })

  it('a member of an imported object keeps the property name: ops.add and ops.sub differ', async () => {
    const ops = { 'ops.ts': `export const ops = { add: (a, b) => a + b, sub: (a, b) => a - b }` }
    const add = await fingerprintOf({ ...ops, 'main.ts': `import { ops } from './ops'\nexport const f = (a, b) => ops.add(a, b)` })
    const sub = await fingerprintOf({ ...ops, 'main.ts': `import { ops } from './ops'\nexport const f = (a, b) => ops.sub(a, b)` })
    expect(sub).not.toBe(add)
  })

  it('CommonJS require of a relative module is followed', async () => {
    const files = {
      'main.cjs': `const m = require('./m.cjs')\nexports.f = () => m.g()\nfunction f() { return require('./m.cjs').g() }\nmodule.exports.f = f`,
      'm.cjs': `exports.g = () => 1`,
    }
    const a = await fingerprintOf(files, 'main.cjs#f')
    expect(await fingerprintOf({ ...files, 'm.cjs': `exports.g = () => 2` }, 'main.cjs#f')).not.toBe(a)
  })

  it('a JSON module counts by its parsed value', async () => {
    const files = { 'main.ts': `import data from './d.json'\nexport const f = () => data.x`, 'd.json': `{ "x": 1 }` }
    const a = await fingerprintOf(files)
    expect(await fingerprintOf({ ...files, 'd.json': `{\n  "x": 1\n}\n` })).toBe(a)
    expect(await fingerprintOf({ ...files, 'd.json': `{ "x": 2 }` })).not.toBe(a)
    const dir = project(files)
    const deps = await withEngine(dir, async e => (await e.fingerprint('main.ts', 'f')).deps)
    expect(deps.map(d => [d.file, d.binding, d.line])).toEqual([['d.json', '*', 1]])
  })

  it('tsconfig paths are resolved', async () => {
    const files = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*'] } } }),
      'src/main.ts': `import { g } from '@lib/g'\nexport const f = () => g()`,
      'src/lib/g.ts': `export const g = () => 1`,
    }
    const a = await fingerprintOf(files, 'src/main.ts#f')
    expect(await fingerprintOf({ ...files, 'src/lib/g.ts': `export const g = () => 2` }, 'src/main.ts#f')).not.toBe(a)
  })

  it('package exports maps and subpaths give name@version identities', async () => {
    const pkg = (v: string): Record<string, string> => ({
      'node_modules/lib/package.json': JSON.stringify({
        name: 'lib',
        version: v,
        type: 'module',
        exports: { '.': './a.js', './sub': './b.js' },
      }),
      'node_modules/lib/a.js': 'export const x = 1',
      'node_modules/lib/b.js': 'export const y = 1',
    })
    const main = { 'main.ts': `import { y } from 'lib/sub'\nexport const f = () => y` }
    const a = await fingerprintOf({ ...main, ...pkg('1.0.0') })
    expect(await fingerprintOf({ ...main, ...pkg('1.0.0'), 'node_modules/lib/b.js': 'export const y = 2' })).toBe(a)
    expect(await fingerprintOf({ ...main, ...pkg('1.0.1') })).not.toBe(a)
  })

  it('a workspace package linked from outside node_modules is source', async () => {
    const dir = project({
      'app/main.ts': `import { g } from 'shared'\nexport const f = () => g()`,
      'shared/package.json': JSON.stringify({ name: 'shared', version: '1.0.0', type: 'module', exports: './index.ts' }),
      'shared/index.ts': `export const g = () => 1`,
    })
    const { symlinkSync, mkdirSync } = await import('node:fs')
    mkdirSync(join(dir, 'app/node_modules'), { recursive: true })
    symlinkSync(join(dir, 'shared'), join(dir, 'app/node_modules/shared'), 'dir')
    const a = await hashOf(join(dir, 'app'), 'main.ts', 'f')
    writeFileSync(join(dir, 'shared/index.ts'), `export const g = () => 2`)
    expect(await hashOf(join(dir, 'app'), 'main.ts', 'f')).not.toBe(a)
  })

  // pnpm reads patchedDependencies at the workspace root only; a build rooted in apps/web runs the
  // patched package. Before: the engine looked for patches in its root alone, so a new patch kept
  // the fingerprint and served the results of the old patched code.
  it.each(['pnpm-workspace.yaml', 'package.json'])(
    'a patch declared in the workspace root (%s) counts for an app of the workspace',
    async where => {
      const patched = { 'dep@1.0.0': 'patches/dep@1.0.0.patch' }
      const dir = project({
        'pnpm-workspace.yaml': `packages:\n  - apps/*\n${where === 'pnpm-workspace.yaml' ? 'patchedDependencies:\n  dep@1.0.0: patches/dep@1.0.0.patch\n' : ''}`,
        'package.json': JSON.stringify({
          name: 'ws',
          private: true,
          ...(where === 'package.json' ? { pnpm: { patchedDependencies: patched } } : {}),
        }),
        'patches/dep@1.0.0.patch': '-n * 1\n+n * 2\n',
        'apps/web/package.json': JSON.stringify({ name: 'web', type: 'module', dependencies: { dep: '1.0.0' } }),
        'apps/web/src/main.ts': `import { scale } from 'dep'\nexport const f = (n: number) => scale(n)`,
        'node_modules/.pnpm/dep@1.0.0_patch_hash=a/node_modules/dep/package.json': JSON.stringify({ name: 'dep', version: '1.0.0' }),
        'node_modules/.pnpm/dep@1.0.0_patch_hash=a/node_modules/dep/index.js': 'exports.scale = n => n * 2',
      })
      const { symlinkSync, mkdirSync } = await import('node:fs')
      mkdirSync(join(dir, 'apps/web/node_modules'), { recursive: true })
      symlinkSync(join(dir, 'node_modules/.pnpm/dep@1.0.0_patch_hash=a/node_modules/dep'), join(dir, 'apps/web/node_modules/dep'), 'dir')
      const app = join(dir, 'apps/web')
      const a = await hashOf(app, 'src/main.ts', 'f')
      writeFileSync(join(dir, 'patches/dep@1.0.0.patch'), '-n * 1\n+n * 3\n')
      expect(await hashOf(app, 'src/main.ts', 'f')).not.toBe(a)
    },
  )

  // pnpm installs "lib": "file:../lib" as hard links in .pnpm/lib@file+..+lib: editing ../lib edits
  // the installed package, same version. Before: counted as lib@1.0.0 alone, the old value stayed.
  it('a pnpm file: folder dependency (a hard-linked copy under .pnpm) counts by its content', async () => {
    const copy = 'app/node_modules/.pnpm/lib@file+..+lib/node_modules/lib'
    const dir = project({
      'app/package.json': JSON.stringify({ name: 'app', type: 'module', dependencies: { lib: 'file:../lib' } }),
      'app/src/main.ts': `import { scale } from 'lib'\nexport const f = (n: number) => scale(n)`,
      [`${copy}/package.json`]: JSON.stringify({ name: 'lib', version: '1.0.0', type: 'module', exports: './index.js' }),
      [`${copy}/index.js`]: `export { scale } from './src/scale.js'`,
      [`${copy}/src/scale.js`]: 'export const scale = n => n * 2',
    })
    const { symlinkSync } = await import('node:fs')
    symlinkSync(join(dir, copy), join(dir, 'app/node_modules/lib'), 'dir')
    const app = join(dir, 'app')
    const a = await hashOf(app, 'src/main.ts', 'f')
    expect(await hashOf(app, 'src/main.ts', 'f')).toBe(a)
    writeFileSync(join(dir, copy, 'src/scale.js'), 'export const scale = n => n * 3')
    expect(await hashOf(app, 'src/main.ts', 'f')).not.toBe(a)
  })

  // npm records where it installed each package from in node_modules/.package-lock.json. A git or
  // tarball dependency keeps its package.json version across commits and rebuilt tarballs: before,
  // counted as name@version alone, the old value stayed (cases npm- and pnpm-git-dependency-…).
  it('an npm dependency from a tarball counts by its integrity, one from the registry by name@version alone, the lockfile read at the workspace root', async () => {
    const lock = (entry: object) => JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/lib': entry } })
    const files = (entry: object) => ({
      'package.json': JSON.stringify({ name: 'ws', workspaces: ['apps/*'] }),
      'node_modules/.package-lock.json': lock(entry),
      'node_modules/lib/package.json': JSON.stringify({ name: 'lib', version: '1.0.0', type: 'module', exports: './index.js' }),
      'node_modules/lib/index.js': 'export const scale = n => n * 2',
      'apps/web/package.json': JSON.stringify({ name: 'web', type: 'module', dependencies: { lib: '*' } }),
      'apps/web/main.ts': `import { scale } from 'lib'\nexport const f = (n: number) => scale(n)`,
    })
    const hash = (entry: object) => hashOf(project(files(entry)), 'apps/web/main.ts', 'f')
    const tarball = { version: '1.0.0', resolved: 'file:../lib-1.0.0.tgz', integrity: 'sha512-aaa' }
    expect(await hash(tarball)).not.toBe(await hash({ ...tarball, integrity: 'sha512-bbb' }))
    const registry = { version: '1.0.0', resolved: 'https://registry.npmjs.org/lib/-/lib-1.0.0.tgz', integrity: 'sha512-aaa' }
    expect(await hash(registry)).toBe(await hash({ ...registry, integrity: 'sha512-bbb' }))
    expect(await hash(registry)).toBe(
      await hashOf(project({ ...files(registry), 'node_modules/.package-lock.json': '{}' }), 'apps/web/main.ts', 'f'),
    )
  })

  it('node built-ins count by name', async () => {
    const a = await fingerprintOf({ 'main.ts': `import { join } from 'node:path'\nexport const f = () => join('a')` })
    expect(await fingerprintOf({ 'main.ts': `import { join } from 'path'\nexport const f = () => join('a')` })).toBe(a)
    expect(await fingerprintOf({ 'main.ts': `import { resolve as join } from 'node:path'\nexport const f = () => join('a')` })).not.toBe(a)
  })

  it('self, mutual and four-module cycles are stable and change with any member', async () => {
    const ring = (k: number): Record<string, string> =>
      Object.fromEntries(
        Array.from({ length: 4 }, (_, i) => [
          `m${i}.ts`,
          `import { f${(i + 1) % 4} } from './m${(i + 1) % 4}'\nexport function f${i}(n: number): number { return n <= 0 ? ${i === 2 ? k : i} : f${(i + 1) % 4}(n - 1) }`,
        ]),
      )
    const a = await fingerprintOf(ring(2), 'm0.ts#f0')
    expect(await fingerprintOf(ring(2), 'm0.ts#f0')).toBe(a)
    expect(await fingerprintOf(ring(7), 'm0.ts#f0')).not.toBe(a)
    // Every member of the cycle sees the change.
    expect(await fingerprintOf(ring(7), 'm3.ts#f3')).not.toBe(await fingerprintOf(ring(2), 'm3.ts#f3'))
  })

  it('two members of a cycle have different fingerprints', async () => {
    const dir = project({
      'main.ts': `export function even(n) { return n === 0 ? true : odd(n - 1) }\nexport function odd(n) { return n === 0 ? false : even(n - 1) }`,
    })
    expect(await hashOf(dir, 'main.ts', 'even')).not.toBe(await hashOf(dir, 'main.ts', 'odd'))
  })

  it('Class.method and obj.key give the whole binding', async () => {
    const dir = project({ 'main.ts': `export class C { m() { return 1 } }\nexport const o = { k: () => 1 }` })
    expect(await hashOf(dir, 'main.ts', 'C.m')).toBe(await hashOf(dir, 'main.ts', 'C'))
    expect(await hashOf(dir, 'main.ts', 'o.k')).toBe(await hashOf(dir, 'main.ts', 'o'))
  })
})

describe('results', () => {
  it('fingerprintFile gives every export, default included; deps are sorted, with own hashes and lines', async () => {
    const dir = project({
      'main.ts': `import { h } from './h'\nconst K = 2\nexport default function () { return h() * K }\nexport const g = () => 1\nexport * from './h'`,
      'h.ts': `\n\nexport function h() { return 3 }`,
    })
    await withEngine(dir, async e => {
      const all = await e.fingerprintFile('main.ts')
      expect(Object.keys(all)).toEqual(['default', 'g', 'h'])
      expect(all.default!.id).toBe('main.ts#default')
      expect(all.default!.hash).toMatch(/^[0-9a-f]{64}$/)
      expect(all.default!.deps.map(d => [d.file, d.binding, d.line])).toEqual([
        ['h.ts', 'h', 3],
        ['main.ts', 'K', 2],
      ])
      expect(all.h!.hash).toBe((await e.fingerprint('h.ts', 'h')).hash)
      expect(all.default!.deps[0]!.hash).toMatch(/^[0-9a-f]{64}$/)
      expect(JSON.parse(JSON.stringify(all.default)).deps).toHaveLength(2)
    })
  })

  it('explain shows the tree with own hashes and where each node was resolved', async () => {
    const dir = project({
      'package.json': '{}',
      'main.ts': `import { g } from './g'\nimport { join } from 'node:path'\nexport function f() { return g() + join('a') + f() }`,
      'g.ts': `export const g = () => 1`,
    })
    await withEngine(dir, async e => {
      const t = await e.explain('main.ts', 'f')
      expect(t.id).toBe('main.ts#f')
      expect(t.resolvedFrom).toBe('main.ts:3')
      expect(t.children.map(c => c.id)).toEqual(['g.ts#g', 'node:path#join', 'main.ts#f'])
      expect(t.children[0]!.resolvedFrom).toBe('g.ts:1')
      expect(t.children[2]!.repeated).toBe(true)
      expect(t.children[0]!.ownHash).not.toBe(t.children[0]!.hash)
      expect(t.hash).toBe((await e.fingerprint('main.ts', 'f')).hash)
    })
  })
})

describe('determinism and portability', () => {
  it('the same project in two folders gives identical fingerprints', async () => {
    const files = {
      'src/a.ts': `import { b } from './b.js'\nexport const a = (x: number) => b(x) + 1`,
      'src/b.ts': `export function b(n: number) { return n * 2 }`,
    }
    const one = project(files)
    const two = project({})
    cpSync(one, join(two, 'nested', 'deeper'), { recursive: true })
    const x = await withEngine(one, e => e.fingerprintFile('src/a.ts'))
    const y = await withEngine(join(two, 'nested', 'deeper'), e => e.fingerprintFile('src/a.ts'))
    expect(y.a!.hash).toBe(x.a!.hash)
    expect(y.a!.deps).toEqual(x.a!.deps)
  })

  it('NODE_PATH does not change resolution (bundlers ignore it; pnpm script shims set it)', () => {
    const elsewhere = project({
      'node_modules/far-lib/package.json': JSON.stringify({ name: 'far-lib', version: '1.0.0', main: 'index.js' }),
      'node_modules/far-lib/index.js': 'exports.x = 1',
    })
    const dir = project({ 'main.ts': `import { x } from 'far-lib'\nexport const f = () => x` })
    // A process of its own each: the resolver reads NODE_PATH once per process.
    const entry = pathToFileURL(createRequire(import.meta.url).resolve('@smart-cache/fingerprint')).href
    const script = `const { createFingerprinter } = await import(${JSON.stringify(entry)})
const e = createFingerprinter({ root: ${JSON.stringify(dir)}, cacheDir: false })
const fp = await e.fingerprint('main.ts', 'f')
console.log(JSON.stringify({ hash: fp.hash, warnings: e.warnings.map(w => w.code) }))
await e.close()`
    const run = (nodePath: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['--input-type=module', '-e', script], {
          env: { ...process.env, NODE_PATH: nodePath },
          encoding: 'utf8',
        }),
      )
    const plain = run('')
    expect(plain.warnings).toEqual(['unresolved-import'])
    expect(run(join(elsewhere, 'node_modules'))).toEqual(plain)
  })
})

describe('incremental and cached', () => {
  it('a long-lived engine sees edits, and the disk cache serves a new engine', async () => {
    const dir = project({ 'main.ts': `import { g } from './g'\nexport const f = () => g()`, 'g.ts': `export const g = () => 1` })
    const cache = join(dir, 'node_modules', '.cache', 'smart-cache', 'engine')
    const e = createFingerprinter({ root: dir })
    try {
      const a = (await e.fingerprint('main.ts', 'f')).hash
      writeFileSync(join(dir, 'g.ts'), `export const g = () => 2`)
      const b = (await e.fingerprint('main.ts', 'f')).hash
      expect(b).not.toBe(a)
      writeFileSync(join(dir, 'g.ts'), `export const g = () => 1`)
      expect((await e.fingerprint('main.ts', 'f')).hash).toBe(a)
      e.invalidate(join(dir, 'g.ts'))
      expect((await e.fingerprint('main.ts', 'f')).hash).toBe(a)
    } finally {
      await e.close()
    }
    expect(existsSync(cache)).toBe(true)
    const snapshots = readdirSync(join(cache, ENGINE_VERSION)).filter(f => f.endsWith('.snapshot'))
    expect(snapshots.length).toBe(1)
    const saved = JSON.parse(readFileSync(join(cache, ENGINE_VERSION, snapshots[0]!), 'utf8')) as { files: object; analyses: object }
    expect(Object.keys(saved.files).sort()).toEqual(['g.ts', 'main.ts'])
    // A new engine is served from the snapshot.
    const again = await withEngine(dir, async eng => (await eng.fingerprint('main.ts', 'f')).hash, cache)
    expect(again).toMatch(/^[0-9a-f]{64}$/)
  })

  it('a long-lived engine sees an export * provider change (a name two star modules export is ambiguous: both count)', async () => {
    const dir = project({
      'main.ts': `import { a } from './lib'\nexport const f = () => a()`,
      'lib.ts': `export * from './one'\nexport * from './two'`,
      'one.ts': `export const z = 0`,
      'two.ts': `export const a = () => 2`,
    })
    const e = createFingerprinter({ root: dir, cacheDir: false })
    try {
      const first = await e.fingerprint('main.ts', 'f')
      expect(first.deps.map(d => d.file)).toEqual(['two.ts'])
      writeFileSync(join(dir, 'one.ts'), `export const z = 0\nexport const a = () => 1`)
      const second = await e.fingerprint('main.ts', 'f')
      // ESM leaves the name out of lib's exports (the import fails to link); bundlers pick or drop one.
      expect(second.deps.map(d => d.file)).toEqual(expect.arrayContaining(['lib.ts', 'one.ts', 'two.ts']))
      expect(second.hash).not.toBe(first.hash)
    } finally {
      await e.close()
    }
  })

  it('invalidate() of an added file re-resolves imports (watch mode)', async () => {
    const dir = project({ 'main.ts': `import { g } from './x'\nexport const f = () => g()`, 'x/index.ts': `export const g = () => 1` })
    const e = createFingerprinter({ root: dir, cacheDir: false })
    try {
      const a = await e.fingerprint('main.ts', 'f')
      expect(a.deps.map(d => d.file)).toEqual(['x/index.ts'])
      writeFileSync(join(dir, 'x.ts'), `export const g = () => 2`)
      e.invalidate(join(dir, 'x.ts'))
      const b = await e.fingerprint('main.ts', 'f')
      expect(b.deps.map(d => d.file)).toEqual(['x.ts'])
      expect(b.hash).not.toBe(a.hash)
      rmSync(join(dir, 'x.ts'))
      expect((await e.fingerprint('main.ts', 'f')).hash).toBe(a.hash)
    } finally {
      await e.close()
    }
  })

  it('a corrupt disk cache is ignored', async () => {
    const dir = project({ 'main.ts': `export const f = () => 1` })
    const first = await withEngine(dir, async e => (await e.fingerprint('main.ts', 'f')).hash, join(dir, 'c'))
    for (const f of readdirSync(join(dir, 'c'), { recursive: true, withFileTypes: true })) {
      if (f.isFile()) writeFileSync(join(f.parentPath, f.name), '{not json')
    }
    expect(await withEngine(dir, async e => (await e.fingerprint('main.ts', 'f')).hash, join(dir, 'c'))).toBe(first)
  })

  it('concurrent calls share work and agree with sequential ones', async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 60; i++)
      files[`m${i}.ts`] =
        `${i > 0 ? `import { f${i - 1} } from './m${i - 1}'\n` : ''}export const f${i} = () => ${i > 0 ? `f${i - 1}() + ` : ''}${i}`
    const dir = project(files)
    const together = await withEngine(dir, e => Promise.all(Array.from({ length: 60 }, (_, i) => e.fingerprint(`m${i}.ts`, `f${i}`))))
    const alone = await withEngine(dir, async e => {
      const out = []
      for (let i = 59; i >= 0; i--) out.unshift(await e.fingerprint(`m${i}.ts`, `f${i}`))
      return out
    })
    expect(together.map(r => r.hash)).toEqual(alone.map(r => r.hash))
    expect(new Set(together.map(r => r.hash)).size).toBe(60)
  })
})

describe('sourceHash: the exact bytes of everything reached', () => {
  const files = {
    'main.ts': `import { a } from './lib'\nexport function f() { return a() }\nexport function g() { return 2 }`,
    'lib.ts': `import { c } from './deep'\nexport function a() { return c() }\nexport function b() { return 2 }`,
    'deep.ts': `import { a } from './lib'\nexport function c() { return 1 }\nexport function cycle() { return a() }`,
    'other.ts': `export const unrelated = 1`,
  }
  const sources = (over: Record<string, string> = {}): Promise<{ hash: string; source: string; deps: number }> => {
    const dir = project({ ...files, ...over })
    return withEngine(dir, async e => {
      const fp = await e.fingerprint('main.ts', 'f')
      return { hash: fp.hash, source: fp.sourceHash, deps: fp.deps.length }
    }).finally(() => rmSync(dir, { recursive: true, force: true }))
  }

  it('changes with a comment in a reached file (the fingerprint does not), not with an unreached file; same in every folder', async () => {
    const base = await sources()
    expect(await sources()).toEqual(base)
    const comment = await sources({
      'deep.ts': `import { a } from './lib'\n// a comment\nexport function c() { return 1 }\nexport function cycle() { return a() }`,
    })
    expect(comment.hash).toBe(base.hash)
    expect(comment.source).not.toBe(base.source)
    const own = await sources({ 'main.ts': `${files['main.ts']}\n// trailing` })
    expect(own.source).not.toBe(base.source)
    expect(await sources({ 'other.ts': `export const unrelated = 2` })).toEqual(base)
  })
})

// import.meta.glob (Vite) and require.context (webpack) load modules chosen by a pattern. Before,
// the call was hashed as text: an edit of a matched module (or a new match) kept the fingerprint,
// and the bundle served the value computed with the old module. Then what reached one was
// uncacheable. Now a static, relative one is followed to every file it matches, listed as the
// bundler lists them (picomatch for Vite's globs, the RegExp for webpack's contexts), the folders'
// listings recorded; what reaches any other is uncacheable (the plugin runs it uncached, warned).
describe('modules chosen by a pattern (import.meta.glob, require.context)', () => {
  const failure = (files: Record<string, string>, name: string): Promise<string | undefined> =>
    withEngine(project(files), async e => (await e.fingerprint('main.ts', name)).uncacheable)
  const changes = async (files: Record<string, string>, edit: Record<string, string>, target = 'main.ts#f'): Promise<boolean> =>
    (await fingerprintOf({ ...files, ...edit }, target)) !== (await fingerprintOf(files, target))

  it('import.meta.glob: an edited, added or renamed match changes the fingerprint; other files and other functions do not', async () => {
    const files = {
      'main.ts': `const rates = import.meta.glob('./rates/*.ts', { import: 'rate' })\nexport const f = () => Object.keys(rates)\nexport const g = () => 1`,
      'rates/a.ts': 'export const rate = 2',
    }
    expect(await failure(files, 'f')).toBeUndefined()
    expect(await changes(files, { 'rates/a.ts': 'export const rate = 3' })).toBe(true)
    expect(await changes(files, { 'rates/b.ts': 'export const rate = 3' })).toBe(true)
    expect(await changes({ 'main.ts': files['main.ts'], 'rates/b.ts': files['rates/a.ts'] }, {})).toBe(false)
    expect(await fingerprintOf({ 'main.ts': files['main.ts'], 'rates/b.ts': files['rates/a.ts'] })).not.toBe(await fingerprintOf(files))
    // Not matched: another extension, a subfolder (no `**`), node_modules; a lazy glob runs nothing at load.
    expect(await changes(files, { 'rates/c.js': 'export const rate = 1', 'rates/x/d.ts': 'export const rate = 1' })).toBe(false)
    expect(await changes(files, { 'rates/a.ts': 'export const rate = 3' }, 'main.ts#g')).toBe(false)
  })

  it('globs as Vite reads them: `**`, exclusions, `base` with a query, a parent folder, node_modules and dot files left out', async () => {
    const glob = (args: string) => `const m = import.meta.glob(${args})\nexport const f = () => Object.keys(m)`
    const deep = { 'main.ts': glob(`['./p/**/*.md', '!./p/drafts/*']`), 'p/a.md': 'a' }
    expect(await changes(deep, { 'p/x/y/b.md': 'b' })).toBe(true)
    expect(await changes(deep, { 'p/drafts/b.md': 'b', 'p/node_modules/m/c.md': 'c', 'p/.cache/d.md': 'd' })).toBe(false)
    const based = { 'main.ts': glob(`'./p/*.md', { base: './data', query: '?raw', eager: true }`), 'data/p/a.md': 'a' }
    expect(await failure(based, 'f')).toBeUndefined()
    expect(await changes(based, { 'data/p/a.md': 'b' })).toBe(true)
    expect(await changes(based, { 'p/a.md': 'b' })).toBe(false)
    const parent = { 'src/main.ts': glob(`'../content/*.json', { eager: true }`), 'content/a.json': '{"a":1}' }
    expect(await changes(parent, { 'content/a.json': '{"a":2}' }, 'src/main.ts#f')).toBe(true)
  })

  it('require.context and import.meta.webpackContext, reached through another module: their RegExp and recursion decide', async () => {
    for (const call of [
      `require.context('./icons', false, /\\.svg$/)`,
      `import.meta.webpackContext('./icons', { recursive: false, regExp: /\\.svg$/ })`,
    ]) {
      const files = {
        'main.ts': `import { ctx } from './ctx'\nexport const f = () => ctx.keys()`,
        'ctx.ts': `export const ctx = ${call}`,
        'icons/a.svg': '<svg/>',
      }
      expect(await failure(files, 'f')).toBeUndefined()
      expect(await changes(files, { 'icons/a.svg': '<svg></svg>' })).toBe(true)
      expect(await changes(files, { 'icons/b.svg': '<svg/>' })).toBe(true)
      expect(await changes(files, { 'icons/sub/b.svg': '<svg/>', 'icons/b.png': 'x' })).toBe(false)
    }
  })

  it('an eager glob of code runs those modules at load: it counts for every function of its module, unlike one of data files', async () => {
    const eager = (pattern: string, options: string, edit: Record<string, string>) =>
      changes({ 'main.ts': `const mods = import.meta.glob(${pattern}, ${options})\nexport const g = () => 1` }, edit, 'main.ts#g')
    expect(await eager(`'./plugins/*.ts'`, '{ eager: true }', { 'plugins/a.ts': 'globalThis.x = 1' })).toBe(true)
    expect(await eager(`['./a/*.ts', './b/*.js']`, '{ eager: true, import: "setup" }', { 'b/a.js': 'export const setup = 1' })).toBe(true)
    expect(await eager(`'./locales/*.json'`, '{ eager: true }', { 'locales/en.json': '{}' })).toBe(false)
    expect(await eager(`'./views/*.ts'`, "{ eager: true, query: '?raw' }", { 'views/a.ts': 'x()' })).toBe(false)
    expect(await eager(`'./plugins/*.ts'`, '{ eager: false }', { 'plugins/a.ts': 'globalThis.x = 1' })).toBe(false)
  })

  it('a glob the engine cannot list (from the root, an alias, options not literal): uncacheable; the reason names the place and the fix', async () => {
    for (const args of [`'/rates/*.ts'`, `'@/rates/*.ts'`, `'./rates/*.ts', { import: name }`, `pattern`]) {
      const files = {
        'main.ts': `const name = 'rate', pattern = './rates/*.ts'\nconst rates = import.meta.glob(${args})\nexport const f = () => Object.keys(rates)`,
        'rates/a.ts': 'export const rate = 2',
      }
      expect(await failure(files, 'f')).toMatch(/^it reaches import\.meta\.glob\(\) at main\.ts:2:15, which loads .*relative .*literals/)
    }
  })
})

// tsconfig decides what a class compiles to: fields defined (useDefineForClassFields, whose default
// follows target) or assigned, and legacy (experimentalDecorators) or standard decorators. Before,
// flipping one kept every fingerprint: a Vite build then ran `x!: number` as undefined (defined) and
// the cache served the old '5' (assigned by the base class).
describe('tsconfig options that change what a class compiles to', () => {
  const files = (compilerOptions: object) => ({
    'tsconfig.json': JSON.stringify({ compilerOptions }),
    'main.ts': `class B { x = 5 }\nclass C extends B { x!: number }\nexport const f = () => new C().x\nexport const g = () => 5`,
  })

  it.each([
    [{ useDefineForClassFields: false }, { useDefineForClassFields: true }],
    [{ target: 'ES2020' }, { target: 'ES2022' }],
    [{ experimentalDecorators: true }, { experimentalDecorators: false }],
    [{}, { useDefineForClassFields: true }],
  ])('%j -> %j changes a function reaching a class, not one reaching none', async (before, after) => {
    expect(await fingerprintOf(files(after), 'main.ts#f')).not.toBe(await fingerprintOf(files(before), 'main.ts#f'))
    expect(await fingerprintOf(files(after), 'main.ts#g')).toBe(await fingerprintOf(files(before), 'main.ts#g'))
  })

  it('other options (strict) change nothing', async () => {
    expect(await fingerprintOf(files({ target: 'ES2022', strict: true }), 'main.ts#f')).toBe(
      await fingerprintOf(files({ target: 'ES2022' }), 'main.ts#f'),
    )
  })
})

// Vite's `./t.txt?raw` resolved to a path keeping the query: reading it failed with a bare ENOENT
// (an absolute path, no [smart-cache] prefix) and the function ran uncached.
describe('bundler queries on imports (?raw, ?url, ?worker)', () => {
  const main = (spec: string) => ({ 'main.ts': `import v from '${spec}'\nexport const f = () => v`, 't.txt': 'hello', 'w.ts': 'export {}' })

  it('?raw and ?url count by the bytes of the file and the query', async () => {
    const raw = await fingerprintOf(main('./t.txt?raw'), 'main.ts#f')
    expect(await fingerprintOf({ ...main('./t.txt?raw'), 't.txt': 'bye' }, 'main.ts#f')).not.toBe(raw)
    expect(await fingerprintOf(main('./t.txt?url'), 'main.ts#f')).not.toBe(raw)
    expect(await fingerprintOf(main('./w.ts?raw'), 'main.ts#f')).not.toBe(
      await fingerprintOf({ ...main('./w.ts?raw'), 'w.ts': 'export {} ' }, 'main.ts#f'),
    )
  })

  it('?worker (bundled with its imports) makes what reaches it uncacheable, with the place', async () => {
    const fp = await withEngine(project(main('./w.ts?worker')), e => e.fingerprint('main.ts', 'f'))
    expect(fp.uncacheable).toMatch(/^it reaches '\.\/w\.ts\?worker' at main\.ts:1:1, loaded through the bundler query '\?worker'/)
  })
})
