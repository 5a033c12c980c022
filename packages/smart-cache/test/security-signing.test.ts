import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createBLAKE3 } from 'hash-wasm'
import { createStorage } from 'unstorage'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeValue } from '../src/core/codec.ts'
import { FLAG_MAC, sealEnvelope } from '../src/core/envelope.ts'
import { createSigner, deriveMacKey, type Signer } from '../src/core/mac.ts'
import { atomicFsDriver } from '../src/drivers/fs.ts'
import { configure, hashArgs, ready, settled, smartCache } from '../src/node.ts'
import { openStore } from '../src/store.ts'
import { FP, isolate, meta, tempDir } from './helpers.ts'

const ID = 'src/price.ts#price'
const FPR = FP('a')
const SECRET = 'correct horse battery staple'

describe('entry signing (keyed BLAKE3 MAC)', () => {
  const dir = tempDir()
  const { warnings } = isolate()
  afterEach(() => {
    delete process.env.SMART_CACHE_SECRET
  })
  const storage = () => createStorage({ driver: atomicFsDriver({ base: dir }) })
  const fileOf = async (args: unknown[]) => {
    await ready()
    mkdirSync(join(dir, 'sc1', FPR), { recursive: true })
    return join(dir, 'sc1', FPR, hashArgs(args, ID))
  }
  /** A cached `price(x) = x * 100` counting its computations. */
  const make = (options: Record<string, unknown> = {}) => {
    const f = Object.assign(
      async (x: number) => {
        f.calls++
        return x * 100
      },
      { calls: 0 },
    )
    return Object.assign(smartCache(f, { storage: storage(), memory: false, ...options }, meta(ID, FPR)), { inner: f })
  }
  /** What a writer without the key can do: a well-formed entry holding `value`, unsigned or signed with `signer`. */
  const forge = (value: unknown, signer?: Signer, key = '') =>
    sealEnvelope({ id: ID, fingerprint: FPR }, encodeValue(value) as Uint8Array, { signer, key })
  /** A "signer" that puts the unkeyed BLAKE3 of the covered bytes in the MAC slot. */
  const unkeyed = async (): Promise<Signer> => {
    const h = await createBLAKE3(256)
    return {
      mac: (_key, parts) => {
        h.init()
        parts.forEach(p => h.update(p))
        return h.digest('binary')
      },
    }
  }

  it('hash-wasm keyed BLAKE3 matches the official test vector; the derived key is 32 bytes, per secret', async () => {
    const h = await createBLAKE3(256, new TextEncoder().encode('whats the Elvish word for friend'))
    h.init()
    expect(h.digest('hex')).toBe('92b2b75604ed3c761f9d6f62392c8a9227ad0ea3f09573e783f1498a4ed60d26')
    const a = await deriveMacKey(new TextEncoder().encode('a'))
    expect(a).toHaveLength(32)
    expect(await deriveMacKey(new TextEncoder().encode('a'))).toEqual(a)
    expect(await deriveMacKey(new TextEncoder().encode('b'))).not.toEqual(a)
  })

  it('writers with the secret sign; readers with the same secret hit, without it or with another secret they miss', async () => {
    warnings()
    const writer = make({ secret: SECRET })
    expect(await writer(3)).toBe(300)
    await settled() // entries are written after the call returns
    const bytes = readFileSync(await fileOf([3]))
    expect(bytes[5]! & FLAG_MAC).toBe(FLAG_MAC)
    const same = make({ secret: new TextEncoder().encode(SECRET) })
    expect(await same(3)).toBe(300)
    expect(same.inner.calls).toBe(0)
    const none = make()
    expect(await none(3)).toBe(300)
    expect(none.inner.calls).toBe(1)
    expect(warnings().some(w => w.includes('no secret is set to verify it') && w.includes('SMART_CACHE_SECRET'))).toBe(true)
    await settled() // none's unsigned rewrite lands before the signed bytes are put back
    writeFileSync(await fileOf([3]), bytes)
    const other = make({ secret: 'another secret' })
    expect(await other(3)).toBe(300)
    expect(other.inner.calls).toBe(1)
    expect(other.stats).toMatchObject({ forged: 1, hits: 0, misses: 1 })
  })

  it('an unsigned entry planted by a writer without the key is never served, counted, and overwritten signed', async () => {
    warnings()
    writeFileSync(await fileOf([7]), forge(666, undefined, `sc1:${FPR}:${hashArgs([7], ID)}`)) // the poisoned value, valid plain checksum, right key
    const writerWithoutKey = make()
    expect(await writerWithoutKey(7)).toBe(666) // without signing, a well-formed entry is trusted
    const reader = make({ secret: SECRET })
    expect(await reader(7)).toBe(700)
    expect(reader.stats).toMatchObject({ unsigned: 1, forged: 0, hits: 0, misses: 1, errors: 1 })
    expect(
      warnings().some(w => w.startsWith('[smart-cache] refused an entry of src/price.ts#price (key sc1:') && w.includes('unsigned entry')),
    ).toBe(true)
    await settled()
    expect(readFileSync(await fileOf([7]))[5]! & FLAG_MAC).toBe(FLAG_MAC)
    const again = make({ secret: SECRET })
    expect(await again(7)).toBe(700)
    expect(again.stats).toMatchObject({ hits: 1, unsigned: 0 })
  })

  it('forged MACs, altered payloads and entries replayed under another key are refused', async () => {
    const writer = make({ secret: SECRET })
    await writer(1)
    await writer(2)
    await settled()
    const good = readFileSync(await fileOf([1]))
    const key2 = `sc1:${FPR}:${hashArgs([2], ID)}`
    const guessed = await createSigner('guess')
    const attempts: Array<[string, Uint8Array]> = [
      [
        'random MAC',
        (() => {
          const b = forge(666, guessed, key2)
          b.set(new Uint8Array(32).fill(7), 24)
          return b
        })(),
      ],
      ['unkeyed BLAKE3 in the MAC slot', forge(666, await unkeyed(), key2)],
      ['MAC with a guessed secret', forge(666, guessed, key2)],
      [
        'payload altered, MAC kept',
        (() => {
          const b = new Uint8Array(readFileSync(join(dir, 'sc1', FPR, hashArgs([2], ID))))
          b[b.length - 4] = 0x36
          return b
        })(),
      ],
      ['replay of f(1) under the key of f(2)', good],
    ]
    let refused = 0
    for (const [what, bytes] of attempts) {
      await settled() // the previous reader's rewrite lands before the next attempt is planted
      writeFileSync(await fileOf([2]), bytes)
      const reader = make({ secret: SECRET })
      expect(await reader(2), what).toBe(200)
      expect(reader.stats.forged, what).toBe(1)
      refused++
    }
    expect(refused).toBe(attempts.length)
  })

  it('SMART_CACHE_SECRET overrides options.secret; an empty option is a clear error', async () => {
    process.env.SMART_CACHE_SECRET = SECRET
    const envWriter = make({ secret: 'ignored' })
    await envWriter(4)
    await settled()
    delete process.env.SMART_CACHE_SECRET
    const reader = make({ secret: SECRET })
    expect(await reader(4)).toBe(400)
    expect(reader.inner.calls).toBe(0)
    await expect(make({ secret: '' })(1)).rejects.toThrow(/^\[smart-cache\] src\/price.ts#price: options.secret must be a non-empty string/)
  })

  it('configure({ secret }) signs every function not given its own', async () => {
    configure({ secret: SECRET })
    const writer = make()
    await writer(8)
    await settled()
    expect(readFileSync(await fileOf([8]))[5]! & FLAG_MAC).toBe(FLAG_MAC)
    configure({})
    const reader = make({ secret: SECRET })
    expect(await reader(8)).toBe(800)
    expect(reader.inner.calls).toBe(0)
  })

  it('the store lists signed entries (verified with a secret, forged ones reported corrupt)', async () => {
    const writer = make({ secret: SECRET })
    await writer(5)
    await writer(6)
    await settled()
    writeFileSync(await fileOf([6]), forge(666, await createSigner('guess'), `sc1:${FPR}:${hashArgs([6], ID)}`))
    const blind = openStore({ dir })
    expect((await blind.list()).map(e => [e.signed, e.corrupt])).toEqual([
      [true, false],
      [true, false],
    ])
    const keyed = openStore({ dir, secret: SECRET })
    const listed = await keyed.list()
    expect(listed.filter(e => e.corrupt)).toHaveLength(1)
    expect(listed.find(e => e.corrupt)!.key).toBe(`sc1:${FPR}:${hashArgs([6], ID)}`)
    expect(await keyed.prune()).toBe(1)
    const signer = await createSigner(SECRET)
    expect(signer.mac('k', [new Uint8Array(1)])).not.toEqual(signer.mac('k2', [new Uint8Array(1)]))
  })
})
