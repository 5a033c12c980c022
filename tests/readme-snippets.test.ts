// Issue 17, item 3: every code block of README.md is run as printed by tests/newcomer-packages.test.ts,
// or is a fragment whose reason is checked here. A new block, or an edit that makes a block match no
// entry (or two), fails here until tests/helpers/readme-snippets.ts says what is done with it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { block, claims, codeBlocks, readme, repo, SNIPPETS } from './helpers/readme-snippets.ts'

describe('README code blocks', () => {
  it('finds the blocks of a Markdown text, with their language and line', () => {
    expect(codeBlocks('a\n```ts\nx\n```\nb\n```\ny\n```\n')).toEqual([
      { lang: 'ts', text: 'x\n', line: 2 },
      { lang: '', text: 'y\n', line: 6 },
    ])
  })

  it('each block is claimed by exactly one entry: run by a test, or a fragment', () => {
    const wrong = claims()
      .filter(c => c.by.length !== 1)
      .map(c => `README.md:${c.block.line} (${c.block.text.split('\n')[0]}): ${c.by.length} entries`)
    expect(wrong, 'add the block to SNIPPETS in tests/helpers/readme-snippets.ts, or fix its first line').toEqual([])
    for (const s of SNIPPETS) expect(() => block(s.key), s.key).not.toThrow()
  })

  it('a block added to the README without an entry is caught', () => {
    const added = claims(`${readme}\n\`\`\`ts\n// src/new.ts\nexport const x = 1\n\`\`\`\n`).at(-1)!
    expect([added.block.text.split('\n')[0], added.by]).toEqual(['// src/new.ts', []])
  })

  it('each block marked run names a test of tests/newcomer-packages.test.ts', () => {
    const tests = readFileSync(join(repo, 'tests/newcomer-packages.test.ts'), 'utf8')
    for (const s of SNIPPETS) {
      expect(Boolean(s.run) !== Boolean(s.fragment), `${s.key}: run or fragment, not both`).toBe(true)
      if (s.run) expect(tests, `the test "${s.run}" that runs ${s.key}`).toContain(`it('${s.run}`)
    }
  })

  it("each fragment's reason holds", () => {
    for (const s of SNIPPETS.filter(s => s.fragment)) {
      expect(s.fragment!.why.length).toBeGreaterThan(20)
      s.fragment!.check(block(s.key))
    }
  })
})
