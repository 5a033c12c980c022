import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import fc from 'fast-check'
import { createStorage } from 'unstorage'
import { afterAll, describe, expect, it } from 'vitest'
import { atomicFsDriver } from '../src/drivers/fs.ts'
import { settled, smartCache } from '../src/node.ts'
import { keyProblem, MAX_SEGMENT_BYTES } from '../src/storage/safe-key.ts'
import { FP, isolate, meta } from './helpers.ts'

/** Every file under `dir`, relative, posix. */
function filesUnder(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name))
      else out.push(relative(dir, join(d, e.name)).split(sep).join('/'))
    }
  }
  walk(dir)
  return out.sort()
}

/** Property tests run a fixed, seeded number of cases; this only bounds a hang on the slowest runner. */
const PROPERTY_TIMEOUT = 120_000

const HOSTILE = [
  '..',
  '../x',
  '..:x',
  'a:..:..:x',
  'a/../../x',
  '..\\..\\x',
  '/etc/passwd',
  '//etc/passwd',
  'C:\\Windows\\x',
  'a:.:b',
  'a\0b',
  '\0',
  'a\nb',
  'x'.repeat(MAX_SEGMENT_BYTES + 1),
  'é'.repeat(MAX_SEGMENT_BYTES / 2 + 1),
  `${'a:'.repeat(600)}z`,
  'x.sc-tmp',
  'a:b.123.0.sc-tmp',
]

describe('keys cannot escape the cache folder (real fs driver)', () => {
  const outer = mkdtempSync(join(tmpdir(), 'smart-cache-keys-'))
  const base = join(outer, 'inner', 'values')
  mkdirSync(base, { recursive: true })
  afterAll(() => rmSync(outer, { recursive: true, force: true }))
  const { warnings } = isolate()

  it('hostile keys are refused with a [smart-cache] error or land inside the folder, through unstorage and the bare driver', async () => {
    const storage = createStorage({ driver: atomicFsDriver({ base }) })
    const driver = atomicFsDriver({ base })
    let refused = 0
    let stored = 0
    for (const key of HOSTILE) {
      for (const write of [() => storage.setItemRaw(key, new Uint8Array([1])), () => driver.setItemRaw!(key, new Uint8Array([1]), {})]) {
        try {
          await write()
          stored++
        } catch (error) {
          // unstorage refuses dot segments itself; everything else is refused by safe-key with its reason and fix
          expect((error as Error).message).toMatch(
            /^\[smart-cache\] atomicFsDriver: refused key ".*": .+\. Fix: |^\[unstorage\] Invalid key/s,
          )
          refused++
        }
      }
    }
    expect(readdirSync(outer)).toEqual(['inner'])
    expect(readdirSync(join(outer, 'inner'))).toEqual(['values'])
    // Only unstorage's normalisation of separators can turn these into plain inner keys.
    expect(filesUnder(base)).toEqual(['C/Windows/x', 'etc/passwd'])
    expect(refused).toBe(HOSTILE.length * 2 - stored)
    console.log(`[reliability] hostile keys: ${HOSTILE.length * 2} writes tried, ${refused} refused, ${stored} stored inside, 0 outside`)
  })

  // 300 fixed runs (seeded) that each touch the disk: about 4 s on a busy 2-core machine, so the
  // timeout only catches a hang.
  it(
    'fuzz: any key either is refused or names a file strictly inside the folder',
    async () => {
      const driver = atomicFsDriver({ base })
      const segment = fc.oneof(
        fc.constantFrom('.', '..', '', '/', '\\', '\0', 'C:', '~', '%2e%2e'),
        fc.string({ unit: 'binary', maxLength: 12 }),
      )
      const key = fc.tuple(fc.array(segment, { maxLength: 8 }), fc.constantFrom(':', '/', '\\')).map(([parts, by]) => parts.join(by))
      let runs = 0
      await fc.assert(
        fc.asyncProperty(key, async k => {
          runs++
          try {
            await driver.setItemRaw!(k, new Uint8Array([2]), {})
            expect(keyProblem(k)).toBeUndefined()
          } catch (error) {
            if (!String((error as Error).message).startsWith('[smart-cache]')) expect((error as NodeJS.ErrnoException).code).toMatch(/^E/)
          }
          expect(readdirSync(outer)).toEqual(['inner'])
          expect(readdirSync(join(outer, 'inner'))).toEqual(['values'])
        }),
        { numRuns: 300, seed: 6 },
      )
      expect(runs).toBe(300)
      console.log(`[reliability] fuzzed keys: ${runs} keys, 0 files outside the folder`)
    },
    PROPERTY_TIMEOUT,
  )

  it('hostile function ids never reach a path: entries stay under sc1/<fingerprint>/<argsHash>', async () => {
    warnings()
    const storage = createStorage({ driver: atomicFsDriver({ base: join(outer, 'inner', 'ids') }) })
    const ids = ['../../../etc/passwd', '/abs/olute', 'nul\0id', 'x'.repeat(5000), '..\\..\\win', 'a:b:..:c']
    for (const [i, id] of ids.entries()) {
      const f = smartCache(async (x: number) => x + i, { storage, name: id, memory: false })
      expect(await f(1)).toBe(1 + i)
      await settled() // the entry is written after the call returns; the second call reads it back
      expect(await f(1)).toBe(1 + i)
      expect(f.stats).toMatchObject({ hits: 1, misses: 1, errors: 0 })
      const g = smartCache(async (x: number) => x - i, { storage, memory: false }, meta(id, FP(String(i + 1))))
      expect(await g(1)).toBe(1 - i)
    }
    await settled()
    const files = filesUnder(join(outer, 'inner', 'ids'))
    expect(files).toHaveLength(ids.length * 2)
    for (const f of files) expect(f).toMatch(/^sc1\/[0-9a-f]{64}\/[0-9a-f]{64}$/)
    expect(readdirSync(join(outer, 'inner')).sort()).toContain('ids')
  })

  it('a symbolic link planted in the cache folder cannot redirect writes outside it', async () => {
    warnings()
    const victim = join(outer, 'victim')
    mkdirSync(victim)
    const shared = join(outer, 'inner', 'shared')
    mkdirSync(join(shared, 'sc1'), { recursive: true })
    symlinkSync(victim, join(shared, 'sc1', FP('9')))
    const storage = createStorage({ driver: atomicFsDriver({ base: shared }) })
    await expect(storage.setItemRaw(`sc1:${FP('9')}:k`, new Uint8Array([1]))).rejects.toThrow(
      /^\[smart-cache\] atomicFsDriver: refused to write in .* outside .*\(a symbolic link\?\)\. Fix: /,
    )
    const f = smartCache(async (x: number) => x * 3, { storage, memory: false }, meta('src/l.ts#l', FP('9')))
    expect(await f(2)).toBe(6)
    await settled() // the refused write happens after the call returns
    expect(f.stats.errors).toBe(1)
    expect(readdirSync(victim)).toEqual([])
    await storage.setItemRaw('sc1:ok:k', new Uint8Array([1]))
    expect(filesUnder(join(shared, 'sc1', 'ok'))).toEqual(['k'])
  })

  it('every write checks its folder: a link planted after the folder was checked and written to is refused too', async () => {
    const victim = join(outer, 'victim-later')
    mkdirSync(victim)
    const shared = join(outer, 'inner', 'later')
    const storage = createStorage({ driver: atomicFsDriver({ base: shared }) })
    await storage.setItemRaw(`sc1:${FP('8')}:a`, new Uint8Array([1])) // the folder is created, checked and written to
    expect(filesUnder(join(shared, 'sc1', FP('8')))).toEqual(['a'])
    rmSync(join(shared, 'sc1', FP('8')), { recursive: true })
    symlinkSync(victim, join(shared, 'sc1', FP('8')))
    await expect(storage.setItemRaw(`sc1:${FP('8')}:b`, new Uint8Array([2]))).rejects.toThrow(
      /refused to write in .* \(a symbolic link\?\)/,
    )
    rmSync(join(shared, 'sc1'), { recursive: true })
    symlinkSync(victim, join(shared, 'sc1')) // a link higher up, under the same base
    await expect(storage.setItemRaw(`sc1:${FP('8')}:c`, new Uint8Array([3]))).rejects.toThrow(
      /refused to write in .* \(a symbolic link\?\)/,
    )
    expect(readdirSync(victim)).toEqual([])
  })

  it('a plugin meta with a path-like fingerprint is refused before any storage access', () => {
    expect(() => smartCache((x: number) => x, undefined, { __smartCache: 1, id: 'a', fingerprint: '../../x' } as never)).toThrow(
      /^\[smart-cache\] invalid CacheMeta/,
    )
  })
})
