/**
 * What each bundler replaces at build time (`define`), as the engine's `defines` option: a
 * cached function reading `__API_URL__`, `process.env.X` or `import.meta.env.X` depends on the
 * value the build puts there, not on the name (two builds with other values must not share results).
 */

/** What the plugin reads of a resolved Vite config. */
export interface ViteDefinesConfig {
  define?: Record<string, unknown>
  /** `import.meta.env` of the build: mode, `BASE_URL`, the `VITE_*` variables of `.env` files. */
  env?: Record<string, unknown>
}

/** Vite: `define`, and `import.meta.env.*` with `SSR` as each environment has it. */
export function viteDefines(config: ViteDefinesConfig, environment: string): Record<string, string> {
  const defines: Record<string, string> = {}
  for (const [key, value] of Object.entries(config.define ?? {})) defines[key] = code(value)
  for (const [key, value] of Object.entries(config.env ?? {})) defines[`import.meta.env.${key}`] = JSON.stringify(value)
  defines['import.meta.env.SSR'] = JSON.stringify(environment !== 'client')
  return defines
}

/** What the plugin reads of webpack's and Rspack's options. */
export interface WebpackDefinesConfig {
  mode?: string
  plugins?: unknown[]
  optimization?: { nodeEnv?: string | false }
}

/** webpack and Rspack: every DefinePlugin's `definitions`, and `process.env.NODE_ENV` from `optimization.nodeEnv` (the mode). */
export function webpackDefines(options: WebpackDefinesConfig): Record<string, string> {
  const defines: Record<string, string> = {}
  const nodeEnv = options.optimization?.nodeEnv ?? options.mode ?? 'production'
  if (nodeEnv !== false) defines['process.env.NODE_ENV'] = JSON.stringify(nodeEnv)
  for (const plugin of options.plugins ?? []) {
    const definitions = (plugin as { definitions?: unknown } | null)?.definitions
    if (plugin?.constructor?.name === 'DefinePlugin' && definitions && typeof definitions === 'object') flatten(definitions, '', defines)
  }
  return defines
}

/** DefinePlugin's nested objects (`{ 'process.env': { X: '1' } }`) as dotted keys. */
function flatten(definitions: object, prefix: string, into: Record<string, string>): void {
  for (const [key, value] of Object.entries(definitions)) {
    const name = prefix + key
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype)
      flatten(value, `${name}.`, into)
    else into[name] = code(value)
  }
}

/** The replacement as code: a string is code already; other values as JSON, else their text (a function, a runtime value). */
function code(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
