import type { Browser } from 'playwright-core'
import { build, preview, type PreviewServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './helpers/browser.ts'
import { freePort } from './helpers/ports.ts'
import { createTempProject } from './helpers/temp-project.ts'

describe('runtime: IndexedDB cache in real Chromium, page built by Vite', () => {
  const project = createTempProject('runtime-browser', { fixture: 'runtime-browser' })
  let server: PreviewServer
  let browser: Browser
  let url: string

  beforeAll(async () => {
    await build({ root: project.dir, logLevel: 'silent', build: { outDir: 'dist', target: 'es2022' } })
    const port = await freePort()
    server = await preview({ root: project.dir, logLevel: 'silent', preview: { host: '127.0.0.1', port, strictPort: true } })
    url = `http://127.0.0.1:${port}/`
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await new Promise<void>(resolve => (server ? server.httpServer.close(() => resolve()) : resolve()))
    project.remove()
  })

  it('persists across a reload (second load reads IndexedDB, computes nothing)', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', e => errors.push(e.message))
    await page.goto(url)
    await page.waitForFunction(() => (window as any).smartCacheReady === true)
    const first = await page.evaluate(() => (window as any).smartCacheRun(1000))
    expect(first).toMatchObject({ computed: 1, exact: true, hasProcess: false, stats: { misses: 1, hits: 0, errors: 0 } })
    expect(first.stats.bytesWritten).toBeGreaterThan(1000)
    expect(await page.evaluate(() => (window as any).smartCacheRun(1000))).toMatchObject({ computed: 1, stats: { hits: 1 } })

    await page.reload()
    await page.waitForFunction(() => (window as any).smartCacheReady === true)
    const second = await page.evaluate(() => (window as any).smartCacheRun(1000))
    expect(second).toMatchObject({ computed: 0, exact: true, stats: { hits: 1, misses: 0, errors: 0 } })
    expect(second.stats.bytesRead).toBe(first.stats.bytesWritten)
    const keys = await page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open('smart-cache')
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const req = open.result.transaction('values').objectStore('values').getAllKeys()
            req.onsuccess = () => resolve(req.result.map(String))
          }
        }),
    )
    expect(keys).toEqual([`sc1:${'b'.repeat(64)}:${keys[0]!.split(':')[2]}`])
    expect(errors).toEqual([])
    await context.close()
  })

  it('a fresh browser profile starts empty (no leak between contexts)', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(url)
    await page.waitForFunction(() => (window as any).smartCacheReady === true)
    expect(await page.evaluate(() => (window as any).smartCacheRun(10))).toMatchObject({ computed: 1, exact: true })
    await context.close()
  })
})
