// Vite dev server: editing a file a cached function reaches (not imported by its module)
// gives it a new fingerprint without a restart; a comment-only edit does not. SSR and browser.
import type { ViteDevServer } from 'vite'
import { readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { createServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import plugin from 'unplugin-smart-cache/vite'
import { launchChromium } from './helpers/browser.ts'
import { createTempProject } from './helpers/temp-project.ts'

/**
 * Polls `probe` until `done` accepts its value (real file watching is asynchronous). `touch`, if
 * given, is the edited file: its mtime is bumped every 2 s in case the watcher missed the write.
 */
async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, what: string, touch?: string, timeout = 30_000): Promise<T> {
  const start = Date.now()
  let touched = start
  for (;;) {
    const v = await probe()
    if (done(v)) return v
    if (Date.now() - start > timeout)
      throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(v, (k, x) => (k === 'mod' ? undefined : x))}`)
    if (touch && Date.now() - touched > 2_000) {
      touched = Date.now()
      utimesSync(touch, new Date(), new Date())
    }
    await new Promise(r => setTimeout(r, 100))
  }
}

function edit(file: string, from: string, to: string): void {
  const code = readFileSync(file, 'utf8')
  if (!code.includes(from)) throw new Error(`${file} does not contain ${from}`)
  writeFileSync(file, code.replace(from, to))
}

async function devServer(root: string, middlewareMode: boolean, hmr = true): Promise<ViteDevServer> {
  const server = await createServer({
    root,
    configFile: false,
    logLevel: 'silent',
    plugins: [plugin()],
    optimizeDeps: { noDiscovery: true, include: [] },
    server: middlewareMode
      ? { middlewareMode: true, ws: false, ...(hmr ? {} : { hmr: false }) }
      : { host: '127.0.0.1', port: 0, strictPort: false },
    appType: middlewareMode ? 'custom' : 'spa',
  })
  if (!middlewareMode) await server.listen()
  return server
}

describe('vite dev: SSR', () => {
  const project = createTempProject('plugin-vite-ssr', { fixture: 'plugin-app' })
  const deep = project.path('src/helpers/deep.js')
  let server: ViteDevServer
  beforeAll(async () => {
    process.env.SMART_CACHE_DIR = project.path('.values')
    server = await devServer(project.dir, true)
  })
  afterAll(async () => {
    await server?.close()
    project.remove()
  })

  it('refreshes the fingerprint after a transitive edit, not after a comment edit', async () => {
    const load = async () => {
      const mod = await server.ssrLoadModule('/src/math.js')
      await mod.fib(10)
      return { mod, fingerprint: mod.fib.fingerprint as string, id: mod.fib.id as string }
    }
    const first = await load()
    expect(first.id).toBe('src/math.js#fib')
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/)

    edit(deep, 'return a + b', 'return b + a')
    const edited = await until(load, v => v.fingerprint !== first.fingerprint, 'a new fingerprint after editing deep.js', deep)
    expect(await edited.mod.fib(12)).toBe(144)

    edit(deep, 'return b + a', '// a comment only\n  return b + a')
    const commented = await until(load, v => v.mod !== edited.mod, 'math.js to be re-evaluated after the comment edit', deep)
    expect(commented.fingerprint).toBe(edited.fingerprint)
  })
})

// With `server.hmr: false` (SSR servers in middleware mode) Vite calls no `hotUpdate` hook and only
// soft-invalidates the direct importers of an edited file: math.js ran again with its old transform,
// so fib kept the fingerprint of the old sum.js and served the results computed with it. The
// plugin's Vite `watchChange` now hard-invalidates the modules whose cached functions reach the file.
describe('vite dev: SSR with server.hmr: false', () => {
  const project = createTempProject('plugin-vite-ssr-nohmr', { fixture: 'plugin-app' })
  const sum = project.path('src/helpers/sum.js')
  let server: ViteDevServer
  beforeAll(async () => {
    process.env.SMART_CACHE_DIR = project.path('.values')
    server = await devServer(project.dir, true, false)
  })
  afterAll(async () => {
    await server?.close()
    project.remove()
  })

  it('math.js runs again after an edit of the helper it imports, with a new fingerprint', async () => {
    const load = async () => {
      const mod = await server.ssrLoadModule('/src/math.js')
      return { mod, fingerprint: mod.fib.fingerprint as string, value: (await mod.fib(10)) as number }
    }
    const first = await load()
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(first.value).toBe(55)
    edit(sum, 'return plus(a, b)', 'return plus(a, b) * 2')
    const edited = await until(load, v => v.mod !== first.mod, 'math.js to be re-evaluated after editing sum.js', sum)
    expect(edited.fingerprint).not.toBe(first.fingerprint)
    expect(edited.value).toBe(6688) // f(n) = 2 (f(n-1) + f(n-2)), f(0) = 0, f(1) = 1; not the stale 55
  })
})

describe('vite dev: browser (Chromium)', () => {
  const project = createTempProject('plugin-vite-web', { fixture: 'plugin-app' })
  const deep = project.path('src/helpers/deep.js')
  let server: ViteDevServer
  let browser: Awaited<ReturnType<typeof launchChromium>>
  beforeAll(async () => {
    server = await devServer(project.dir, false)
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    project.remove()
  })

  it('reloads the page with a new fingerprint after a transitive edit, the same one after a comment edit', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', e => errors.push(e.message))
    await page.goto(server.resolvedUrls!.local[0]!)
    const result = () =>
      page
        .evaluate(() => (window as any).__result as { fingerprint: string; value: number; sum: number } | undefined)
        .catch(() => undefined)
    const first = await until(result, v => !!v, 'the page to compute')
    expect(first).toMatchObject({ value: 6765, sum: 6 })
    expect(first!.fingerprint).toMatch(/^[0-9a-f]{64}$/)

    edit(deep, 'return a + b', 'return b + a')
    const edited = await until(result, v => !!v && v.fingerprint !== first!.fingerprint, 'a reload with a new fingerprint', deep)
    expect(edited!.value).toBe(6765)

    await page.evaluate(() => {
      ;(window as any).__before = true
    })
    edit(deep, 'return b + a', '/* a comment only */ return b + a')
    const reloaded = await until(
      () =>
        page
          .evaluate(() => ({ fresh: !(window as any).__before, r: (window as any).__result }))
          .catch(() => ({ fresh: false, r: undefined })),
      v => v.fresh && !!v.r,
      'the page to reload after the comment edit',
      deep,
    )
    expect(reloaded.r.fingerprint).toBe(edited!.fingerprint)
    expect(errors).toEqual([])
  })
})
