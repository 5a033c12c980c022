import { existsSync, readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error plain ESM script without types
import { CLASSES, END, readCases, renderTable, START, updateReadme } from '../scripts/invalidation-table.mjs'

interface TableCase {
  name: string
  class?: string
}

const repoRoot = resolve(import.meta.dirname, '..')
const readme = readFileSync(resolve(repoRoot, 'README.md'), 'utf8')

/** Targets of the README's Markdown links and images, code blocks and inline code left out. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '')
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1]!)
}

describe('README', () => {
  it('has the markers of the generated invalidation table, in order', () => {
    expect(readme.indexOf(START)).toBeGreaterThan(0)
    expect(readme.indexOf(END)).toBeGreaterThan(readme.indexOf(START))
  })

  it("keeps a <!-- rules --> marker right after the invalidation section's heading", () => {
    expect(readme).toContain('## What invalidates the cache\n\n<!-- rules -->\n')
    expect(readme.indexOf('<!-- rules -->')).toBeLessThan(readme.indexOf(START))
  })

  it("carries the invalidation table generated from the repository's own cases", () => {
    expect(updateReadme(readme)).toBe(readme)
    const { fingerprint, soundness } = readCases() as { fingerprint: TableCase[]; soundness: TableCase[] }
    expect(fingerprint.length).toBeGreaterThanOrEqual(47)
    expect(soundness.length).toBeGreaterThanOrEqual(60)
    const table: string = renderTable()
    for (const c of [...fingerprint, ...soundness]) expect(table).toContain(`\`${c.name}\``)
    for (const [key, title] of CLASSES as Map<string, string>) {
      expect(
        soundness.some(c => c.class === key),
        `a soundness case of class ${key}`,
      ).toBe(true)
      expect(table).toContain(`**Soundness: ${title}**`)
    }
  })

  it('links only to pages on the web and to files inside the repository', () => {
    const local = linkTargets(readme).filter(t => !/^(https?:|mailto:|#)/.test(t))
    expect(local.length).toBeGreaterThan(0)
    for (const target of local) {
      const abs = resolve(repoRoot, decodeURI(target.replace(/#.*$/, '')))
      expect(relative(repoRoot, abs).startsWith('..'), `${target} leaves the repository`).toBe(false)
      expect(existsSync(abs), `${target} exists`).toBe(true)
    }
  })

  it('starts with the two commands, the second being the one .ci/run runs', () => {
    const ci = readFileSync(resolve(import.meta.dirname, '../.ci/run'), 'utf8')
      .trim()
      .split('\n')
      .at(-1)!
    const firstBlock = readme.slice(readme.indexOf('```sh'), readme.indexOf('```', readme.indexOf('```sh') + 5))
    expect(firstBlock).toContain(ci)
    expect(firstBlock).toContain('pnpm demo')
  })
})
