// Conformance cases (format: ../shared/conformance/README.md): the repository's own sets under
// test/cases always run; the shared sets (`../shared/conformance/{fingerprint,soundness}`) run
// in addition where that folder exists (beside a checkout and in CI, not in a plain clone). A shared
// case the repository holds a byte-identical copy of (test/cases/fingerprint is a copy of the first
// contract) runs once, as the repository's.
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFingerprinter } from '@smart-cache/fingerprint'
import { type Case, type CaseSet, ownSets, sharedSets, sharedSummary, splitTarget, withoutOwnCopies } from './cases.ts'
import { replaceContent, tempDir, withEngine } from './helpers.ts'

const own = ownSets()
const shared = sharedSets()
const deduped = withoutOwnCopies(shared ?? [], own)
console.log(sharedSummary(shared))
if (shared) console.log(`[conformance] ${deduped.skipped.length} shared cases not run again: the repository's copies ran`)

/** Fingerprints the target in `before/`, then in `after/` copied to the same folder. */
async function freshEngines(dir: string, c: Case): Promise<[string, string]> {
  const [file, name] = splitTarget(c.target)
  const root = tempDir('fp-conf-')
  replaceContent(root, join(dir, c.name, 'before'))
  const before = await withEngine(root, async e => (await e.fingerprint(file, name)).hash)
  replaceContent(root, join(dir, c.name, 'after'))
  const after = await withEngine(root, async e => (await e.fingerprint(file, name)).hash)
  return [before, after]
}

/** The same with one long-lived engine and its disk cache; checks that a new engine agrees. */
async function longLivedEngine(dir: string, c: Case): Promise<[string, string]> {
  const [file, name] = splitTarget(c.target)
  const root = tempDir('fp-conf-')
  const cache = tempDir('fp-conf-cache-')
  const engine = createFingerprinter({ root, cacheDir: cache })
  try {
    replaceContent(root, join(dir, c.name, 'before'))
    const before = (await engine.fingerprint(file, name)).hash
    replaceContent(root, join(dir, c.name, 'after'))
    const after = (await engine.fingerprint(file, name)).hash
    const again = await withEngine(root, async e => (await e.fingerprint(file, name)).hash, cache)
    expect(again, 'the disk cache gives the same answer to a new engine').toBe(after)
    return [before, after]
  } finally {
    await engine.close()
  }
}

function expectVerdict(c: Case, [before, after]: [string, string]): void {
  expect(before).toMatch(/^[0-9a-f]{64}$/)
  if (c.expect === 'same') expect(after, c.why).toBe(before)
  else expect(after, c.why).not.toBe(before)
}

function runSet(set: CaseSet): void {
  describe(set.label, () => {
    for (const c of set.cases) {
      it(`[${c.level}] ${c.name}: ${c.expect} (fresh engine per side)`, async () => {
        expectVerdict(c, await freshEngines(set.dir, c))
      })
      it(`[${c.level}] ${c.name}: ${c.expect} (one long-lived engine with its disk cache)`, async () => {
        expectVerdict(c, await longLivedEngine(set.dir, c))
      })
    }
  })
}

describe('conformance case sets', () => {
  it('the repository holds its own soundness cases, well formed', () => {
    const soundness = own.find(s => s.label === 'own/soundness')
    expect(soundness?.cases.length).toBeGreaterThanOrEqual(60)
    expect(own.find(s => s.label === 'own/fingerprint')?.cases.length).toBeGreaterThanOrEqual(47)
    for (const set of own) {
      for (const c of set.cases) {
        expect(c.level, c.name).toMatch(/^(must|should)$/)
        expect(c.expect, c.name).toMatch(/^(same|changed)$/)
        expect(c.why.length, c.name).toBeGreaterThan(10)
        if (set.label === 'own/soundness') expect(c.class, `${c.name}: class`).toMatch(/^[a-z-]+$/)
        const [file, name] = splitTarget(c.target)
        expect(name, c.name).not.toBe('')
        for (const side of ['before', 'after'])
          expect(existsSync(join(set.dir, c.name, side, file)), `${c.name}: ${side}/${file}`).toBe(true)
      }
    }
  })

  it.runIf(!!shared)('finds the shared cases where ../shared exists', () => {
    const count = (label: string) => shared?.find(s => s.label === label)?.cases.length ?? 0
    expect(count('shared/fingerprint')).toBeGreaterThanOrEqual(47)
    expect(count('shared/soundness')).toBeGreaterThanOrEqual(26)
  })

  it.runIf(!!shared)('runs a shared case once when the repository holds the same case, and an edited copy as well', () => {
    const fingerprint = shared!.find(s => s.label === 'shared/fingerprint')!
    const skipped = deduped.skipped.filter(n => n.startsWith('shared/fingerprint/'))
    expect(skipped.length, 'the repository holds a copy of the first contract').toBe(fingerprint.cases.length)
    const c = fingerprint.cases[0]!
    const copy: CaseSet = { label: 'shared/fingerprint', dir: tempDir('fp-conf-shared-'), cases: [c] }
    replaceContent(copy.dir, fingerprint.dir)
    expect(withoutOwnCopies([copy], own).sets[0]!.cases).toHaveLength(0)
    writeFileSync(join(copy.dir, c.name, 'case.json'), `${JSON.stringify(c)}\n`)
    expect(withoutOwnCopies([copy], own).sets[0]!.cases).toHaveLength(1)
  })
})

for (const set of [...own, ...deduped.sets.filter(s => s.cases.length > 0)]) runSet(set)
