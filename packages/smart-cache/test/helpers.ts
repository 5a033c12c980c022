import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, vi } from 'vitest'
import { settled } from '../src/core/cache-core.ts'
import { configure } from '../src/core/config.ts'
import { resetWarnings } from '../src/core/warn.ts'

/**
 * A temp folder, emptied after each test and removed after the file. Writes still in flight (a cached
 * call returns before its entry is written) land first, so none lands in the next test's folder.
 */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smart-cache-test-'))
  afterEach(async () => {
    await settled()
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir)
  })
  afterAll(async () => {
    await settled()
    rmSync(dir, { recursive: true, force: true })
  })
  return dir
}

/**
 * Resets global state and silences/collects warnings for each test. Pending writes land (and warn)
 * within the test that started them, never in the next one.
 */
export function isolate(): { warnings: () => string[] } {
  let spy: ReturnType<typeof vi.spyOn> | undefined
  afterEach(async () => {
    await settled()
    configure({})
    resetWarnings()
    spy?.mockRestore()
    spy = undefined
  })
  return {
    warnings: () => {
      spy ??= vi.spyOn(console, 'warn').mockImplementation(() => {})
      return spy.mock.calls.map((c: unknown[]) => String(c[0]))
    },
  }
}

export const FP = (c: string) => c.repeat(64)
export const meta = (id: string, fp: string) => ({ __smartCache: 1 as const, id, fingerprint: fp })
