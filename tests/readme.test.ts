import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM script without types
import { readCases, renderTable, updateReadme } from '../scripts/invalidation-table.mjs'

const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8')

describe('README', () => {
  it('carries the invalidation table generated from every conformance case', () => {
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
