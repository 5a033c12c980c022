// The differential check of the soundness cases (issue 11): each case is bundled with esbuild on both
// sides and its target run in Node; the outputs must differ exactly when the case says `changed`.
// It proves the cases, not the engine: a case that cannot fail this way is a wrong case.
// SMART_CACHE_PROBE_LOG=1 prints both outputs of every case.
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  type Case,
  type CaseSet,
  ownCasesDir,
  ownSets,
  sharedSets,
  sharedSummary,
  splitTarget,
} from '../packages/fingerprint/test/cases.ts'
import { runProbe } from './helpers/probe.ts'
import { createTempDir } from './helpers/temp-project.ts'

/** Probes of the shared soundness cases, by case name (the shared case.json has no `probe`). */
const sharedProbes = JSON.parse(readFileSync(join(ownCasesDir, 'shared-probes.json'), 'utf8')) as Record<string, string>
const own = ownSets().filter(s => s.label === 'own/soundness')
const shared = sharedSets()?.filter(s => s.label === 'shared/soundness')
console.log(sharedSummary(shared).replace('[conformance]', '[differential]'))

/** Empties `dir` and copies one side of a case into it. */
function lay(dir: string, from: string): void {
  for (const e of readdirSync(dir)) rmSync(join(dir, e), { recursive: true, force: true })
  cpSync(from, dir, { recursive: true, verbatimSymlinks: true })
}

async function outputs(set: CaseSet, c: Case, probe: string | undefined): Promise<[string, string]> {
  const [file, name] = splitTarget(c.target)
  const dir = createTempDir('sc-probe')
  lay(dir, join(set.dir, c.name, 'before'))
  const before = await runProbe(dir, file, name, probe)
  lay(dir, join(set.dir, c.name, 'after'))
  const after = await runProbe(dir, file, name, probe)
  return [before, after]
}

function checkSet(set: CaseSet, probeOf: (c: Case) => string | undefined): void {
  describe(set.label, () => {
    for (const c of set.cases) {
      it(`${c.name}: outputs ${c.expect === 'changed' ? 'differ' : 'are equal'}`, async () => {
        const [before, after] = await outputs(set, c, probeOf(c))
        if (process.env.SMART_CACHE_PROBE_LOG) console.log(`[differential] ${set.label}/${c.name}\n  before: ${before}\n  after:  ${after}`)
        if (c.expect === 'changed') expect(after, `${c.why}\nbefore: ${before}`).not.toBe(before)
        else expect(after, c.why).toBe(before)
      })
    }
  })
}

describe('differential check of the soundness cases', () => {
  it('every repository case has a probe', () => {
    for (const set of own) for (const c of set.cases) expect(c.probe, `${set.label}/${c.name}`).toBeTypeOf('string')
  })

  it.runIf(!!shared)('every shared soundness case has a probe in shared-probes.json, and every probe a case', () => {
    const names = shared!.flatMap(s => s.cases.map(c => c.name)).sort()
    expect(Object.keys(sharedProbes).sort()).toEqual(names)
  })
})

for (const set of own) checkSet(set, c => c.probe)
for (const set of shared ?? []) checkSet(set, c => sharedProbes[c.name])
