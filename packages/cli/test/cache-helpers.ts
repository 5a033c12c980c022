import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { settled, smartCache } from 'smart-cache'
import type { Driver } from 'unstorage'

/** The built bin (run `pnpm --filter @smart-cache/cli build` first). */
export const BIN = resolve(import.meta.dirname, '../bin/smart-cache.mjs')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs the built CLI in a new process; never throws on a non-zero exit. */
export function cli(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliResult> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    SMART_CACHE_DIR: undefined,
    SMART_CACHE_SECRET: undefined,
    ...options.env,
  }
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k]
  return new Promise(done => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: env as NodeJS.ProcessEnv, timeout: 60_000 },
      (error, stdout, stderr) => {
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr })
      },
    )
  })
}

/** A temporary project: a folder with a package.json, and helpers to write files. */
export interface Project {
  dir: string
  write(rel: string, text: string): string
  remove(): void
}

export function createProject(prefix: string): Project {
  const dir = mkdtempSync(join(tmpdir(), `smart-cache-cli-${prefix}-`))
  const write = (rel: string, text: string) => {
    const file = join(dir, rel)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, text)
    return file
  }
  write('package.json', JSON.stringify({ name: `tmp-${prefix}`, private: true, type: 'module' }))
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A 64-hex fingerprint made of one repeated character. */
export const fp = (c: string) => c.repeat(64)

/**
 * Stores one real entry per argument through the runtime (the way an app would); `at` backdates
 * the entries' creation time (the envelope's createdAt) by faking `Date.now` while writing.
 */
export async function fill(
  storage: Driver,
  id: string,
  fingerprint: string,
  args: number[],
  options: { size?: number; at?: number } = {},
): Promise<void> {
  const meta = { __smartCache: 1 as const, id, fingerprint }
  const fn = smartCache(async (n: number) => 'x'.repeat(options.size ?? 10) + n, { storage, memory: false }, meta)
  const realNow = Date.now
  if (options.at !== undefined) Date.now = () => options.at!
  try {
    for (const n of args) await fn(n)
    await settled() // entries are written after each call returns: on disk before the CLI looks (and under the faked clock)
  } finally {
    Date.now = realNow
  }
}

/** Contract 3 manifest text for `{ id: fingerprint }`. */
export function manifest(functions: Record<string, string>): string {
  const entries = Object.keys(functions)
    .sort()
    .map(id => [id, { fingerprint: functions[id], deps: [] }])
  return JSON.stringify({ version: 1, createdAt: new Date().toISOString(), functions: Object.fromEntries(entries) })
}

/** Sets atime/mtime of every file under `dir` (the fs store reports mtime as last use). */
export function ageFiles(dir: string, time: number, match: (path: string) => boolean = () => true): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name)
    if (entry.isFile() && match(path)) utimesSync(path, time / 1000, time / 1000)
  }
}
