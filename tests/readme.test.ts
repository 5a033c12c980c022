import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM script without types
import { END, hasCases, readCases, renderTable, START, updateReadme } from '../scripts/invalidation-table.mjs'

const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8')
const shared: boolean = hasCases()
console.log(shared
  ? '[readme] shared cases: ran (the invalidation table is checked against ../shared/conformance/fingerprint)'
  : '[readme] shared cases: not run (no ../shared/conformance/fingerprint); only the table\'s markers are checked')

describe('README', () => {
  it('has the markers of the generated invalidation table, in order', () => {
    expect(readme.indexOf(START)).toBeGreaterThan(0)
    expect(readme.indexOf(END)).toBeGreaterThan(readme.indexOf(START))
  })

  it.runIf(shared)('carries the invalidation table generated from every conformance case', () => {
    expect(updateReadme(readme)).toBe(readme)
    const table: string = renderTable()
    for (const c of readCases() as Array<{ name: string }>)
      expect(table).toContain(`\`${c.name}\``)
  })

  it('starts with the two commands, the second being the one .ci/run runs', () => {
    const ci = readFileSync(resolve(import.meta.dirname, '../.ci/run'), 'utf8').trim().split('\n').at(-1)!
    const firstBlock = readme.slice(readme.indexOf('```sh'), readme.indexOf('```', readme.indexOf('```sh') + 5))
    expect(firstBlock).toContain(ci)
    expect(firstBlock).toContain('pnpm demo')
  })
})
