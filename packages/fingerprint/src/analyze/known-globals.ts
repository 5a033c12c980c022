/**
 * The global names JavaScript platforms define themselves (from the `globals` package: the
 * language's built-ins, browsers, workers, Node, Deno, Bun, CommonJS, and the runtimes webpack and
 * Rspack add). Any other global name a unit reads is defined by something else: a setup script,
 * or a bundler that turns it into an import (an auto-import plugin, esbuild's `inject`).
 */
import globals from 'globals'

const ENVIRONMENTS = [
  'builtin',
  'browser',
  'worker',
  'serviceworker',
  'sharedWorker',
  'audioWorklet',
  'paintWorklet',
  'node',
  'nodeBuiltin',
  'commonjs',
  'shared-node-browser',
  'denoBuiltin',
  'bunBuiltin',
  'webpack',
  'rspack',
] as const

/** What the language itself binds in every function and the package does not list. */
const LANGUAGE = ['arguments']

const BUILTIN = new Set<string>([
  ...LANGUAGE,
  ...ENVIRONMENTS.flatMap(env => Object.keys((globals as Record<string, Record<string, unknown>>)[env] ?? {})),
])

/** Whether a JavaScript platform defines this global name itself. */
export function isBuiltinGlobal(name: string): boolean {
  return BUILTIN.has(name)
}
