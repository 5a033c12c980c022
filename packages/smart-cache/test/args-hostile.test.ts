// Issue 12, item 7: arguments that used to break hashing with a bare engine error, or were keyed
// wrongly. Each is a `[smart-cache]` KeyError naming the argument path, or a correct key.
import { beforeAll, describe, expect, it } from 'vitest'
import { cacheKey, encoderBufferBytes, MAX_ARG_DEPTH } from '../src/core/arg-encoder.ts'
import { hashArgs, keyArgs } from '../src/core/arg-keys.ts'
import { KeyError } from '../src/core/key-error.ts'
import { loadHashers } from '../src/core/blake3.ts'

beforeAll(() => loadHashers())
const h = (...args: unknown[]) => keyArgs('ns', args, 'test#fn').hash()

function nested(depth: number): unknown {
  let v: unknown = 0
  for (let i = 0; i < depth; i++) v = [v]
  return v
}

function keyError(f: () => unknown): KeyError {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(KeyError)
    return error as KeyError
  }
  throw new Error('expected a KeyError')
}

describe('deep arguments', () => {
  it(`hashes nesting up to ${MAX_ARG_DEPTH} levels and refuses deeper with the path, never a RangeError`, () => {
    expect(h(nested(MAX_ARG_DEPTH - 1))).toMatch(/^[0-9a-f]{64}$/)
    for (const depth of [MAX_ARG_DEPTH + 1, 3000, 100_000]) {
      const error = keyError(() => h(nested(depth)))
      expect(error.message).toMatch(/^\[smart-cache\] cannot key argument args\[0\]\[0\]\[0\]/)
      expect(error.message).toContain(`nested more than ${MAX_ARG_DEPTH} levels`)
      expect(error.message.length).toBeLessThan(1000)
    }
    let list: any = null
    for (let i = 0; i < 5000; i++) list = { next: list }
    expect(keyError(() => hashArgs([list])).message).toMatch(/args\[0\]\.next\.next/)
  })
})

describe('re-entrant hashing', () => {
  it('a [cacheKey]() that calls hashArgs while a large argument streams does not break the outer hash', () => {
    const big = new Uint8Array(200_000).fill(7)
    class Inner {
      [cacheKey]() {
        return hashArgs([new Uint8Array(300_000).fill(1), 'inner'])
      }
    }
    const reference = hashArgs([big, { k: hashArgs([new Uint8Array(300_000).fill(1), 'inner']) }])
    const plain = hashArgs([big, { k: 'x' }])
    const withInner = hashArgs([big, new Inner()])
    expect(withInner).toMatch(/^[0-9a-f]{64}$/)
    expect(withInner).toBe(hashArgs([big, new Inner()]))
    expect(withInner).not.toBe(plain)
    expect(reference).toBe(hashArgs([big, { k: hashArgs([new Uint8Array(300_000).fill(1), 'inner']) }]))
    // keyArgs (a cached function's key) and a nested keyArgs(...).hash() alike
    class Nested {
      [cacheKey]() {
        return keyArgs('n', [new Uint8Array(100_000)], 'inner').hash()
      }
    }
    expect(keyArgs('ns', [big, new Nested()], 'outer').hash()).toBe(keyArgs('ns', [big, new Nested()], 'outer').hash())
  })
})

describe('Buffer, subclasses and array properties', () => {
  it('hashes a Buffer as its bytes, apart from a Uint8Array holding the same bytes', () => {
    const a = h(Buffer.from('hello'))
    expect(a).toBe(h(Buffer.from('hello')))
    expect(a).not.toBe(h(Buffer.from('hellO')))
    expect(a).not.toBe(h(new Uint8Array(Buffer.from('hello'))))
    expect(h(Buffer.alloc(100_000, 1))).toBe(h(Buffer.alloc(100_000, 1)))
  })

  it('refuses a subclass of Array, Map, Set, Date or a typed array without [cacheKey](), naming the class', () => {
    class List extends Array<number> {}
    class Registry extends Map<string, number> {}
    class Day extends Date {}
    class Bag extends Set<number> {}
    class Bytes extends Uint8Array {}
    for (const [value, base] of [
      [List.from([1, 2]), 'Array'],
      [new Registry(), 'Map'],
      [new Day(0), 'Date'],
      [new Bag(), 'Set'],
      [new Bytes(2), 'Uint8Array'],
    ] as const) {
      const error = keyError(() => h({ v: value }))
      expect(error.message).toContain('args[0].v')
      expect(error.message).toContain(`a subclass of ${base} (${value.constructor.name})`)
    }
  })

  it('keys a subclass through its [cacheKey]()', () => {
    class Version extends Array<number> {
      [cacheKey]() {
        return this.join('.')
      }
    }
    expect(h(Version.from([1, 2]))).toBe(h(Version.from([1, 2])))
    expect(h(Version.from([1, 2]))).not.toBe(h([1, 2]))
  })

  it("includes an array's own named properties, so they change the key; a plain array keys as before", () => {
    const tagged = Object.assign([1, 2], { unit: 'cm' })
    expect(h(tagged)).not.toBe(h([1, 2]))
    expect(h(tagged)).not.toBe(h(Object.assign([1, 2], { unit: 'mm' })))
    expect(h(tagged)).toBe(h(Object.assign([1, 2], { unit: 'cm' })))
    const match = /b(?<x>c)/.exec('abc')!
    expect(h(match)).not.toBe(h(/b(?<x>c)/.exec('xbc')!)) // index and input differ
    const broken = Object.assign([1], { f: () => 1 })
    expect(keyError(() => h(broken)).message).toContain('args[0].f')
  })
})

describe('errors while reading an argument', () => {
  it('a throwing getter, a revoked Proxy, Object.create(Date.prototype), a throwing [cacheKey]() name the path', () => {
    const getter = {
      a: {
        get b() {
          throw new Error('boom')
        },
      },
    }
    expect(keyError(() => h(getter)).message).toMatch(/^\[smart-cache\] cannot key argument args\[0\]\.a\.b of test#fn: .*boom/)
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    expect(keyError(() => h(1, { p: proxy })).message).toMatch(/args\[1\]\.p of test#fn: .*revoked/)
    expect(keyError(() => h([Object.create(Date.prototype)])).message).toMatch(/args\[0\]\[0\] of test#fn: .*not a Date/)
    class Bad {
      [cacheKey]() {
        throw new Error('no key today')
      }
    }
    expect(keyError(() => h({ x: new Bad() })).message).toMatch(
      /args\[0\]\.x\["\[cacheKey\]\(\)"\] of test#fn: it threw Error: no key today/,
    )
  })
})

describe('the shared encoder buffer', () => {
  it('shrinks back after a huge argument', () => {
    hashArgs(['x'.repeat(50 * 1024 * 1024)])
    expect(encoderBufferBytes()).toBeLessThanOrEqual(64 * 1024)
    hashArgs([{ s: 'é'.repeat(1024 * 1024) }])
    expect(encoderBufferBytes()).toBeLessThanOrEqual(64 * 1024)
  })
})
