// The README's code blocks, and what tests do with each (issue 17, item 3: every snippet runs as printed).
// Every fenced block of README.md must match exactly one entry of SNIPPETS: either `run`, naming the
// test of tests/newcomer-packages.test.ts that runs it as printed, or `fragment`, with the reason it is
// not run and a check of that reason. tests/readme-snippets.test.ts enforces both.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const repo = resolve(import.meta.dirname, '../..')
export const readme = readFileSync(join(repo, 'README.md'), 'utf8')

/** A fenced code block of the README. */
export interface Block {
  lang: string
  text: string
  /** 1-based line of its opening fence. */
  line: number
}

/** Every fenced code block of the README, in order. */
export function codeBlocks(markdown = readme): Block[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(m => ({
    lang: m[1]!,
    text: m[2]!,
    line: markdown.slice(0, m.index).split('\n').length,
  }))
}

/** One README block: how to find it, and what is done with it. */
export interface Snippet {
  /** The block's first line (for files: `// <path>`), or a text it alone contains. */
  key: string
  /** `run`: the title of the test (tests/newcomer-packages.test.ts) that runs it as printed. */
  run?: string
  /** `fragment`: why it is not run as a program, and a check that the reason holds. */
  fragment?: { why: string; check: (block: Block) => void }
}

const fail = (message: string): never => {
  throw new Error(`[smart-cache] README snippets: ${message}`)
}

export const SNIPPETS: Snippet[] = [
  {
    key: 'pnpm install && pnpm demo',
    fragment: {
      why: "the repository's own commands (set up and the demo; the whole suite): the second line is what .ci/run runs",
      check: b => {
        const ci = readFileSync(join(repo, '.ci/run'), 'utf8').trim().split('\n').at(-1)!
        if (!b.text.includes(ci)) fail(`the first sh block no longer holds .ci/run's command: ${ci}`)
      },
    },
  },
  {
    key: '1. first run',
    fragment: {
      why: 'the output of `pnpm demo`, not code: its row labels are the ones scripts/demo.mjs prints',
      check: b => {
        if (b.lang !== 'text') fail(`the demo output block is \`\`\`${b.lang}, expected \`\`\`text`)
        const demo = readFileSync(join(repo, 'scripts/demo.mjs'), 'utf8')
        for (const label of ['first run', 'second run (a new process)', 'comment added to the helper'])
          if (!b.text.includes(label) || !demo.includes(label)) fail(`"${label}" is not in both the demo output and scripts/demo.mjs`)
      },
    },
  },
  { key: '// src/report.ts', run: 'src/report.ts (the first example) runs twice' },
  { key: '// src/fib.ts', run: 'esbuild: the directive and decorator snippets' },
  { key: '// src/geometry.ts', run: 'esbuild: the directive and decorator snippets' },
  { key: 'pnpm pack --pack-destination', run: 'installs: the runtime, the plugin, the engine and the CLI' },
  { key: 'npm i /tmp/smart-cache-tgz', run: 'installs: the runtime, the plugin, the engine and the CLI' },
  { key: '// src/compute.ts', run: 'Vite: vite.config.ts' },
  { key: '// src/main.ts', run: 'Vite: vite.config.ts' },
  { key: '// vite.config.ts', run: 'Vite: vite.config.ts' },
  { key: '// rollup.config.mjs', run: 'Rollup: rollup.config.mjs' },
  { key: '// webpack.config.mjs', run: 'webpack: webpack.config.mjs' },
  { key: '// build.mjs', run: 'esbuild: build.mjs' },
  { key: '// rolldown.config.mjs', run: 'Rolldown: rolldown.config.mjs' },
  { key: '// rspack.config.mjs', run: 'Rspack: rspack.config.mjs' },
  { key: 'node --import smart-cache/register --import tsx', run: 'Node loader: every command of the README' },
  { key: '// src/cache-store.ts', run: 'Redis: src/cache-store.ts' },
]

function matches(s: Snippet, b: Block): boolean {
  return b.text.startsWith(`${s.key}\n`) || (!s.key.startsWith('// ') && b.text.includes(s.key))
}

/** The one README block that `key` names (a SNIPPETS key), as printed. */
export function block(key: string): Block {
  if (!SNIPPETS.some(s => s.key === key)) fail(`"${key}" is not listed in SNIPPETS (tests/helpers/readme-snippets.ts)`)
  const found = codeBlocks().filter(b => matches({ key }, b))
  if (found.length !== 1) fail(`${found.length} blocks match "${key}", expected exactly one`)
  return found[0]!
}

/** The README's code block whose first line is `// <file>`, as printed. */
export function snippet(file: string): string {
  return block(`// ${file}`).text
}

/** The lines of the README's sh block holding `key`, comments and blank lines left to the shell. */
export function shellLines(key: string): string[] {
  return block(key).text.trim().split('\n')
}

/** For each README block, the SNIPPETS entries matching it (tests/readme-snippets.test.ts wants exactly one each). */
export function claims(markdown = readme): { block: Block; by: Snippet[] }[] {
  return codeBlocks(markdown).map(b => ({ block: b, by: SNIPPETS.filter(s => matches(s, b)) }))
}
