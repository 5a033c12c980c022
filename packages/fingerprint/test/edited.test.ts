import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { createFingerprinter, ENGINE_VERSION } from '@smart-cache/fingerprint'
import { project, writeFiles } from './helpers.ts'

/** The answers compared: setup code counts through the program's entry. */
const targets = [
  ['src/price.ts', 'price'],
  ['src/price.ts', 'twice'],
  ['src/other.ts', 'other'],
] as const
const entries = ['src/main.ts']

const app = {
  'src/config.ts': `export const config = { rate: 1 }`,
  'src/setup.ts': `import { config } from './config'\nconfig.rate = 2`,
  'src/leaf.ts': `export const leaf = (n: number) => n + 1`,
  'src/price.ts': `import { config } from './config'\nimport { leaf } from './leaf'\nexport const price = (n: number) => leaf(n) * config.rate\nexport const twice = (n: number) => n * 2`,
  'src/other.ts': `export const other = () => 'other'`,
  'src/main.ts': `import './setup'\nimport { price } from './price'\nimport { other } from './other'\nconsole.log(price(5), other())`,
}

type Outcome = { hash: string; uncacheable?: string; sourceHash: string; deps: unknown } | { error: string }

/** Every target's answer from a new engine: `cache` is its cache folder (`false`: a cold engine). */
async function answers(root: string, cache: string | false): Promise<Outcome[]> {
  const engine = createFingerprinter({ root, cacheDir: cache, entries })
  try {
    const out: Outcome[] = []
    for (const [file, name] of targets) {
      try {
        const a = await engine.fingerprint(file, name)
        out.push({ hash: a.hash, uncacheable: a.uncacheable, sourceHash: a.sourceHash, deps: a.deps })
      } catch (error) {
        out.push({ error: String(error).replaceAll(root, '<root>') })
      }
    }
    return out
  } finally {
    await engine.close()
  }
}

const hashes = (out: Outcome[]): Array<string | undefined> => out.map(o => ('hash' in o ? o.hash : undefined))

/** The snapshot file in the cache folder `cache`. */
function snapshotFile(cache: string): string {
  const dir = join(cache, ENGINE_VERSION)
  return join(
    dir,
    readdirSync(dir).find(f => f.endsWith('.snapshot'))!,
  )
}

/** Rewrites the own hashes of `rel`'s bindings in the snapshot (stored answers removed): an answer computed from it then differs. */
function tamperSnapshot(cache: string, rel: string): string {
  const file = snapshotFile(cache)
  const text = readFileSync(file, 'utf8')
  const data = JSON.parse(text) as { files: Record<string, string[]>; analyses: Record<string, { names: Record<string, { own: string }> }> }
  for (const n of Object.values(data.analyses[data.files[rel]![5]!]!.names)) n.own = 'f'.repeat(64)
  writeFileSync(file, JSON.stringify(data))
  const dir = join(cache, ENGINE_VERSION)
  for (const f of readdirSync(dir)) if (f.startsWith('answers-') || f.startsWith('facts-')) rmSync(join(dir, f))
  return text
}

describe('a new engine after one edit, with the caches of the run before (issue 14)', () => {
  it('gives every answer a cold engine gives, edit after edit', async () => {
    const root = project(app)
    const cache = join(root, 'cache')
    await sleep(3100) // stamps older than the racy window are trusted: unchanged files come from the snapshot
    let before = await answers(root, cache)
    expect(before).toEqual(await answers(root, false))

    // The warm engine does take untouched files from the snapshot: a tampered entry shows in its answer.
    const saved = tamperSnapshot(cache, 'src/leaf.ts')
    expect(hashes(await answers(root, cache))[0]).not.toBe(hashes(before)[0])
    writeFileSync(snapshotFile(cache), saved)

    /** Applies `edit`, then compares the warm engine's answers to a cold engine's; `changed`: the targets whose hash must change. */
    const step = async (edit: () => void, changed: number[]): Promise<void> => {
      edit()
      const warm = await answers(root, cache)
      expect(warm).toEqual(await answers(root, false))
      for (const [i, h] of hashes(warm).entries()) {
        if (changed.includes(i)) expect(h, `target ${i}`).not.toBe(hashes(before)[i])
        else expect(h, `target ${i}`).toBe(hashes(before)[i])
      }
      before = warm
    }
    const write = (rel: string, text: string) => () => writeFiles(root, { [rel]: text })

    // A leaf the function calls.
    await step(write('src/leaf.ts', `export const leaf = (n: number) => n + 2`), [0])
    // Setup code the entry runs (a module the function never imports).
    await step(write('src/setup.ts', `import { config } from './config'\nconfig.rate = 3`), [0])
    // An import added (of a new file), then removed again, then the file deleted.
    await step(write('src/extra.ts', `export const extra = 3`), [])
    await step(write('src/price.ts', app['src/price.ts'].replace('n * 2', 'n * extra') + `\nimport { extra } from './extra'`), [1])
    await step(write('src/price.ts', app['src/price.ts']), [1])
    await step(() => rmSync(join(root, 'src/extra.ts')), [])
    // A file no answer reaches but the entry.
    await step(write('src/main.ts', `${app['src/main.ts']}\nconsole.log(1)`), [])
    // A file one answer reaches, and no other.
    await step(write('src/other.ts', `export const other = () => 'another'`), [2])
    // A file still imported, deleted: both engines give no fingerprint, alike.
    await step(() => rmSync(join(root, 'src/leaf.ts')), [0])
    expect(before[0]).toHaveProperty('uncacheable', expect.stringContaining('./leaf'))
  }, 60_000)
})
