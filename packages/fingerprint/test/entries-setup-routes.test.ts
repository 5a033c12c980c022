import { rmSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { createFingerprinter } from '../src/index.ts'
import { tempDir, writeFiles } from './helpers.ts'

/**
 * Setup that the program's entry loads and the function's module never does, writing what the
 * function reads by every route top-level code has: each edit of the setup must change the
 * fingerprint. What top-level code may change is summarized once per strongly connected component
 * of what it reaches, and shared between the components above; these cases hold that sharing to
 * the answer of a walk of everything reached.
 */
const base = {
  'src/config.ts': `export const config = { rate: 1 }`,
  'src/price.ts': `import { config } from './config'\nexport const price = (n: number) => n * config.rate`,
  'src/main.ts': `import './setup'\nimport { price } from './price'\nconsole.log(price(5))`,
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** The fingerprint of `src/price.ts#price` with `src/main.ts` as the entry, over `base` and `files`. */
async function priceHash(files: Record<string, string>): Promise<string> {
  const root = tempDir()
  dirs.push(root)
  writeFiles(root, { ...base, ...files })
  const engine = createFingerprinter({ root, cacheDir: false, entries: ['src/main.ts'] })
  try {
    return (await engine.fingerprint('src/price.ts', 'price')).hash
  } finally {
    await engine.close()
  }
}

/** Setup files given the rate they set: 2, then 3. */
type Setup = (rate: number) => Record<string, string>

const routes: Array<[string, Setup]> = [
  ['a direct write', r => ({ 'src/setup.ts': `import { config } from './config'\nconfig.rate = ${r}` })],
  [
    'a helper in another module, called through a chain of helpers',
    r => ({
      'src/set-rate.ts': `import { config } from './config'\nexport function setRate(v: number) { config.rate = v }`,
      'src/apply.ts': `import { setRate } from './set-rate'\nexport function apply(v: number) { setRate(v) }`,
      'src/setup.ts': `import { apply } from './apply'\napply(${r})`,
    }),
  ],
  [
    'helpers calling each other (one strongly connected component) before the write',
    r => ({
      'src/even.ts': `import { odd } from './odd'\nexport function even(n: number, v: number): void { if (n > 0) odd(n - 1, v) }`,
      'src/odd.ts': `import { even } from './even'\nimport { config } from './config'\nexport function odd(n: number, v: number): void { config.rate = v; even(n - 1, v) }`,
      'src/setup.ts': `import { even } from './even'\neven(4, ${r})`,
    }),
  ],
  [
    'two setup modules sharing a helper, the second one edited',
    r => ({
      'src/set-rate.ts': `import { config } from './config'\nexport function setRate(v: number) { config.rate = v }`,
      'src/first.ts': `import { setRate } from './set-rate'\nsetRate(2)`,
      'src/second.ts': `import { setRate } from './set-rate'\nsetRate(${r})`,
      'src/setup.ts': `import './first'\nimport './second'`,
    }),
  ],
  [
    'a re-export of the written object',
    r => ({
      'src/settings.ts': `export { config as settings } from './config'`,
      'src/setup.ts': `import { settings } from './settings'\nsettings.rate = ${r}`,
    }),
  ],
  ['Object.assign', r => ({ 'src/setup.ts': `import { config } from './config'\nObject.assign(config, { rate: ${r} })` })],
  ['a class static block', r => ({ 'src/setup.ts': `import { config } from './config'\nclass Init { static { config.rate = ${r} } }` })],
  [
    'a static field initializer',
    r => ({ 'src/setup.ts': `import { config } from './config'\nexport class Init { static done = (config.rate = ${r}) }` }),
  ],
  [
    'a class decorator',
    r => ({
      'src/setup.ts': `import { config } from './config'\nfunction init(c: unknown) { config.rate = ${r}; return c }\n@init\nexport class Init {}`,
    }),
  ],
  [
    'a method decorator from another module',
    r => ({
      'src/init.ts': `import { config } from './config'\nexport function init(m: unknown) { config.rate = ${r}; return m }`,
      'src/setup.ts': `import { init } from './init'\nexport class Init { @init run() {} }`,
    }),
  ],
  ['top-level await', r => ({ 'src/setup.ts': `import { config } from './config'\nconfig.rate = await Promise.resolve(${r})` })],
]

describe('entries: setup that writes what a function reads, by every route, changes its fingerprint', () => {
  it.each(routes)('%s', async (_, setup) => {
    expect(await priceHash(setup(3))).not.toBe(await priceHash(setup(2)))
  })

  it('globalThis.x = in setup, read by the function', async () => {
    const globalRate = (r: number) => ({
      'src/price.ts': `export const price = (n: number) => n * (globalThis as any).rate`,
      'src/setup.ts': `;(globalThis as any).rate = ${r}`,
    })
    expect(await priceHash(globalRate(3))).not.toBe(await priceHash(globalRate(2)))
  })

  it('an edit of the helper the setup calls, two modules away', async () => {
    const chain = (body: string) => ({
      'src/set-rate.ts': `import { config } from './config'\nexport function setRate(v: number) { ${body} }`,
      'src/apply.ts': `import { setRate } from './set-rate'\nexport function apply(v: number) { setRate(v) }`,
      'src/setup.ts': `import { apply } from './apply'\napply(2)`,
    })
    expect(await priceHash(chain('config.rate = v * 2'))).not.toBe(await priceHash(chain('config.rate = v')))
  })
})
