// playground/vite-browser: built with its `build` script, served by Vite's preview (its `start`),
// run in Debian's Chromium: the first load computes, a reload reads IndexedDB.
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { preview, type PreviewServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from './helpers/browser.ts'
import { freePort } from './helpers/ports.ts'

const exec = promisify(execFile)
const dir = resolve(import.meta.dirname, '../playground/vite-browser')

interface Row {
  call: string
  value: unknown
  hit: boolean
  ms: number
}

async function rowsOf(page: Page): Promise<{ rows: Row[]; cells: string[] }> {
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'done', undefined, { timeout: 60_000 })
  const rows = await page.evaluate(() => (window as unknown as { playgroundRows: Row[] }).playgroundRows)
  const cells = await page.$$eval('#calls td:nth-child(3)', tds => tds.map(td => td.textContent ?? ''))
  return { rows, cells }
}

describe('playground/vite-browser', () => {
  let server: PreviewServer
  let browser: Browser
  let url: string
  beforeAll(async () => {
    await exec('pnpm', ['run', 'build'], { cwd: dir })
    const port = await freePort()
    server = await preview({ root: dir, logLevel: 'silent', preview: { port, strictPort: true } })
    url = `http://127.0.0.1:${port}/`
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await new Promise<void>(done => (server ? server.httpServer.close(() => done()) : done()))
  })

  it('shows each call with result, miss then (after a reload) hit, and time', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', e => errors.push(e.message))
    await page.goto(url)
    const first = await rowsOf(page)
    expect(first.rows.map(r => [r.call, r.hit])).toEqual([
      ['mandelbrotArea(600, 500)', false],
      ['primeCount(2_000_000)', false],
    ])
    expect(first.rows[1]!.value).toEqual({ count: 148933, last: 1999993 })
    expect(first.cells).toEqual(['miss', 'miss'])

    await page.reload()
    const second = await rowsOf(page)
    expect(second.rows.map(r => [r.call, r.hit])).toEqual([
      ['mandelbrotArea(600, 500)', true],
      ['primeCount(2_000_000)', true],
    ])
    expect(second.rows.map(r => r.value)).toEqual(first.rows.map(r => r.value))
    expect(second.cells).toEqual(['hit', 'hit'])
    expect(await page.locator('#calls td:nth-child(4)').first().textContent()).toMatch(/^[\d.]+ ms$/)
    expect(errors).toEqual([])
    await context.close()
  })
})
