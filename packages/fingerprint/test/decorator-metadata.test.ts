import { describe, expect, it } from 'vitest'
import { fingerprintOf } from './helpers.ts'

/**
 * With `emitDecoratorMetadata`, TypeScript turns the types of decorated parts into values
 * (`design:paramtypes`, `design:type`, `design:returntype`): a dependency-injection container reads
 * them. Without it, types stay types. Proven with tsc's own rules: the types counted are those tsc
 * serializes for decorated classes, methods, parameters and properties.
 */
const tsconfig = (on: boolean): string => JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: on } })

const app = {
  'di.ts': `export const registry = new Map<string, unknown>()\nexport function Injectable(): ClassDecorator { return (t: any) => { registry.set(t.name, (Reflect as any).getMetadata?.('design:paramtypes', t)) } }\nexport function Log(): MethodDecorator { return () => {} }`,
  'app.ts': `import { Injectable, Log, registry } from './di'\nimport { Db } from './db'\nimport { Cache } from './cache'\n@Injectable()\nexport class Service {\n  constructor(private db: Db) {}\n  @Log() run(c: Cache, n: number): string { return String(n) }\n}\nexport function deps() { return registry.get('Service') }`,
  'db.ts': `export class Db { q() { return 1 } }`,
  'cache.ts': `export class Cache { get() { return 1 } }`,
}
const target = 'app.ts#deps'

describe('emitDecoratorMetadata', () => {
  it("a decorated class's constructor parameter types count when tsconfig emits metadata", async () => {
    const on = { ...app, 'tsconfig.json': tsconfig(true) }
    expect(await fingerprintOf({ ...on, 'db.ts': `export class Db { q() { return 2 } }` }, target)).not.toBe(
      await fingerprintOf(on, target),
    )
  })

  it("a decorated method's parameter types count, even imported with import type", async () => {
    const on = { ...app, 'tsconfig.json': tsconfig(true) }
    expect(await fingerprintOf({ ...on, 'cache.ts': `export class Cache { get() { return 2 } }` }, target)).not.toBe(
      await fingerprintOf(on, target),
    )
    // A primitive type is its constructor: number → string changes design:paramtypes.
    const other = { ...on, 'app.ts': on['app.ts'].replace('n: number', 'n: string') }
    expect(await fingerprintOf(other, target)).not.toBe(await fingerprintOf(on, target))
  })

  it('without emitDecoratorMetadata, types stay types', async () => {
    const off = { ...app, 'tsconfig.json': tsconfig(false) }
    expect(await fingerprintOf({ ...off, 'db.ts': `export class Db { q() { return 2 } }` }, target)).toBe(await fingerprintOf(off, target))
    const other = { ...off, 'app.ts': off['app.ts'].replace('n: number', 'n: string') }
    expect(await fingerprintOf(other, target)).toBe(await fingerprintOf(off, target))
  })
})
