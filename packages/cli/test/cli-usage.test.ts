// Issue 17, item 8: the CLI's small lies: --version, the exit code of `clear ID` with no entries,
// "1 entries", and explain drawing a subtree under a "(see above)" mark.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { atomicFsDriver } from 'smart-cache/drivers/fs'
import { afterAll, describe, expect, it } from 'vitest'
import { formatTree } from '../src/commands/explain.ts'
import type { ExplainNode } from '@smart-cache/fingerprint'
import { cli, createProject, fill, fp, type Project } from './cache-helpers.ts'

const projects: Project[] = []
afterAll(() => projects.forEach(p => p.remove()))

describe('the CLI says what happened', { timeout: 60_000 }, () => {
  it('--version prints the version, not the help', async () => {
    const p = createProject('version')
    projects.push(p)
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8'))
    const r = await cli(['--version'], { cwd: p.dir })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^smart-cache/${version.replace(/\./g, '\\.')} `))
    expect(r.stdout).not.toContain('Commands:')
  })

  it('clear ID with no entries exits 1 with the fix; one entry is "1 entry"', async () => {
    const p = createProject('clear')
    projects.push(p)
    await fill(atomicFsDriver({ base: join(p.dir, 'node_modules/.cache/smart-cache/values') }), 'src/a.ts#a', fp('a'), [1])
    const nope = await cli(['clear', 'src/nope.ts#x'], { cwd: p.dir })
    expect(nope.code).toBe(1)
    expect(nope.stderr).toMatch(/^\[smart-cache\] no entries for src\/nope\.ts#x\. Fix: run `smart-cache ls`/)
    const stats = await cli(['stats'], { cwd: p.dir })
    expect(stats.stdout).toMatch(/total\s+1 entry\s/)
    const ok = await cli(['clear', 'src/a.ts#a'], { cwd: p.dir })
    expect([ok.code, ok.stdout]).toEqual([0, 'src/a.ts#a: deleted 1 entry\n'])
  })
})

describe('explain draws each subtree once, where it is met first', () => {
  const node = (id: string, children: ExplainNode[] = [], repeated = false): ExplainNode =>
    ({
      id,
      file: id.split('#')[0]!,
      binding: id.split('#')[1]!,
      hash: '1'.repeat(64),
      ownHash: '2'.repeat(64),
      resolvedFrom: `${id}:1`,
      children,
      ...(repeated ? { repeated } : {}),
    }) as ExplainNode

  it('a subtree the engine expanded at its second mention is drawn at the first, and marked at the second', () => {
    // The engine walks b before a (a stack), so it expands b under the root and marks it under a.
    const tree = node('m#root', [node('m#a', [node('m#b', [], true)]), node('m#b', [node('m#c')])])
    const ids = formatTree(tree)
      .trimEnd()
      .split('\n')
      .map(l => l.replace(/ {2}hash .*?(\s+\(see above\))?$/, (_, see) => (see ? ' (see above)' : '')))
    expect(ids).toEqual(['m#root', '├─ m#a', '│  └─ m#b', '│     └─ m#c', '└─ m#b (see above)'])
  })
})
