// Issue 11 (the ramda crash): names from source code that are also Object.prototype members
// (`toString`, `constructor`, `__proto__`…) as identifiers, properties, export names and file
// names must be looked up as names, never found on a plain object's prototype.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Fingerprinter } from '@smart-cache/fingerprint'
import { describe, expect, it } from 'vitest'
import { project, PROTO_NAMES, withEngine } from './helpers.ts'

const HEX = /^[0-9a-f]{64}$/

/** One module per name, each named after it, whose code uses the names everywhere it can. */
const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'constructor', version: '1.0.0', type: 'module' }),
  'toString.ts': `import { valueOf } from './valueOf'
import * as hasOwnProperty from './hasOwnProperty'
export function toString(constructor: { toString(): string }, __proto__ = valueOf(1)) {
  const isPrototypeOf = constructor.toString()
  const propertyIsEnumerable = { toString: isPrototypeOf, ['__proto__']: __proto__, valueOf }
  return hasOwnProperty.hasOwnProperty(propertyIsEnumerable, 'toString') ? isPrototypeOf : String(__proto__)
}
export { toString as toLocaleString, valueOf as __proto__ }
`,
  'valueOf.ts': `export function valueOf(toString: number) {
  let hasOwnProperty = toString
  hasOwnProperty += 1
  return hasOwnProperty
}
export const __defineGetter__ = (constructor: number) => valueOf(constructor) * 2
`,
  'hasOwnProperty/index.ts': `export function hasOwnProperty(o: object, k: string) {
  return Object.prototype.hasOwnProperty.call(o, k)
}
export default function constructor() { return 'constructor' }
`,
  'constructor.ts': `import constructor, { hasOwnProperty } from './hasOwnProperty'
import { toString as isPrototypeOf, __proto__ } from './toString'
export class valueOf {
  constructor(public toString = 1) {}
  hasOwnProperty() { return hasOwnProperty(this, 'toString') }
  __lookupGetter__() { return isPrototypeOf({ toString: () => constructor() }) }
  static propertyIsEnumerable = __proto__
}
export const __lookupSetter__ = { constructor, __proto__: null, toString() { return 'x' } }
export * from './__proto__'
`,
  '__proto__.ts': `export const propertyIsEnumerable = 1
export function __defineSetter__() { return import('./valueOf').then(m => m.valueOf(propertyIsEnumerable)) }
`,
  'isPrototypeOf.js': `exports.toString = function toString() { return 'cjs' }
module.exports.valueOf = function valueOf() { return exports.toString() }
const hasOwnProperty = require('./__proto__')
exports.constructor = () => hasOwnProperty
`,
  'main.ts': `import { valueOf } from './constructor'
import * as toLocaleString from './toString'
export const prototype = () => new valueOf().__lookupGetter__() + toLocaleString.toLocaleString({ toString: () => 'y' })
`,
}

/** Every export of the project (isPrototypeOf.js is CommonJS: `exports.x =` and `module.exports.x =`). */
const EXPORTS = [
  '__proto__.ts#__defineSetter__',
  '__proto__.ts#propertyIsEnumerable',
  'constructor.ts#__defineSetter__',
  'constructor.ts#__lookupSetter__',
  'constructor.ts#propertyIsEnumerable',
  'constructor.ts#valueOf',
  'hasOwnProperty/index.ts#default',
  'hasOwnProperty/index.ts#hasOwnProperty',
  'isPrototypeOf.js#constructor',
  'isPrototypeOf.js#toString',
  'isPrototypeOf.js#valueOf',
  'main.ts#prototype',
  'toString.ts#__proto__',
  'toString.ts#toLocaleString',
  'toString.ts#toString',
  'valueOf.ts#__defineGetter__',
  'valueOf.ts#valueOf',
].sort()

describe('Object.prototype names as identifiers, properties, exports and file names', () => {
  it('the project uses every Object.prototype name', () => {
    const all = Object.values(files).join('\n') + Object.keys(files).join('\n')
    for (const name of Object.getOwnPropertyNames(Object.prototype).filter(
      n => !n.startsWith('__') || n === '__proto__' || n.startsWith('__define') || n.startsWith('__lookup'),
    ))
      expect(all, name).toContain(name)
  })

  it('fingerprints every export without an internal error, the same in a second engine', async () => {
    const dir = project(files)
    const first = await withEngine(dir, e => fingerprintAll(e))
    for (const [id, hash] of Object.entries(first)) expect(hash, id).toMatch(HEX)
    expect(await withEngine(dir, e => fingerprintAll(e))).toEqual(first)
  })

  it('fingerprintFile lists every export, with the same hashes as fingerprint()', async () => {
    const dir = project(files)
    await withEngine(dir, async e => {
      const one = await fingerprintAll(e)
      const listed: Record<string, string> = {}
      for (const file of new Set(EXPORTS.map(id => id.split('#')[0]!))) {
        const exports = await e.fingerprintFile(file)
        for (const name of Object.keys(exports)) listed[`${file}#${name}`] = exports[name]!.hash
      }
      expect(Object.keys(listed).sort()).toEqual(EXPORTS)
      expect(listed).toEqual(one)
    })
  })

  it('a missing export with an Object.prototype name is a clear error, not an inherited member', async () => {
    const dir = project(files)
    await withEngine(dir, async e => {
      // toString.ts's module-level bindings: its exports and its imports.
      const bindings = ['toString', 'toLocaleString', '__proto__', 'valueOf', 'hasOwnProperty']
      for (const name of PROTO_NAMES.filter(n => !bindings.includes(n)))
        await expect(e.fingerprint('toString.ts', name), name).rejects.toThrow(/^\[smart-cache\] (?!internal error)/)
    })
  })

  it('an edit behind an Object.prototype name reaches its importers', async () => {
    const dir = project(files)
    await withEngine(dir, async e => {
      const before = (await e.fingerprint('main.ts', 'prototype')).hash
      const file = join(dir, 'hasOwnProperty/index.ts')
      writeFileSync(file, readFileSync(file, 'utf8').replace("return 'constructor'", "return 'Constructor'"))
      expect((await e.fingerprint('main.ts', 'prototype')).hash).not.toBe(before)
    })
  })
})

/** `{ 'file#export': hash }` for every export of the project, one fingerprint() call each. */
async function fingerprintAll(e: Fingerprinter): Promise<Record<string, string>> {
  const out: Record<string, string> = Object.create(null)
  for (const id of EXPORTS) {
    const i = id.lastIndexOf('#')
    out[id] = (await e.fingerprint(id.slice(0, i), id.slice(i + 1))).hash
  }
  return { ...out }
}
