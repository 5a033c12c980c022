import { cpSync, existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { ENGINE_VERSION } from '@smart-cache/fingerprint'
import { project, withEngine } from './helpers.ts'

/** A project with its own engine cache folder. */
function projectWithCache(files: Record<string, string>): { dir: string; cache: string } {
  const dir = project(files)
  return { dir, cache: join(dir, 'cache') }
}

/**
 * A new engine's fingerprint of main.ts#f. The stored answers are removed first: these tests are
 * about the snapshot of analyses, which the answers would bypass when every fact holds (a folder
 * racy when consulted now keeps its listing, so the answers of the run before are often valid).
 */
function hashOf(dir: string, cache: string | false): Promise<string> {
  if (cache !== false) forgetAnswers(cache)
  return withEngine(dir, async e => (await e.fingerprint('main.ts', 'f')).hash, cache)
}

function forgetAnswers(cache: string): void {
  const dir = join(cache, ENGINE_VERSION)
  if (!existsSync(dir)) return
  for (const f of readdirSync(dir)) if (f.startsWith('answers-') || f.startsWith('facts-')) rmSync(join(dir, f))
}

function snapshotPath(cache: string): string {
  const name = readdirSync(join(cache, ENGINE_VERSION)).find(f => f.endsWith('.snapshot'))
  if (!name) throw new Error('no snapshot written')
  return join(cache, ENGINE_VERSION, name)
}

/** Rewrites the own hashes of `rel`'s bindings in the snapshot: a fingerprint served from it changes. */
function tamper(file: string, rel = 'g.ts'): string {
  const text = readFileSync(file, 'utf8')
  const data = JSON.parse(text) as { files: Record<string, string[]>; analyses: Record<string, { names: Record<string, { own: string }> }> }
  for (const n of Object.values(data.analyses[data.files[rel]![5]!]!.names)) n.own = 'f'.repeat(64)
  writeFileSync(file, JSON.stringify(data))
  return text
}

const files = {
  'main.ts': `import { g } from './g'\nexport const f = () => g() + 1`,
  'g.ts': `export const g = () => 1`,
}

describe('snapshot of the files read (warm start of a new engine)', () => {
  it('serves unchanged files from the snapshot and re-reads an edited one', async () => {
    const { dir, cache } = projectWithCache(files)
    await sleep(3100) // stamps older than the racy window are trusted
    const first = await hashOf(dir, cache)
    const snap = snapshotPath(cache)
    const original = tamper(snap)
    // Served from the (tampered) snapshot: proof that no file was read or parsed.
    expect(await hashOf(dir, cache)).not.toBe(first)
    writeFileSync(snap, original)
    expect(await hashOf(dir, cache)).toBe(first)

    // Same size, new content: the stamp (mtime, ctime) differs, so g.ts is read again and its
    // tampered entry no longer matters.
    tamper(snap)
    writeFileSync(join(dir, 'g.ts'), `export const g = () => 2`)
    const edited = await hashOf(dir, cache)
    expect(edited).not.toBe(first)
    expect(edited).toBe(await hashOf(dir, false))
  })

  it('does not trust stamps recorded within the racy window (the file is hashed again)', async () => {
    const { dir, cache } = projectWithCache(files)
    const first = await hashOf(dir, cache) // files written just now
    const snap = snapshotPath(cache)
    const data = JSON.parse(readFileSync(snap, 'utf8')) as { files: Record<string, Array<number | string>> }
    expect(data.files['g.ts']![2]).toBe(-1) // ctime not recorded: the stamp can never match
    // Point g.ts's row at main.ts's analysis: a trusted row would serve the wrong analysis.
    data.files['g.ts']![5] = data.files['main.ts']![5]!
    writeFileSync(snap, JSON.stringify(data))
    expect(await hashOf(dir, cache)).toBe(first)
  })

  it('a touched file with unchanged content is hashed, not parsed again', async () => {
    const { dir, cache } = projectWithCache(files)
    await sleep(3100)
    const first = await hashOf(dir, cache)
    const original = tamper(snapshotPath(cache))
    utimesSync(join(dir, 'g.ts'), new Date(), new Date()) // new stamp, same content
    // The analysis comes from the snapshot by content key (the tampered one shows through).
    expect(await hashOf(dir, cache)).not.toBe(first)
    writeFileSync(snapshotPath(cache), original)
    expect(await hashOf(dir, cache)).toBe(first)
  })

  it('ignores a corrupt snapshot', async () => {
    const { dir, cache } = projectWithCache(files)
    const first = await hashOf(dir, cache)
    writeFileSync(snapshotPath(cache), '{"files":{"main.ts":[1,2')
    expect(await hashOf(dir, cache)).toBe(first)
    writeFileSync(snapshotPath(cache), JSON.stringify({ files: { 'main.ts': 'x' }, analyses: 3 }))
    expect(await hashOf(dir, cache)).toBe(first)
  })

  it('an edit after the snapshot gives the same fingerprint as a fresh engine', async () => {
    const { dir, cache } = projectWithCache(files)
    await sleep(3100)
    await hashOf(dir, cache)
    writeFileSync(join(dir, 'g.ts'), `export const g = () => 3`)
    expect(await hashOf(dir, cache)).toBe(await hashOf(dir, false))
  })

  it('after an edit of a few files, only their rows are written, beside the snapshot, and read with it; more edits write it whole', async () => {
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`g${i}.ts`, `export const g${i} = () => ${i}`]))
    const main = `${Object.keys(many)
      .map((f, i) => `import { g${i} } from './${f.slice(0, -3)}'`)
      .join('\n')}\nexport const f = () => ${Object.keys(many)
      .map((_, i) => `g${i}()`)
      .join(' + ')}`
    const { dir, cache } = projectWithCache({ ...many, 'main.ts': main })
    await sleep(3100)
    await hashOf(dir, cache)
    const snap = snapshotPath(cache)
    const delta = `${snap}.delta`
    const whole = readFileSync(snap, 'utf8')
    expect(existsSync(delta)).toBe(false)

    writeFileSync(join(dir, 'g1.ts'), `export const g1 = () => 100`)
    await sleep(3100) // the edited file's stamp is trusted once older than the racy window
    const edited = await hashOf(dir, cache)
    expect(edited).toBe(await hashOf(dir, false))
    expect(readFileSync(snap, 'utf8')).toBe(whole)
    expect(Object.keys((JSON.parse(readFileSync(delta, 'utf8')) as { files: object }).files)).toEqual(['g1.ts'])
    // The next engine takes the edited file from the delta (a tampered entry there shows through).
    const saved = tamper(delta, 'g1.ts')
    expect(await hashOf(dir, cache)).not.toBe(edited)
    writeFileSync(delta, saved)
    expect(await hashOf(dir, cache)).toBe(edited)

    // Past a tenth of the rows: the whole snapshot is written, the delta removed.
    for (const f of ['g2.ts', 'g3.ts']) writeFileSync(join(dir, f), `export const ${f.slice(0, 2)} = () => 200`)
    const more = await hashOf(dir, cache)
    expect(more).toBe(await hashOf(dir, false))
    expect(existsSync(delta)).toBe(false)
    expect(readFileSync(snap, 'utf8')).not.toBe(whole)
    // A delta left behind (written before the whole file) holds out-of-date rows: they only mean a file read again.
    writeFileSync(join(dir, 'g1.ts'), `export const g1 = () => 300`)
    writeFileSync(delta, saved)
    expect(await hashOf(dir, cache)).toBe(await hashOf(dir, false))
  }, 20_000)

  it('the same project in another folder with the same cache folder: same content is hashed, not parsed; changed content is parsed', async () => {
    const { dir, cache } = projectWithCache(files)
    const first = await hashOf(dir, cache)
    const snap = snapshotPath(cache)
    const moved = project({})
    rmSync(moved, { recursive: true, force: true })
    cpSync(dir, moved, { recursive: true })
    // The other folder's analyses serve by content (the tampered one shows through)…
    const original = tamper(snap)
    expect(await hashOf(moved, cache)).not.toBe(first)
    writeFileSync(snap, original)
    for (const f of readdirSync(join(cache, ENGINE_VERSION))) {
      if (f.endsWith('.snapshot') && join(cache, ENGINE_VERSION, f) !== snap) rmSync(join(cache, ENGINE_VERSION, f))
    }
    expect(await hashOf(moved, cache)).toBe(first)
    // …but never by the other folder's stamps: an edited file (same size) is parsed.
    const other = project({})
    rmSync(other, { recursive: true, force: true })
    cpSync(dir, other, { recursive: true })
    writeFileSync(join(other, 'g.ts'), `export const g = () => 2`)
    expect(await hashOf(other, cache)).toBe(await hashOf(other, false))
    expect(await hashOf(other, cache)).not.toBe(first)
  })
})
