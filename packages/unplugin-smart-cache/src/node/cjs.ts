import type { SyncTransformer } from './sync-transformer.js'
import Module from 'node:module'
import { mayHaveMarks } from '../core/marks.js'
import { isProjectFile } from './scope.js'

type Compile = (this: unknown, content: string, filename: string, ...rest: unknown[]) => unknown

/**
 * Rewrites CommonJS modules of the project that hold marks as `require()` compiles them (whoever
 * loads them: `require`, `import` of CommonJS, the entry point; after any type stripper).
 */
export function hookCommonJs(root: string, transformer: SyncTransformer): void {
  const proto = (Module as unknown as { prototype: { _compile: Compile } }).prototype
  const original = proto._compile
  proto._compile = function (content, filename, ...rest) {
    // Node 22+ passes the format: ES modules (require(esm)) went through the ES module hooks.
    const format = rest[0]
    const esm = typeof format === 'string' && format.startsWith('module')
    if (!esm && typeof content === 'string' && mayHaveMarks(content) && isProjectFile(filename, root))
      content = transformer.rewrite(content, filename, 'cjs') ?? content
    return original.call(this, content, filename, ...rest)
  }
}
