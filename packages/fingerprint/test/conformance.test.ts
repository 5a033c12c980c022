import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFingerprinter } from '@smart-cache/fingerprint'
import { replaceContent, tempDir, withEngine } from './helpers.ts'

/** The shared cases live beside the repository: `<repo root>/../shared/conformance/fingerprint`. */
const repoRoot = resolve(import.meta.dirname, '../../..')
const casesDir = join(resolve(repoRoot, '../shared'), 'conformance', 'fingerprint')

interface Case { name: string, level: 'must' | 'should', expect: 'same' | 'changed', target: string, why: string }

const cases: Case[] = readdirSync(casesDir).sort().map(name => JSON.parse(readFileSync(join(casesDir, name, 'case.json'), 'utf8')) as Case)

function split(target: string): [string, string] {
  const i = target.lastIndexOf('#')
  return [target.slice(0, i), target.slice(i + 1)]
}

describe('shared conformance cases', () => {
  it('finds the shared cases', () => {
    expect(existsSync(casesDir)).toBe(true)
    expect(cases.length).toBeGreaterThanOrEqual(47)
  })

  for (const c of cases) {
    const [file, name] = split(c.target)

    it(`[${c.level}] ${c.name}: ${c.expect} (fresh engine per side)`, async () => {
      const dir = tempDir('fp-conf-')
      replaceContent(dir, join(casesDir, c.name, 'before'))
      const before = await withEngine(dir, async e => (await e.fingerprint(file, name)).hash)
      replaceContent(dir, join(casesDir, c.name, 'after'))
      const after = await withEngine(dir, async e => (await e.fingerprint(file, name)).hash)
      expect(before).toMatch(/^[0-9a-f]{64}$/)
      if (c.expect === 'same') expect(after, c.why).toBe(before)
      else expect(after, c.why).not.toBe(before)
    })

    it(`[${c.level}] ${c.name}: ${c.expect} (one long-lived engine with its disk cache)`, async () => {
      const dir = tempDir('fp-conf-')
      const cache = tempDir('fp-conf-cache-')
      const engine = createFingerprinter({ root: dir, cacheDir: cache })
      try {
        replaceContent(dir, join(casesDir, c.name, 'before'))
        const before = (await engine.fingerprint(file, name)).hash
        replaceContent(dir, join(casesDir, c.name, 'after'))
        const after = (await engine.fingerprint(file, name)).hash
        if (c.expect === 'same') expect(after, c.why).toBe(before)
        else expect(after, c.why).not.toBe(before)
        // The disk cache gives the same answer to a new engine.
        const again = await withEngine(dir, async e => (await e.fingerprint(file, name)).hash, cache)
        expect(again).toBe(after)
      }
      finally {
        await engine.close()
      }
    })
  }
})
