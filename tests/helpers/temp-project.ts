// Every temporary folder of the end-to-end tests: projects inside the workspace (`createTempProject`)
// and bare folders outside it (`createTempDir`).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'

/** Root of the e2e package (`tests/`). */
export const testsRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** A temporary project folder under `tests/.tmp` (inside the workspace, so `node_modules` resolution of workspace packages works). */
export interface TempProject {
  dir: string
  /** Writes `files` (path → content) relative to the project, creating folders. */
  write(files: Record<string, string>): void
  /** Absolute path of a project file. */
  path(...parts: string[]): string
  remove(): void
}

/**
 * Creates `tests/.tmp/<prefix>-XXXX` with a `package.json` (so it is its own project root), optionally
 * copying a fixture folder from `tests/fixtures/<fixture>`.
 */
export function createTempProject(prefix: string, options: { fixture?: string; files?: Record<string, string> } = {}): TempProject {
  const base = join(testsRoot, '.tmp')
  mkdirSync(base, { recursive: true })
  const dir = mkdtempSync(join(base, `${prefix}-`))
  if (options.fixture) cpSync(join(testsRoot, 'fixtures', options.fixture), dir, { recursive: true })
  const project: TempProject = {
    dir,
    write(files) {
      for (const [rel, content] of Object.entries(files)) {
        const file = join(dir, rel)
        mkdirSync(dirname(file), { recursive: true })
        writeFileSync(file, content)
      }
    },
    path: (...parts) => join(dir, ...parts),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
  project.write({ 'package.json': JSON.stringify({ name: `tmp-${prefix}`, private: true, type: 'module' }), ...options.files })
  return project
}

/** The folders made by `createTempDir` in this test file. */
const tempDirs: string[] = []
// Each test file has its own instance of this module: its folders go when the file is done.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/**
 * Creates an empty folder `<OS temp dir>/<prefix>-XXXX`, outside the workspace: nothing in it
 * resolves the workspace's packages (an app installed from tarballs, a cache folder, a case's
 * copy). Removed after the test file.
 */
export function createTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`))
  tempDirs.push(dir)
  return dir
}
