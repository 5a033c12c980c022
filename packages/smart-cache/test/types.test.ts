import { describe, expectTypeOf, it } from 'vitest'
import { smartCache as browserSmartCache } from '../src/browser.ts'
import { smartCache } from '../src/node.ts'

function square(n: number): number {
  return n * n
}
async function fetchSquare(n: number): Promise<number> {
  return n * n
}

describe('types of smartCache (issue 13)', () => {
  it("Node: the cached function has the function's own signature (a synchronous function stays synchronous)", () => {
    expectTypeOf(smartCache(square)).parameters.toEqualTypeOf<[n: number]>()
    expectTypeOf(smartCache(square)).returns.toEqualTypeOf<number>()
    expectTypeOf(smartCache(fetchSquare)).returns.toEqualTypeOf<Promise<number>>()
    expectTypeOf(smartCache((s: string) => s.length)).returns.toEqualTypeOf<number>()
    expectTypeOf(smartCache(square).peek).returns.toEqualTypeOf<Promise<number | undefined>>()
    expectTypeOf(smartCache(square).refresh).returns.toEqualTypeOf<Promise<number>>()
  })

  it('browsers: a Promise of the result', () => {
    expectTypeOf(browserSmartCache(square)).returns.toEqualTypeOf<Promise<number>>()
    expectTypeOf(browserSmartCache(fetchSquare)).returns.toEqualTypeOf<Promise<number>>()
    expectTypeOf(browserSmartCache(square)).parameters.toEqualTypeOf<[n: number]>()
  })
})
