/**
 * The errors of argument keying: {@link KeyError} for users, naming the value that cannot be keyed
 * by its path; {@link PathError} inside the encoder, which gains a segment at each level it passes.
 */

/**
 * An argument, or a captured variable, that cannot be keyed; `path` names it (`args[0].user`,
 * `session.user`), `at` is where a captured variable is read (`src/a.ts:3:12`).
 */
export class KeyError extends TypeError {
  constructor(
    public readonly path: string,
    public readonly reason: string,
    where: string,
    public readonly at?: string,
  ) {
    super(
      at === undefined
        ? `[smart-cache] cannot key argument ${path} of ${where}: ${reason}. ` +
            'Fix: pass plain data, give the class a [Symbol.for("smart-cache.key")]() method returning plain data, ' +
            'or set options.key.'
        : `[smart-cache] cannot key captured variable ${path} (read at ${at}) of ${where}: ${reason}. ` +
            'The values of the variables a cached function reads from enclosing functions are part of its key, like arguments. ' +
            'Fix: capture plain data, give the class a [Symbol.for("smart-cache.key")]() method returning plain data, ' +
            'or pass the value as an argument (with options.key to choose what is hashed).',
    )
    this.name = 'KeyError'
  }
}

export class PathError extends Error {
  constructor(
    public segments: string[],
    public reason: string,
    cause?: unknown,
  ) {
    super(reason, cause === undefined ? undefined : { cause })
  }
}

/** An error thrown while reading a value, as shown in a {@link KeyError}'s reason. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}

/** Segments shown at each end of a long path (a deep argument's), the middle elided. */
const PATH_ENDS = 12

/** `args[0].user["a b"]`: the path of a failing value from its root, long paths shortened in the middle. */
export function formatPath(root: string, segments: string[]): string {
  const shown = segments.map(s => (/^\.[A-Za-z_$][\w$]*$/.test(s) || s.startsWith('[') ? s : `[${JSON.stringify(s.slice(1))}]`))
  if (shown.length <= 2 * PATH_ENDS) return root + shown.join('')
  return `${root}${shown.slice(0, PATH_ENDS).join('')}…(${shown.length - 2 * PATH_ENDS} more levels)…${shown.slice(-PATH_ENDS).join('')}`
}
