import type { GlobalImport } from '@smart-cache/fingerprint'

/**
 * webpack's and Rspack's `ProvidePlugin`: a free use of a key (`helper`, `window.jQuery`) becomes
 * `require(request)` and then the properties after it (`['m', 'a', 'b']`: `require('m').a.b`).
 * webpack resolves the request from the module that uses the global, as an import written there:
 * the entries leave `from` out, so the engine resolves it from the reading file too (a relative
 * request is relative to that file, as in the bundle). `['m', 'a', 'b']` depends on export `a`
 * as a whole (what `a.b` holds is in it), with the path in the hash.
 */
export function providedGlobals(plugins: readonly unknown[] | undefined): Record<string, GlobalImport[]> {
  const globals: Record<string, GlobalImport[]> = Object.create(null)
  for (const plugin of plugins ?? []) {
    const definitions = provideDefinitions(plugin)
    for (const [key, value] of Object.entries(definitions ?? {})) {
      const request: unknown[] = Array.isArray(value) ? value : [value]
      if (typeof request[0] !== 'string' || !request.every(r => typeof r === 'string')) continue // webpack rejects it
      const [specifier, name = '*', ...members] = request as [string, ...string[]]
      ;(globals[key] ??= []).push({ specifier, name, ...(members.length > 0 ? { members } : {}) })
    }
  }
  return globals
}

/** The definitions of a webpack `ProvidePlugin` (`definitions`) or of Rspack's (a built-in plugin named `ProvidePlugin`, its first argument). */
function provideDefinitions(plugin: unknown): Record<string, unknown> | undefined {
  if (!plugin || typeof plugin !== 'object') return undefined
  const p = plugin as { constructor?: { name?: string }; name?: unknown; definitions?: unknown; _args?: unknown[] }
  const definitions =
    p.constructor?.name === 'ProvidePlugin' && p.definitions ? p.definitions : p.name === 'ProvidePlugin' ? p._args?.[0] : undefined
  return definitions && typeof definitions === 'object' ? (definitions as Record<string, unknown>) : undefined
}
