import type { GlobalImport } from '@smart-cache/fingerprint'

/**
 * Rolldown's `transform.inject` (Oxc's, the API of `@rollup/plugin-inject`): a free use of a key
 * (`$`, `Object.assign`) gets an import inserted in the module that uses it: `'m'` is the default
 * export of `m`, `['m', 'x']` its export `x`, `['m', '*']` the namespace. The specifier is written
 * into that module, so it resolves from there: the entries leave `from` out, as the engine then
 * resolves it from the reading file.
 */
export function injectOptionGlobals(inject: Readonly<Record<string, unknown>> | undefined): Record<string, GlobalImport> {
  const globals: Record<string, GlobalImport> = Object.create(null)
  for (const [key, value] of Object.entries(inject ?? {})) {
    if (typeof value === 'string') globals[key] = { specifier: value, name: 'default' }
    else if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string')
      globals[key] = { specifier: value[0], name: value[1] }
  }
  return globals
}
