import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { CliError } from './errors.ts'

/**
 * `--root` resolved against the current folder, or the nearest folder upward with a package.json;
 * with `required` false, the current folder when there is none (the store commands: the runtime
 * then uses the user cache folder).
 */
export function findRoot(option: string | undefined, cwd: string = process.cwd(), required = true): string {
  if (option !== undefined) {
    const root = resolve(cwd, String(option))
    if (!existsSync(root)) throw new CliError(`--root ${option}: no such folder (${root}).`)
    return root
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir && !required) return resolve(cwd)
    if (dirname(dir) === dir) throw new CliError(`no package.json found in ${cwd} or above. Pass --root DIR.`)
  }
}
