// Rollup watch and webpack watch: editing a file a cached function reaches (not imported by its
// module) rebuilds it with a new fingerprint without a restart; a comment-only edit keeps it.
import { readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createTempProject } from './helpers/temp-project.ts'
import { readBuildManifest } from './helpers/manifest.ts'

/** Results of successive rebuilds, awaited one at a time. */
function rebuilds<T>() {
  const ready: T[] = []
  const waiting: ((v: T) => void)[] = []
  return {
    push(v: T) {
      const w = waiting.shift()
      if (w) w(v)
      else ready.push(v)
    },
    next(what: string, timeout = 30_000): Promise<T> {
      const v = ready.shift()
      if (v !== undefined) return Promise.resolve(v)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeout)
        waiting.push(x => {
          clearTimeout(timer)
          resolve(x)
        })
      })
    },
  }
}

function fingerprintIn(outDir: string): string {
  return readBuildManifest(join(outDir, '..'), outDir).functions['src/math.js#fib'].fingerprint
}

function edit(file: string, from: string, to: string): void {
  writeFileSync(file, readFileSync(file, 'utf8').replace(from, to))
}

/**
 * Edits `file` and waits for the rebuild. A watcher still settling may miss the first write, so
 * the file's mtime is touched again every 2 s until a rebuild arrives (at most 30 s).
 */
async function editAndRebuild(
  file: string,
  from: string,
  to: string,
  builds: ReturnType<typeof rebuilds<string>>,
  what: string,
): Promise<void> {
  edit(file, from, to)
  for (let i = 0; ; i++) {
    try {
      const result = await builds.next(what, 2_000)
      expect(result).not.toMatch(/^error/)
      return
    } catch (error) {
      if (i >= 15) throw error
      const now = new Date()
      utimesSync(file, now, now)
    }
  }
}

/** Runs the edit scenario against a watcher that reports each finished rebuild. */
async function scenario(deep: string, outDir: string, builds: ReturnType<typeof rebuilds<string>>) {
  await builds.next('the first build')
  const first = fingerprintIn(outDir)
  await editAndRebuild(deep, 'return a + b', 'return b + a', builds, 'a rebuild after editing deep.js')
  const edited = fingerprintIn(outDir)
  expect(edited).not.toBe(first)
  await editAndRebuild(deep, 'return b + a', '// a comment only\n  return b + a', builds, 'a rebuild after the comment edit')
  expect(fingerprintIn(outDir)).toBe(edited)
}

describe('watch mode', () => {
  const projects: ReturnType<typeof createTempProject>[] = []
  afterAll(() => projects.forEach(p => p.remove()))

  it('rollup watch', async () => {
    const project = createTempProject('plugin-rollup-watch', { fixture: 'plugin-app' })
    projects.push(project)
    const { watch } = await import('rollup')
    const { default: plugin } = await import('unplugin-smart-cache/rollup')
    const outDir = project.path('dist')
    const builds = rebuilds<string>()
    const watcher = watch({
      input: project.path('src/main.js'),
      external: ['smart-cache'],
      plugins: [plugin({ root: project.dir })],
      output: { dir: outDir, format: 'es' },
      watch: { buildDelay: 50 },
    })
    watcher.on('event', e => {
      if (e.code === 'BUNDLE_END') void e.result.close()
      if (e.code === 'END') builds.push('end')
      if (e.code === 'ERROR') builds.push(`error: ${e.error.message}`)
    })
    try {
      await scenario(project.path('src/helpers/deep.js'), outDir, builds)
    } finally {
      await watcher.close()
    }
  })

  it('webpack watch', async () => {
    const project = createTempProject('plugin-webpack-watch', { fixture: 'plugin-app' })
    projects.push(project)
    const { default: webpack } = await import('webpack')
    const { default: plugin } = await import('unplugin-smart-cache/webpack')
    const outDir = project.path('dist')
    const builds = rebuilds<string>()
    const compiler = webpack({
      mode: 'development',
      context: project.dir,
      target: 'node20',
      entry: project.path('src/main.js'),
      devtool: false,
      output: { path: outDir, filename: 'main.mjs', module: true, chunkFormat: 'module', library: { type: 'module' } },
      experiments: { outputModule: true },
      externalsType: 'module',
      externals: { 'smart-cache': 'smart-cache' },
      plugins: [plugin()],
    })
    const watching = compiler.watch({ aggregateTimeout: 50 }, (err, stats) => {
      builds.push(err ? `error: ${err.message}` : stats!.hasErrors() ? stats!.toString('errors-only') : 'done')
    })
    try {
      await scenario(project.path('src/helpers/deep.js'), outDir, builds)
    } finally {
      await new Promise(r => watching!.close(r))
    }
  })
})
