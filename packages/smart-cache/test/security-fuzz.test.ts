// Issue 6 fuzzing (fast-check, fixed seeds): argument keys, value round-trips, and random
// corruption or truncation of stored entries. Each property prints its run count for the report.
import { isDeepStrictEqual } from 'node:util'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadHashers } from '../src/core/blake3.ts'
import { decodeValue, encodeValue } from '../src/core/codec.ts'
import { CorruptEntryError, openEnvelope, sealEnvelope } from '../src/core/envelope.ts'
import { createSigner, type Signer } from '../src/core/mac.ts'
import { hashArgs } from '../src/node.ts'

/** The values the runtime promises to key and store: the structured-clone set without class instances. */
const value = fc.anything({
  maxDepth: 3,
  maxKeys: 5,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withBoxedValues: false,
  withObjectString: false,
})
const NUM_RUNS = 400
const report = (what: string, runs: number) => console.log(`[reliability] fuzz ${what}: ${runs} cases, 0 failures`)

describe('fuzz: argument keys', () => {
  beforeAll(() => loadHashers())

  it('equal values (built twice) give equal keys', () => {
    let runs = 0
    fc.assert(
      fc.property(fc.clone(value, 2), ([a, b]) => {
        runs++
        expect(hashArgs([a], 'ns')).toBe(hashArgs([b], 'ns'))
      }),
      { numRuns: NUM_RUNS, seed: 61 },
    )
    report('equal values give equal keys', runs)
  })

  it('values that are not deep-equal give distinct keys', () => {
    let runs = 0
    fc.assert(
      fc.property(value, value, (a, b) => {
        fc.pre(!isDeepStrictEqual(a, b))
        runs++
        expect(hashArgs([a], 'ns')).not.toBe(hashArgs([b], 'ns'))
      }),
      { numRuns: NUM_RUNS, seed: 62 },
    )
    report('distinct values give distinct keys', runs)
  })

  it('argument position, arity and function id are part of the key', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        fc.pre(!isDeepStrictEqual(a, b))
        expect(hashArgs([a, b], 'ns')).not.toBe(hashArgs([b, a], 'ns'))
        expect(hashArgs([a], 'ns')).not.toBe(hashArgs([a, undefined], 'ns'))
        expect(hashArgs([a], 'ns')).not.toBe(hashArgs([a], 'ns2'))
      }),
      { numRuns: 100, seed: 63 },
    )
  })
})

describe('fuzz: stored values', () => {
  let signer: Signer
  beforeAll(async () => {
    await loadHashers()
    signer = await createSigner('fuzz secret')
  })
  const header = { id: 'src/f.ts#f', fingerprint: 'f'.repeat(64) }
  const seal = (v: unknown, signed: boolean) =>
    sealEnvelope(header, encodeValue(v) as Uint8Array, { key: 'sc1:k', signer: signed ? signer : undefined, createdAt: 1_700_000_000_000 })
  const open = (bytes: Uint8Array, signed: boolean) => openEnvelope(bytes, { key: 'sc1:k', signer: signed ? signer : undefined })

  it('every value round-trips exactly through the codec and the envelope (signed or not)', () => {
    let runs = 0
    fc.assert(
      fc.property(value, fc.boolean(), (v, signed) => {
        runs++
        expect(isDeepStrictEqual(decodeValue(open(seal(v, signed), signed).payload), v)).toBe(true)
      }),
      { numRuns: NUM_RUNS, seed: 64 },
    )
    report('value round-trips', runs)
  })

  it('any flipped byte of a stored entry is detected (checksum or MAC)', () => {
    let runs = 0
    fc.assert(
      fc.property(
        value,
        fc.boolean(),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 255 }),
        (v, signed, where, xor) => {
          const bytes = seal(v, signed)
          bytes[Math.floor(where * bytes.length)]! ^= xor
          runs++
          expect(() => open(bytes, signed)).toThrow(CorruptEntryError)
        },
      ),
      { numRuns: NUM_RUNS * 2, seed: 65 },
    )
    report('byte corruptions detected', runs)
  })

  it('any truncation or extension of a stored entry is detected', () => {
    let runs = 0
    fc.assert(
      fc.property(
        value,
        fc.boolean(),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        (v, signed, cut, extra) => {
          const bytes = seal(v, signed)
          runs += 2
          expect(() => open(bytes.subarray(0, Math.floor(cut * bytes.length)), signed)).toThrow(CorruptEntryError)
          const longer = new Uint8Array(bytes.length + extra.length)
          longer.set(bytes)
          longer.set(extra, bytes.length)
          expect(() => open(longer, signed)).toThrow(CorruptEntryError)
        },
      ),
      { numRuns: NUM_RUNS, seed: 66 },
    )
    report('truncations/extensions detected', runs)
  })

  it('random bytes are never accepted as an entry, nor crash the decoder with anything but CorruptEntryError', () => {
    let runs = 0
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, signed) => {
        runs++
        expect(() => open(bytes, signed)).toThrow(CorruptEntryError)
      }),
      { numRuns: NUM_RUNS, seed: 67 },
    )
    report('random byte strings refused', runs)
  })
})
