import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, vi } from 'vitest'
import { configure } from '../src/core/config.ts'
import { resetWarnings } from '../src/core/warn.ts'

/** A temp folder, emptied after each test and removed after the file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smart-cache-test-'))
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Resets global state and silences/collects warnings for each test. */
export function isolate(): { warnings: () => string[] } {
  let spy: ReturnType<typeof vi.spyOn> | undefined
  afterEach(() => {
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
