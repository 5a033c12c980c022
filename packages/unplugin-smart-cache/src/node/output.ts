import { Buffer } from 'node:buffer'
import { RUNTIME } from '../core/ids.js'

/** The statement `prependImport` of the transform writes (`import { smartCache as X } from "smart-cache";`). */
const IMPORT_RE = new RegExp(`import \\{ smartCache as ([\\w$]+) \\} from "${RUNTIME}";`)

/**
 * CommonJS modules: the import the rewrite prepends for directives takes the runtime that
 * `smart-cache/register` loaded (`Symbol.for('smart-cache.runtime')`: `require()` of the ES runtime
 * fails in rewritten modules on Node 20 and 22), else `require`s it. It stays on line 1.
 */
export function cjsRuntimeImport(code: string): string {
  return code.replace(
    IMPORT_RE,
    (_, name: string) =>
      `const { smartCache: ${name} } = globalThis[Symbol.for('smart-cache.runtime')] ?? require(${JSON.stringify(RUNTIME)});`,
  )
}

/** Appends the rewrite's source map inline, so `--enable-source-maps` and debuggers see the original lines. */
export function inlineSourceMap(code: string, map: object | string): string {
  const json = typeof map === 'string' ? map : JSON.stringify(map)
  if (!json) return code
  return `${code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(json).toString('base64')}\n`
}
