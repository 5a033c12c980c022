import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { createFingerprinter, ENGINE_VERSION } from '@smart-cache/fingerprint'
import { project, tempDir, writeFiles } from './helpers.ts'

/**
 * A CI job restores the engine's cache folder into a fresh checkout: every file is new (new
 * stamps), its content the same. The stored answers are then served on content facts (each file's
 * hash, each consulted folder's listing) instead of stamps; what changed in the checkout is still
 * seen. "Served" is proven as in answers.test.ts: a tampered stored hash comes back; "no full
 * engine" by the snapshot file staying as it was (a full engine records the new stamps in it).
 */

const TAMPERED = 'e'.repeat(64)
const SETTLE = 3100 // stamps newer than the racy window are never trusted

const chain = {
  'main.ts': `import { a } from './lib/a'\nexport const f = () => a() + 1`,
  'lib/a.ts': `import { b } from './b'\nexport const a = () => b() * 2`,
  'lib/b.ts': `export const b = () => 1`,
}

/** The engine's files for `root` in `cache` (named by a hash of the root, see facade.ts). */
function cacheFile(cache: string, root: string, kind: 'answers' | 'facts' | 'files'): string {
  const id = createHash('sha256').update(root).digest('hex').slice(0, 16)
  return join(cache, ENGINE_VERSION, kind === 'files' ? `files-${id}.snapshot` : `${kind}-${id}.json`)
}

interface FactsFile {
  token: string
  up: number
  folders: Record<string, Array<[string, string, string?]>>
}
const readFacts = (file: string): FactsFile => JSON.parse(readFileSync(file, 'utf8')) as FactsFile

/** Replaces every stored hash of `root`'s answers: an engine answering from the file returns TAMPERED. */
function tamper(cache: string, root: string): void {
  const file = cacheFile(cache, root, 'answers')
  const data = JSON.parse(readFileSync(file, 'utf8')) as { answers: Array<[string, string, string]> }
  expect(data.answers.length).toBeGreaterThan(0)
  for (const row of data.answers) row[2] = TAMPERED
  writeFileSync(file, JSON.stringify(data))
}

/** One engine, one `fingerprint()` call, then close(). */
async function run(
  root: string,
  cacheDir: string | false,
  target = 'main.ts#f',
): Promise<{ hash: string; id: string; deps: unknown; sourceHash: string }> {
  const engine = createFingerprinter({ root, cacheDir })
  try {
    const [file, name] = target.split('#') as [string, string]
    const fp = await engine.fingerprint(file, name)
    return { hash: fp.hash, id: fp.id, deps: fp.deps, sourceHash: fp.sourceHash }
  } finally {
    await engine.close()
  }
}

/** A fresh checkout of `files` at `dir`: the folder and every file made again (new inodes, new stamps). */
function checkout(dir: string, files: Record<string, string>): void {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  writeFiles(dir, files)
}

/** A project written now and settled, its cache folder outside it, and the first engine's answer. */
async function firstRun(files: Record<string, string>): Promise<{ dir: string; cache: string; first: Awaited<ReturnType<typeof run>> }> {
  const dir = project(files)
  const cache = tempDir('fp-restored-cache-')
  await sleep(SETTLE)
  return { dir, cache, first: await run(dir, cache) }
}

describe('a restored cache in a fresh checkout (content facts)', () => {
  it('same path, new files, same content: served from the stored answers without the full engine; the stamps are then written again', async () => {
    const { dir, cache, first } = await firstRun(chain)
    const snapshot = cacheFile(cache, dir, 'files')
    const snapshotText = readFileSync(snapshot, 'utf8')
    checkout(dir, chain)
    expect((await run(dir, false)).hash).toBe(first.hash) // the truth in the checkout
    tamper(cache, dir)
    const second = await run(dir, cache)
    expect(second.hash).toBe(TAMPERED) // served
    expect({ ...second, hash: first.hash }).toEqual(first)
    expect(readFileSync(snapshot, 'utf8')).toBe(snapshotText) // no full engine ran

    // Once the new files are old enough, the next check takes their stamps (written again, not `?`)…
    await sleep(SETTLE)
    expect((await run(dir, cache)).hash).toBe(TAMPERED)
    const facts = readFacts(cacheFile(cache, dir, 'facts'))
    const s = statSync(join(dir, 'lib/b.ts'))
    expect(facts.folders.lib).toContainEqual([
      'b.ts',
      `f:${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`,
      expect.stringMatching(/^[0-9a-f]{64}$/),
    ])
    // …so the next engine trusts the stamps and reads no file: recorded contents that match nothing do not matter.
    for (const entries of Object.values(facts.folders)) for (const e of entries) if (e[2]) e[2] = '0'.repeat(64)
    writeFileSync(cacheFile(cache, dir, 'facts'), JSON.stringify(facts))
    expect((await run(dir, cache)).hash).toBe(TAMPERED)
  })

  it('same path, one file edited in the checkout (same size): not served, the correct hash', async () => {
    const { dir, cache, first } = await firstRun(chain)
    checkout(dir, { ...chain, 'lib/b.ts': `export const b = () => 2` })
    tamper(cache, dir)
    const second = await run(dir, cache)
    expect(second.hash).not.toBe(TAMPERED)
    expect(second.hash).not.toBe(first.hash)
    expect(second.hash).toBe((await run(dir, false)).hash)
  })

  it('same path, a file added in the checkout that changes a resolution (./lib/g was g.js, g.ts is added): not served', async () => {
    const files = { 'main.ts': `import { g } from './lib/g'\nexport const f = () => g()`, 'lib/g.js': `export const g = () => 1` }
    const { dir, cache, first } = await firstRun(files)
    expect(first.deps).toEqual([expect.objectContaining({ file: 'lib/g.js' })])
    checkout(dir, { ...files, 'lib/g.ts': `export const g = () => 2` })
    tamper(cache, dir)
    const second = await run(dir, cache)
    expect(second.hash).not.toBe(TAMPERED)
    expect(second.deps).toEqual([expect.objectContaining({ file: 'lib/g.ts' })])
    expect(second.hash).toBe((await run(dir, false)).hash)
  })

  it('same path, a file removed from a consulted folder (nothing read changed): not served', async () => {
    const files = { ...chain, 'lib/unused.ts': `export const u = 1` }
    const { dir, cache } = await firstRun(files)
    const { 'lib/unused.ts': _, ...rest } = files
    checkout(dir, rest)
    tamper(cache, dir)
    expect((await run(dir, cache)).hash).not.toBe(TAMPERED)
  })

  it('a folder racy when resolved in (changed within 3 s: a build right after the checkout) is checked by the listing taken before the resolution', async () => {
    const dir = project(chain)
    const cache = tempDir('fp-restored-cache-')
    await run(dir, cache) // at once: lib/ was just made
    const facts = readFacts(cacheFile(cache, dir, 'facts'))
    const lib = facts.folders['']!.find(e => e[0] === 'lib')!
    expect(lib.slice(0, 2)).toEqual(['lib', '?']) // its stamp proves nothing…
    expect(lib[2]).toMatch(/^d:[0-9a-f]{64}$/) // …its listing, the same before the resolution and at the save, does
    checkout(dir, chain)
    tamper(cache, dir)
    expect((await run(dir, cache)).hash).toBe(TAMPERED) // served by content
  })

  it('a file a resolution consulted while racy (package.json of a project built right after its checkout) is checked by its bytes', async () => {
    const files = {
      'package.json': '{ "name": "app", "type": "module" }',
      'main.ts': `import { x } from 'lib'\nexport const f = () => x + 1`,
      'node_modules/lib/package.json': '{ "name": "lib", "version": "1.0.0", "main": "index.js" }',
      'node_modules/lib/index.js': 'export const x = 1',
    }
    const dir = project(files)
    const cache = tempDir('fp-restored-cache-')
    await run(dir, cache) // at once: package.json was just written
    const pkg = readFacts(cacheFile(cache, dir, 'facts')).folders['']!.find(e => e[0] === 'package.json')!
    expect(pkg.slice(0, 2)).toEqual(['package.json', '?'])
    expect(pkg[2]).toMatch(/^[0-9a-f]{64}$/) // the bytes it had before the resolution, the same at the save
    checkout(dir, files)
    tamper(cache, dir)
    expect((await run(dir, cache)).hash).toBe(TAMPERED) // served by content
  })

  it('a racy folder whose listing changed between the resolution and the save gets no content: its answers are not served by content', async () => {
    const dir = project(chain)
    const cache = tempDir('fp-restored-cache-')
    const engine = createFingerprinter({ root: dir, cacheDir: cache })
    await engine.fingerprint('main.ts', 'f')
    writeFiles(dir, { 'lib/c.ts': 'export const c = 1' }) // lib/ changes after the resolution, before the save
    await engine.close()
    const lib = readFacts(cacheFile(cache, dir, 'facts')).folders['']!.find(e => e[0] === 'lib')!
    expect(lib).toEqual(['lib', '?'])
    checkout(dir, { ...chain, 'lib/c.ts': 'export const c = 1' })
    tamper(cache, dir)
    expect((await run(dir, cache)).hash).not.toBe(TAMPERED)
  })

  it('another folder, the same cache folder: served by content with the fingerprint a memory-only engine computes there; its own answers are then written', async () => {
    const { dir, cache, first } = await firstRun(chain)
    const moved = join(tempDir('fp-moved-'), 'app')
    checkout(moved, chain)
    expect((await run(moved, false)).hash).toBe(first.hash)
    tamper(cache, dir)
    expect(existsSync(cacheFile(cache, moved, 'answers'))).toBe(false)
    const second = await run(moved, cache)
    expect(second.hash).toBe(TAMPERED)
    expect({ ...second, hash: first.hash }).toEqual(first)
    expect(existsSync(cacheFile(cache, moved, 'answers'))).toBe(true)
    expect((await run(moved, cache)).hash).toBe(TAMPERED) // now from its own files
  })

  it('another folder with an edited file: not served, the correct hash', async () => {
    const { dir, cache, first } = await firstRun(chain)
    const moved = join(tempDir('fp-moved-'), 'app')
    checkout(moved, { ...chain, 'lib/a.ts': `import { b } from './b'\nexport const a = () => b() * 3` })
    tamper(cache, dir)
    const second = await run(moved, cache)
    expect(second.hash).not.toBe(TAMPERED)
    expect(second.hash).not.toBe(first.hash)
    expect(second.hash).toBe((await run(moved, false)).hash)
  })

  it('another folder, deeper: the facts of the file system root are checked at each extra ancestor too', async () => {
    const files = {
      'main.ts': `import { t } from 'tiny-lib'\nexport const f = () => t()`,
      'node_modules/tiny-lib/package.json': JSON.stringify({ name: 'tiny-lib', version: '1.0.0', type: 'module', main: 'index.js' }),
      'node_modules/tiny-lib/index.js': `export const t = () => 1`,
    }
    const { dir, cache } = await firstRun(files)
    const facts = readFacts(cacheFile(cache, dir, 'facts'))
    const fsRoot = Array.from({ length: facts.up }, () => '..').join('/')
    // The file system root's entries keep their names (they once lost their first letter).
    expect(facts.folders[fsRoot]?.map(e => e[0])).toContain('node_modules')
    const outer = tempDir('fp-deep-')
    const deep = join(outer, 'a', 'b', 'app')
    checkout(deep, files)
    tamper(cache, dir)
    expect((await run(deep, cache)).hash).toBe(TAMPERED)
    // A node_modules appears above the deeper checkout, at a level the first root did not have.
    const again = join(outer, 'c', 'd', 'app')
    checkout(again, files)
    mkdirSync(join(outer, 'node_modules'))
    rmSync(cacheFile(cache, deep, 'facts'))
    expect((await run(again, cache)).hash).not.toBe(TAMPERED)
  })

  it('a copy of the cache folder (restored elsewhere) is read like the original', async () => {
    const { dir, cache, first } = await firstRun(chain)
    const restored = tempDir('fp-restored-copy-')
    cpSync(cache, restored, { recursive: true })
    checkout(dir, chain)
    tamper(restored, dir)
    expect((await run(dir, restored)).hash).toBe(TAMPERED)
    expect((await run(dir, false)).hash).toBe(first.hash)
  })
})
