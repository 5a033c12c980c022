// Vite dev servers are killed, not closed: Ctrl-C (SIGINT) runs no exit hook, SIGTERM makes Vite
// close the server and exit at once. What the engine computed during the session must be on disk
// either way, so that the next `vite dev` starts warm.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ENGINE_VERSION } from '@smart-cache/fingerprint'
import { afterAll, describe, expect, it } from 'vitest'
import { createTempProject } from './helpers/temp-project.ts'

const DEV_SCRIPT = `import { createServer } from 'vite'
import plugin from 'unplugin-smart-cache/vite'
const server = await createServer({
  root: process.cwd(), configFile: false, logLevel: 'silent', plugins: [plugin()],
  optimizeDeps: { noDiscovery: true, include: [] }, server: { host: '127.0.0.1', port: 0 },
})
await server.listen()
console.log(server.resolvedUrls.local[0])
`

/** Starts the dev server; resolves with the process and its URL once it listens. */
function startDev(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['dev.mjs'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stdout!.on('data', d => {
      out += d
      const url = out.match(/http:\/\/\S+/)?.[0]
      if (url) resolve({ child, url })
    })
    child.stderr!.on('data', d => (err += d))
    child.on('exit', code => reject(new Error(`dev server exited (${code}) before listening: ${err}`)))
  })
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise(resolve => {
    child.on('exit', () => resolve())
    child.kill(signal)
  })
}

const engineDir = (dir: string) => join(dir, 'node_modules/.cache/smart-cache/engine', ENGINE_VERSION)
const engineFiles = (dir: string) => (existsSync(engineDir(dir)) ? readdirSync(engineDir(dir)).sort() : [])
const answersToken = (dir: string) => {
  const file = engineFiles(dir).find(f => f.startsWith('answers-'))
  return file && (JSON.parse(readFileSync(join(engineDir(dir), file), 'utf8')) as { token: string }).token
}

/** Polls until the engine's three files exist (its idle save); the bound is a count of tries. */
async function untilSaved(dir: string): Promise<void> {
  for (let i = 0; i < 300 && engineFiles(dir).length < 3; i++) await new Promise(r => setTimeout(r, 100))
}

describe('vite dev, killed', () => {
  // With its node_modules, as an installed project has (creating it would change what resolutions saw).
  const project = createTempProject('plugin-vite-kill', {
    fixture: 'plugin-app',
    files: { 'dev.mjs': DEV_SCRIPT, 'node_modules/.cache/.keep': '' },
  })
  afterAll(() => project.remove())

  it('Ctrl-C (SIGINT) after the server went idle: the engine saved its answers and snapshot', async () => {
    // Files written within 3 s prove nothing by their stamps (the racy window): a checked-out
    // project is older than that, and so is this one before its first start.
    await new Promise(r => setTimeout(r, 3200))
    const { child, url } = await startDev(project.dir)
    const code = await (await fetch(new URL('src/math.js', url))).text()
    expect(code).toMatch(/[0-9a-f]{64}/)
    await untilSaved(project.dir)
    await stop(child, 'SIGINT')
    expect(engineFiles(project.dir).map(f => f.replace(/-[0-9a-f-]+\./, '.'))).toEqual(['answers.json', 'facts.json', 'files.snapshot'])
  })

  it('the next start serves the stored answers (no new save), and SIGTERM right after a response keeps them', async () => {
    const token = answersToken(project.dir)
    expect(token).toBeTruthy()
    const { child, url } = await startDev(project.dir)
    await (await fetch(new URL('src/math.js', url))).text()
    await stop(child, 'SIGTERM')
    expect(answersToken(project.dir)).toBe(token)
  })

  it('SIGTERM right after the first response (before any idle save): the server closes and saves', async () => {
    const fresh = createTempProject('plugin-vite-term', { fixture: 'plugin-app', files: { 'dev.mjs': DEV_SCRIPT } })
    try {
      const { child, url } = await startDev(fresh.dir)
      await (await fetch(new URL('src/math.js', url))).text()
      await stop(child, 'SIGTERM')
      expect(engineFiles(fresh.dir)).toHaveLength(3)
    } finally {
      fresh.remove()
    }
  })
})
