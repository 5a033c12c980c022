/** Contract 2: the branded object the plugin appends to `smartCache(...)` calls. */
export interface CacheMeta {
  __smartCache: 1
  /** Stable id: `<root-relative file>#<binding>`. */
  id: string
  /**
   * 64 hex chars (BLAKE3-256) covering the function and everything it calls; `null` when the
   * build could not fingerprint it (the plugin printed why): the function then runs uncached.
   */
  fingerprint: string | null
  /**
   * Variables of enclosing functions the function reads (parameters, locals, `this`, `arguments`):
   * data, not code, so their values at each call are hashed into the key like arguments.
   */
  captures?: Captures
  /** The source declares the function `async` (a compiler may have turned it into a plain function returning a Promise). */
  async?: boolean
  /** The name the function has in the source when the rewrite takes it away (`const f = async () => {…}` with the directive). */
  name?: string
}

/** The variables a cached function reads from enclosing functions (from the plugin). */
export interface Captures {
  /** Variable names, in order of first read. */
  names: string[]
  /** Where each is first read: `<root-relative file>:<line>:<column>`. */
  at: string[]
  /** Their current values, in the order of `names`. */
  values: () => unknown[]
}

/** True for the plugin's branded meta object. */
export function isCacheMeta(value: unknown): value is CacheMeta {
  return typeof value === 'object' && value !== null && (value as { __smartCache?: unknown }).__smartCache === 1
}

/** Splits call arguments into the meta object (any position) and the rest. */
export function extractMeta(args: readonly unknown[]): { meta: CacheMeta | undefined; rest: unknown[] } {
  let meta: CacheMeta | undefined
  const rest: unknown[] = []
  for (const arg of args) {
    if (!meta && isCacheMeta(arg)) meta = validateMeta(arg)
    else rest.push(arg)
  }
  return { meta, rest }
}

function validateMeta(meta: CacheMeta): CacheMeta {
  if (
    typeof meta.id !== 'string' ||
    (meta.fingerprint !== null && !/^[0-9a-f]{64}$/.test(String(meta.fingerprint))) ||
    !validCaptures(meta.captures) ||
    !optional(meta.async, 'boolean') ||
    !optional(meta.name, 'string')
  ) {
    throw new TypeError(
      `[smart-cache] invalid CacheMeta ${JSON.stringify(meta)}: expected { __smartCache: 1, id: string, fingerprint: <64 hex> | null, captures?: { names, at, values } }. ` +
        'Fix: rebuild with a matching unplugin-smart-cache version.',
    )
  }
  return meta
}

function optional(value: unknown, type: 'boolean' | 'string'): boolean {
  return value === undefined || typeof value === type
}

function validCaptures(c: Captures | undefined): boolean {
  const texts = (x: unknown) => Array.isArray(x) && x.every(s => typeof s === 'string')
  return (
    c === undefined ||
    (typeof c === 'object' &&
      c !== null &&
      texts(c.names) &&
      texts(c.at) &&
      c.names.length === c.at.length &&
      typeof c.values === 'function')
  )
}
