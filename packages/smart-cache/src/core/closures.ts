import { warnOnce } from './warn.ts'

/** The last function wrapped under each id without the plugin's meta, and its source. */
const lastWrapped = new Map<string, { source: string; fn: WeakRef<Function> }>()

/**
 * Without the plugin the runtime cannot see the variables a function reads from enclosing
 * functions: closures made by one function have the same source, hence the same
 * fallback fingerprint and id, and would share entries. Warns once per id when a second, different
 * function object with the same source is wrapped under the same id.
 */
export function noteUnkeyedClosure(id: string, fn: Function): void {
  const source = Function.prototype.toString.call(fn)
  const last = lastWrapped.get(id)
  const other = last?.fn.deref()
  lastWrapped.set(id, { source, fn: new WeakRef(fn) })
  if (other === undefined || other === fn || last!.source !== source) return
  warnOnce(
    `closures:${id}`,
    `[smart-cache] ${id}: two different functions with the same source are cached under this id (closures made by one function, such as smartCache(…) inside a function). ` +
      'Without unplugin-smart-cache the runtime cannot see the variables they read from the enclosing function, so they share entries and one can return a result the other computed. ' +
      'Fix: add unplugin-smart-cache (it makes those variables part of the key), pass the values as arguments, or give each a distinct options.name.',
  )
}
