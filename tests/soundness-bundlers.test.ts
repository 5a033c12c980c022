// The soundness cases through every bundler adapter (issue 11): each case's `before` and `after`
// projects are built with unplugin-smart-cache under a real bundler, from an entry module that
// imports the case's target and marks it with `smartCache`. The fingerprint the plugin writes to
// its manifest must change exactly when the case says `changed`, and equal what a fresh engine
// (createFingerprinter, memory only) gives for the same mark on the same root.
// Every case runs through every bundler (108 cases × 2 sides × 4 bundlers: about a minute on
// 2 cores), so no subset is chosen.
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFingerprinter } from '@smart-cache/fingerprint'
import { describe, expect, it } from 'vitest'
import { type Case, type CaseSet, ownSets, sharedSets, sharedSummary, splitTarget } from '../packages/fingerprint/test/cases.ts'
import type { Bundler } from './helpers/bundle.ts'
import { buildEntry } from './helpers/entry-build.ts'
import { createTempDir } from './helpers/temp-project.ts'

/** The entry module written beside each case's files; its mark's id in the manifest. */
const ENTRY = 'smart-cache-entry.mjs'
const MARK = `${ENTRY}#cached`

/** `import` of the target under the local name `target`, then the mark. */
function entrySource(c: Case): string {
  const [file, name] = splitTarget(c.target)
  const spec = JSON.stringify(`./${file}`)
  const load = name === 'default' ? `import target from ${spec}` : `import { ${name} as target } from ${spec}`
  return `import { smartCache } from 'smart-cache'\n${load}\n\nexport const cached = smartCache(target)\n`
}

/** Empties `root`, copies one side of the case into it and adds the entry. */
function lay(root: string, set: CaseSet, c: Case, side: 'before' | 'after'): void {
  for (const e of readdirSync(root)) rmSync(join(root, e), { recursive: true, force: true })
  cpSync(join(set.dir, c.name, side), root, { recursive: true, verbatimSymlinks: true })
  writeFileSync(join(root, ENTRY), entrySource(c))
}

/**
 * Rollup and webpack parse neither TypeScript, JSX nor (Rollup) CommonJS without plugins or loaders
 * the case does not choose: for them the case's modules stay external and the build transforms the
 * entry alone (the plugin's engine still reads every file from disk). Vite and esbuild bundle all.
 */
const external: Record<Bundler, (source: string) => boolean> = {
  esbuild: () => false,
  vite: () => false,
  rollup: () => true,
  webpack: () => true,
}

interface Side {
  plugin: string
  engine: string
  target: string
  deps: string[]
}

/** Builds the side laid in `root` and fingerprints the same mark and the target with a fresh engine. */
async function side(bundler: Bundler, root: string, cacheDir: string, c: Case): Promise<Side> {
  const built = await buildEntry(bundler, { root, entry: ENTRY, cacheDir, external: external[bundler] })
  const fn = built.functions[MARK]
  expect(fn, `${MARK} in the manifest (functions: ${Object.keys(built.functions).join(', ')})`).toBeDefined()
  const [file, name] = splitTarget(c.target)
  const engine = createFingerprinter({ root, cacheDir: false })
  try {
    const mark = (await engine.fingerprint(ENTRY, 'cached')).hash
    const target = (await engine.fingerprint(file, name)).hash
    return { plugin: fn!.fingerprint, engine: mark, target, deps: fn!.deps.map(d => d.file) }
  } finally {
    await engine.close()
  }
}

/** Both sides with one plugin cache (the second build is a warm one, as in watch or CI with a cache). */
async function bothSides(bundler: Bundler, set: CaseSet, c: Case): Promise<[Side, Side]> {
  const root = createTempDir('sc-bundlers')
  const cacheDir = createTempDir('sc-bundlers-cache')
  lay(root, set, c, 'before')
  const before = await side(bundler, root, cacheDir, c)
  lay(root, set, c, 'after')
  const after = await side(bundler, root, cacheDir, c)
  return [before, after]
}

function expectSides(c: Case, [before, after]: [Side, Side]): void {
  const hashes = `before ${before.plugin} (engine ${before.engine}), after ${after.plugin} (engine ${after.engine})`
  const [file] = splitTarget(c.target)
  for (const s of [before, after]) {
    expect(s.plugin, `the plugin's fingerprint is the engine's: ${hashes}`).toBe(s.engine)
    expect(s.deps, "the mark reaches the target's module").toContain(file)
  }
  const targetChanged = after.target !== before.target
  expect(after.plugin !== before.plugin, `the mark changes with the target itself (target ${before.target} → ${after.target})`).toBe(
    targetChanged,
  )
  if (c.expect === 'changed') expect(after.plugin, `${c.why}\n${hashes}`).not.toBe(before.plugin)
  else expect(after.plugin, `${c.why}\n${hashes}`).toBe(before.plugin)
}

const BUNDLERS: Bundler[] = ['esbuild', 'vite', 'rollup', 'webpack']
const shared = sharedSets()?.filter(s => s.label === 'shared/soundness')
const sets = [...ownSets().filter(s => s.label === 'own/soundness'), ...(shared ?? [])]
console.log(sharedSummary(shared).replace('[conformance]', '[bundlers]'))

describe('soundness cases through the bundler adapters', () => {
  it("finds the repository's soundness cases", () => {
    expect(sets[0]?.label).toBe('own/soundness')
    expect(sets[0]?.cases.length).toBeGreaterThanOrEqual(60)
  })

  for (const bundler of BUNDLERS) {
    for (const set of sets) {
      describe(`${bundler} · ${set.label}`, () => {
        for (const c of set.cases) {
          it(`[${c.level}] ${c.name}: ${c.expect}`, async () => {
            expectSides(c, await bothSides(bundler, set, c))
          })
        }
      })
    }
  }
})
