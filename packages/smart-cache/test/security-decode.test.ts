// Issue 6: decoding a stored entry never evaluates code and never pollutes prototypes.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { createStorage } from 'unstorage'
import { afterEach, describe, expect, it } from 'vitest'
import { decodeValue } from '../src/core/codec.ts'
import { sealEnvelope } from '../src/core/envelope.ts'
import { atomicFsDriver } from '../src/drivers/fs.ts'
import { hashArgs, ready, smartCache } from '../src/node.ts'
import { FP, isolate, meta, tempDir } from './helpers.ts'

/** Property tests run a fixed, seeded number of cases; this only bounds a hang on the slowest runner. */
const PROPERTY_TIMEOUT = 120_000

const utf8 = new TextEncoder()
const HOSTILE_PAYLOADS = [
  '[{"__proto__":1},{"polluted":2}]',
  '[["null","__proto__",1],{"polluted":1}]',
  '[{"constructor":1},{"prototype":2},{"polluted":3}]',
  '[["Map",1,2],{"__proto__":3},1,{"polluted":1}]',
  '[["Object",1],{"polluted":1}]',
  '[["Function","globalThis.__pwned=1"]]',
  '[["RegExp","(?{globalThis.__pwned=1})"]]',
  '["function(){globalThis.__pwned=1}"]',
  '[{"toString":1,"valueOf":1},"x"]',
  '["(globalThis.__pwned = 1)"]',
  '{"__proto__":{"polluted":1}}',
]

function clean(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.prototype).not.toHaveProperty('polluted')
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS)
  expect((globalThis as Record<string, unknown>).__pwned).toBeUndefined()
}
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort()

describe('decoding is data only', () => {
  const dir = tempDir()
  const { warnings } = isolate()
  afterEach(clean)

  it('hostile devalue payloads are refused or decoded as inert data', () => {
    let refused = 0
    for (const payload of HOSTILE_PAYLOADS) {
      try {
        const v = decodeValue(utf8.encode(payload))
        expect(typeof v === 'function').toBe(false)
        if (v && typeof v === 'object')
          expect(
            Object.getPrototypeOf(v) === Object.prototype ||
              Object.getPrototypeOf(v) === Array.prototype ||
              Object.getPrototypeOf(v) === null,
          ).toBe(true)
      } catch {
        refused++
      }
      clean()
    }
    expect(refused).toBeGreaterThanOrEqual(7)
  })

  // 1,000 fixed runs (seeded): about 3 s on a busy 2-core machine, so the timeout only catches a hang.
  it(
    'fuzz: random JSON and random text never evaluate code nor pollute prototypes',
    () => {
      let runs = 0
      const text = fc.oneof(
        fc.json(),
        fc.string({ unit: 'binary' }),
        fc.constantFrom(...HOSTILE_PAYLOADS).map(p => p.replace('1', '2')),
      )
      fc.assert(
        fc.property(text, t => {
          runs++
          try {
            decodeValue(utf8.encode(t))
          } catch {
            // refusal is fine
          }
          clean()
        }),
        { numRuns: 1000, seed: 68 },
      )
      expect(runs).toBe(1000)
      console.log(`[reliability] fuzz decode: ${runs} random payloads, 0 evaluations, 0 prototype changes`)
    },
    PROPERTY_TIMEOUT,
  )

  it('planted entries with hostile payloads: refused ones are recomputed, the rest served as inert data; with a secret all are refused', async () => {
    warnings()
    await ready()
    const id = 'src/p.ts#p'
    const storage = createStorage({ driver: atomicFsDriver({ base: dir }) })
    const plain = smartCache(async (x: number) => ({ x }), { storage, memory: false }, meta(id, FP('b')))
    const signed = smartCache(async (x: number) => ({ x }), { storage, memory: false, secret: 's' }, meta(id, FP('b')))
    mkdirSync(join(dir, 'sc1', FP('b')), { recursive: true })
    let refused = 0
    for (const [i, payload] of HOSTILE_PAYLOADS.entries()) {
      const plant = () =>
        writeFileSync(
          join(dir, 'sc1', FP('b'), hashArgs([i], id)),
          sealEnvelope({ id, fingerprint: FP('b') }, utf8.encode(payload), {
            key: `sc1:${FP('b')}:${hashArgs([i], id)}`,
            signer: undefined,
          }),
        )
      let inert: unknown
      try {
        inert = decodeValue(utf8.encode(payload))
      } catch {
        inert = { x: i }
        refused++
      }
      plant()
      expect(await plain(i)).toEqual(inert)
      clean()
      plant()
      expect(await signed(i)).toEqual({ x: i })
      clean()
    }
    expect(refused).toBeGreaterThanOrEqual(7)
    expect(plain.stats.corrupt).toBe(refused)
    expect(signed.stats.unsigned).toBe(HOSTILE_PAYLOADS.length)
  })
})
