import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createFingerprinter, type Fingerprinter } from '@smart-cache/fingerprint'
import { afterAll } from 'vitest'

/** Object.prototype's own names (the legacy accessors included) and other names a plain object or function has. */
export const PROTO_NAMES = [
  ...new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'length', 'name', 'caller', 'arguments']),
].sort()

const created: string[] = []
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh empty folder under the OS temp dir, removed after the test file. */
export function tempDir(prefix = 'fp-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  created.push(dir)
  return dir
}

/** A temporary project made of `files` (path → content), removed after the test file. */
export function project(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir()
  writeFiles(dir, files)
  return dir
}

/** Writes `files` (path → content) under `dir`. */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(dir, rel)
    mkdirSync(dirname(abs), { recursive: true })
    writeFileSync(abs, content)
  }
}

/**
 * Empties `dir` and copies `from` into it (the conformance README's "same path" rule); relative
 * symlinks (a pnpm layout, workspace links) stay relative, so they point inside the copy.
 */
export function replaceContent(dir: string, from: string): void {
  for (const e of readdirSync(dir)) rmSync(join(dir, e), { recursive: true, force: true })
  cpSync(from, dir, { recursive: true, verbatimSymlinks: true })
}

/** Runs `fn` with a memory-only engine on `root`, closing it afterwards. */
export async function withEngine<T>(root: string, fn: (e: Fingerprinter) => Promise<T>, cacheDir: string | false = false): Promise<T> {
  const engine = createFingerprinter({ root, cacheDir })
  try {
    return await fn(engine)
  } finally {
    await engine.close()
  }
}

/** Fingerprint of `target` (`file#name`) in a fresh project made of `files`. */
export async function fingerprintOf(files: Record<string, string>, target = 'main.ts#f'): Promise<string> {
  const dir = tempDir()
  try {
    writeFiles(dir, files)
    const [file, name] = target.split('#') as [string, string]
    return await withEngine(dir, async e => (await e.fingerprint(file, name)).hash)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
