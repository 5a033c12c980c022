import { execFileSync } from 'node:child_process'
import type { TempProject } from './temp-project.ts'

/**
 * Runs a built program in Node with the project's own store (`SMART_CACHE_DIR` = `<project>/<values>`)
 * and returns what its last line printed, parsed as JSON: how the e2e tests read a build's results.
 * A failing run throws with its stderr.
 */
export function runBuilt<T = any>(project: TempProject, file: string, options: { env?: Record<string, string>; values?: string } = {}): T {
  const out = execFileSync(process.execPath, [file], {
    cwd: project.dir,
    env: { ...process.env, SMART_CACHE_DIR: project.path(options.values ?? '.values'), ...options.env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return JSON.parse(out.trim().split('\n').pop()!) as T
}
