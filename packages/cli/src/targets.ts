import { resolve } from 'node:path'
import { CliError } from './errors.ts'

/** A `FILE` or `FILE#EXPORT` argument: the absolute file and the export (undefined = all exports). */
export interface Target {
  file: string
  name: string | undefined
}

/** Parses a target; FILE is relative to the current folder. */
export function parseTarget(arg: string, cwd: string = process.cwd()): Target {
  const text = String(arg)
  const hash = text.lastIndexOf('#')
  const file = hash === -1 ? text : text.slice(0, hash)
  const name = hash === -1 ? undefined : text.slice(hash + 1)
  if (file === '') throw new CliError(`target '${text}' has no file. Use FILE or FILE#EXPORT, e.g. src/math.ts#fib.`)
  if (name === '') throw new CliError(`target '${text}' has an empty export name. Use FILE#EXPORT (\`default\` for a default export).`)
  return { file: resolve(cwd, file), name }
}
