#!/usr/bin/env node
// Opt-in long run of the crash torture of tests/reliability-crash.test.ts (issue 6).
//   node scripts/torture.mjs [--minutes 5] [--workers 6] [--keys 32] [--seed 1] [--secret S --poisoners 1]
//                            [--attacks all | truncate,flip,swap,copy,sparse,fifo,link]
// Needs a built runtime (pnpm --filter smart-cache build). Prints the counts as JSON; exits 1 if a
// wrong value was served, a worker died on its own, or orphaned temp files survived the next writer.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { runCrashTorture } from '../tests/fixtures/reliability-crash/torture.mjs'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    workers: { type: 'string', default: '6' },
    keys: { type: 'string', default: '32' },
    seed: { type: 'string', default: '1' },
    secret: { type: 'string', default: '' },
    poisoners: { type: 'string', default: '0' },
    attacks: { type: 'string', default: 'truncate,flip' },
    keep: { type: 'boolean', default: false },
  },
})
const base = fileURLToPath(new URL('../tests/.tmp', import.meta.url))
mkdirSync(base, { recursive: true })
const workDir = mkdtempSync(join(base, 'torture-'))
const started = Date.now()
console.error(
  `[smart-cache torture] ${values.workers} workers, ${values.keys} keys, ${values.minutes} min, seed ${values.seed}, in ${workDir}`,
)
try {
  const counts = await runCrashTorture({
    workDir,
    workers: Number(values.workers),
    keys: Number(values.keys),
    seed: Number(values.seed),
    secret: values.secret,
    poisoners: Number(values.poisoners),
    attacks:
      values.attacks === 'all'
        ? ['truncate', 'flip', 'swap', 'copy', 'sparse', 'fifo', 'link']
        : /** @type {import('../tests/fixtures/reliability-crash/torture.mjs').CrashTortureOptions['attacks']} */ (
            values.attacks.split(',')
          ),
    durationMs: Number(values.minutes) * 60_000,
    log: line => console.error(`[smart-cache torture] ${line}`),
  })
  console.log(
    JSON.stringify(
      {
        command: `node scripts/torture.mjs --minutes ${values.minutes} --workers ${values.workers} --keys ${values.keys} --seed ${values.seed}${values.secret ? ' --secret *** --poisoners ' + values.poisoners : ''} --attacks ${values.attacks}`,
        seconds: Math.round((Date.now() - started) / 1000),
        ...counts,
      },
      null,
      2,
    ),
  )
  process.exitCode =
    counts.wrongValues === 0 && counts.crashes === 0 && counts.hangs === 0 && counts.decoyIntact && counts.tempFilesAfterNextWriter === 0
      ? 0
      : 1
} finally {
  if (!values.keep) rmSync(workDir, { recursive: true, force: true })
}
