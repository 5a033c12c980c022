// `explain ID --from OLD [--to NEW]`: manifests written from the real engine, sources edited on disk.
import { readFileSync, writeFileSync } from 'node:fs'
import { createFingerprinter } from '@smart-cache/fingerprint'
import { afterAll, describe, expect, it } from 'vitest'
import { cli, createProject, type Project } from './cache-helpers.ts'

const projects: Project[] = []
afterAll(() => projects.forEach(p => p.remove()))

function app(): Project {
  const p = createProject('explain')
  projects.push(p)
  // The runtime as an installed package: the engine counts it by name@version, with no warning.
  p.write(
    'node_modules/smart-cache/package.json',
    JSON.stringify({ name: 'smart-cache', version: '0.1.0', type: 'module', exports: './index.js' }),
  )
  p.write('node_modules/smart-cache/index.js', 'export const smartCache = fn => fn\n')
  p.write('src/helpers/deep.js', 'export function plus(a, b) {\n  return a + b\n}\n')
  p.write('src/helpers/sum.js', `import { plus } from './deep.js'\n\nexport const add = (a, b) => plus(a, b)\nexport const unused = 1\n`)
  p.write(
    'src/math.js',
    `import { smartCache } from 'smart-cache'\nimport { add } from './helpers/sum.js'\n\nexport const fib = smartCache(async (n) => (n < 2 ? n : add(await fib(n - 1), await fib(n - 2))))\n`,
  )
  return p
}

/** A Contract 3 manifest for `ids`, as the plugin writes it, from the engine on the current sources. */
async function writeManifest(p: Project, rel: string, ids: string[]): Promise<string> {
  const engine = createFingerprinter({ root: p.dir, cacheDir: false })
  const functions: Record<string, unknown> = {}
  for (const id of ids) {
    const [file, name] = id.split('#') as [string, string]
    const f = await engine.fingerprint(file, name)
    functions[id] = { fingerprint: f.hash, deps: f.deps }
  }
  await engine.close()
  return p.write(rel, JSON.stringify({ version: 1, createdAt: new Date().toISOString(), functions }, null, 2))
}

function edit(p: Project, rel: string, from: string, to: string): void {
  const file = `${p.dir}/${rel}`
  const text = readFileSync(file, 'utf8')
  expect(text).toContain(from)
  writeFileSync(file, text.replace(from, to))
}

describe('explain ID --from OLD', { timeout: 60_000 }, () => {
  it('names the helper whose own code changed, with file:line and the path down to it', async () => {
    const p = app()
    await writeManifest(p, 'old.json', ['src/math.js#fib'])
    edit(p, 'src/helpers/deep.js', 'return a + b', 'return b + a')
    const r = await cli(['explain', 'src/math.js#fib', '--from', 'old.json'], { cwd: p.dir })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('src/math.js#fib: fingerprint changed')
    expect(r.stdout).toContain('new ')
    expect(r.stdout).toMatch(/src\/helpers\/deep\.js#plus {2}src\/helpers\/deep\.js:1 {2}own hash [0-9a-f]{12} → [0-9a-f]{12}/)
    expect(r.stdout).toContain('path: src/math.js#fib → src/helpers/sum.js#add → src/helpers/deep.js#plus')
    expect(r.stdout).not.toContain('sum.js#add  src')
  })

  it('--to NEW compares two manifests; --json gives the structure', async () => {
    const p = app()
    await writeManifest(p, 'old.json', ['src/math.js#fib'])
    edit(p, 'src/helpers/sum.js', 'export const add = (a, b) => plus(a, b)', 'export const add = (a, b) => a + b')
    await writeManifest(p, 'dist/smart-cache-manifest.json', ['src/math.js#fib'])
    const r = await cli(['explain', 'src/math.js#fib', '--from', 'old.json', '--to', 'dist/smart-cache-manifest.json', '--json'], {
      cwd: p.dir,
    })
    const out = JSON.parse(r.stdout)
    expect(out.changed).toBe(true)
    expect(out.deps.map((d: any) => [d.id, d.change, d.at, d.path])).toEqual([
      ['src/helpers/deep.js#plus', 'removed', 'src/helpers/deep.js:1', null],
      ['src/helpers/sum.js#add', 'changed', 'src/helpers/sum.js:3', ['src/math.js#fib', 'src/helpers/sum.js#add']],
    ])
  })

  it('a comment-only edit leaves the fingerprint unchanged; an edit of the function itself is named as its own code', async () => {
    const p = app()
    await writeManifest(p, 'old.json', ['src/math.js#fib'])
    edit(p, 'src/helpers/deep.js', 'return a + b', '// a comment\n  return a + b /* another */')
    const same = await cli(['explain', 'src/math.js#fib', '--from', 'old.json'], { cwd: p.dir })
    expect(same.stdout).toContain('src/math.js#fib: unchanged')
    edit(p, 'src/math.js', 'n < 2 ? n', 'n <= 1 ? n')
    const own = await cli(['explain', 'src/math.js#fib', '--from', 'old.json'], { cwd: p.dir })
    expect(own.stdout).toContain('fingerprint changed')
    expect(own.stdout).toMatch(/because its own code changed \(src\/math\.js:4\)/)
  })

  it('errors name the fix: unknown id, --to without --from, FILE#EXPORT form still works', async () => {
    const p = app()
    await writeManifest(p, 'old.json', ['src/math.js#fib'])
    const missing = await cli(['explain', 'src/math.js#nope', '--from', 'old.json'], { cwd: p.dir })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe(
      `[smart-cache] --from old.json has no cached function 'src/math.js#nope'. Fix: use one of its ids: src/math.js#fib.\n`,
    )
    const noFrom = await cli(['explain', 'src/math.js#fib', '--to', 'old.json'], { cwd: p.dir })
    expect(noFrom.stderr).toContain('--to needs --from OLD_MANIFEST')
    const tree = await cli(['explain', 'src/math.js#fib'], { cwd: p.dir })
    expect(tree.code).toBe(0)
    expect(tree.stdout).toContain('src/helpers/deep.js#plus')
  })
})
