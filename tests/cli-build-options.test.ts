// The CLI fingerprints as the build did. A bundler gives the engine its aliases, conditions,
// `define` and `import.meta.env` values and auto-imported globals; the CLI made its own engine,
// resolving as Node with none of them, so `smart-cache fingerprint` and `explain` printed another
// fingerprint than the build's for every function reaching one. Now the plugin records the
// options in the manifest (root-relative, define values as digests) and the CLI uses them:
// real Vite (SSR and client) and esbuild builds, then the built CLI in a new process.
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import type { Plugin, PluginOption } from 'vite'
import { manifestFileFor, readBuildManifest } from './helpers/manifest.ts'
import { createTempProject, type TempProject } from './helpers/temp-project.ts'
import { viteSsrBuild } from './helpers/vite-build.ts'

const CLI = new URL('../packages/cli/bin/smart-cache.mjs', import.meta.url).pathname
const projects: TempProject[] = []
afterAll(() => projects.forEach(p => p.remove()))

/** The built CLI in `dir`; never throws on a non-zero exit. */
async function cli(dir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string }
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout, stderr: e.stderr }
  }
}

const fingerprintOf = async (dir: string, id: string, ...flags: string[]): Promise<string> =>
  JSON.parse((await cli(dir, 'fingerprint', '--json', ...flags, id)).stdout)[id]

const SECRET = 's3cr3t-api-key'

/** `f` reaches an alias (`@lib/rate`), a define, an `import.meta.env` value and an auto-imported helper. */
const appFiles = {
  'src/main.ts': [
    `import { smartCache } from 'smart-cache'`,
    `import { rate } from '@lib/rate'`,
    `declare const __KEY__: string`,
    `export const f = smartCache(async (n: number) => n * rate() * Number(import.meta.env.VITE_RATE) + __KEY__.length + taxOf())`,
    `console.log(JSON.stringify(await f(5)))`,
  ].join('\n'),
  'src/lib/rate.ts': 'export const rate = () => 2\n',
  'src/utils/tax.ts': 'export const taxOf = () => 1\n',
  '.env': 'VITE_RATE=4\n',
  // What unplugin-auto-import writes (its `dts` option).
  'auto-imports.d.ts': `export {}\ndeclare global {\n  const taxOf: typeof import('./src/utils/tax')['taxOf']\n}\n`,
}

/** An auto-import plugin (unplugin-auto-import style): `taxOf(…)` used without an import gets one. */
const autoImport: Plugin = {
  name: 'auto-import',
  enforce: 'pre',
  transform: (code, id) =>
    id.endsWith('/src/main.ts') && code.includes('taxOf(') ? `import { taxOf } from '/src/utils/tax.ts'\n${code}` : undefined,
}

async function viteApp(prefix: string): Promise<TempProject> {
  const project = createTempProject(`cli-options-${prefix}`, { files: appFiles })
  projects.push(project)
  await viteSsrBuild(project, {
    config: {
      resolve: { alias: { '@lib': project.path('src/lib') } },
      define: { __KEY__: JSON.stringify(SECRET) },
      plugins: [autoImport],
    },
  })
  return project
}

describe('vite: the CLI fingerprints with the options the build recorded', () => {
  it("fingerprint gives the manifest's fingerprint; explain names the alias target and the options used", async () => {
    const project = await viteApp('vite')
    const manifest = readBuildManifest(project.dir, 'dist')
    const expected: string = manifest.functions['src/main.ts#f'].fingerprint
    expect(expected).toMatch(/^[0-9a-f]{64}$/)
    expect(await fingerprintOf(project.dir, 'src/main.ts#f')).toBe(expected)

    const explained = await cli(project.dir, 'explain', 'src/main.ts#f')
    expect(explained.code).toBe(0)
    const [header, root, ...rest] = explained.stdout.trimEnd().split('\n')
    expect(header).toBe('engine options: node_modules/.cache/smart-cache/manifests/dist.json (environment ssr)')
    expect(root).toContain(`hash ${expected.slice(0, 16)}`)
    expect(rest.join('\n')).toMatch(/─ src\/lib\/rate\.ts#rate {2}hash [0-9a-f]{16} {2}own [0-9a-f]{16} {2}src\/lib\/rate\.ts:1/)
    expect(rest.join('\n')).toContain('src/utils/tax.ts#taxOf')
    const json = JSON.parse((await cli(project.dir, 'explain', '--json', 'src/main.ts#f')).stdout)
    expect(json.engineOptions).toEqual({ manifest: 'node_modules/.cache/smart-cache/manifests/dist.json', environment: 'ssr' })
    expect(json.hash).toBe(expected)
  })

  it('the record holds no absolute path and no define value, and is the same for the same build in another folder', async () => {
    const a = await viteApp('vite-a')
    const b = await viteApp('vite-b')
    const text = readFileSync(manifestFileFor(a.dir, 'dist'), 'utf8')
    expect(text).not.toContain(a.dir)
    expect(text).not.toContain(SECRET)
    const record = (p: TempProject) => JSON.parse(readFileSync(manifestFileFor(p.dir, 'dist'), 'utf8')).engine
    expect(Object.keys(record(a))).toEqual(['ssr'])
    expect(record(a).ssr.resolve.alias).toContainEqual({ find: '@lib', replacement: { path: 'src/lib' } })
    expect(record(a).ssr.entries).toEqual(['src/main.ts']) // the program's entry (helper B's engine option), root-relative
    expect(record(b)).toEqual(record(a))
  })

  it('without a record (an older plugin), the CLI gives the Node fingerprint and says the options were not known', async () => {
    const project = await viteApp('vite-old')
    const file = manifestFileFor(project.dir, 'dist')
    const manifest = JSON.parse(readFileSync(file, 'utf8'))
    delete manifest.engine
    writeFileSync(file, JSON.stringify(manifest))
    const r = await cli(project.dir, 'fingerprint', '--json', 'src/main.ts#f')
    expect(JSON.parse(r.stdout)['src/main.ts#f']).not.toBe(manifest.functions['src/main.ts#f'].fingerprint)
    expect(r.stderr).toContain('[smart-cache] engine options: none recorded (the build manifest does not record them)')
    expect((await cli(project.dir, 'explain', 'src/main.ts#f')).stdout.split('\n')[0]).toMatch(/^engine options: none recorded/)
  })

  it('a malformed record is an error naming the manifest and the fix', async () => {
    const project = await viteApp('vite-bad')
    const file = manifestFileFor(project.dir, 'dist')
    const manifest = JSON.parse(readFileSync(file, 'utf8'))
    manifest.engine.ssr.resolve.alias[0].find = 42
    writeFileSync(file, JSON.stringify(manifest))
    const r = await cli(project.dir, 'fingerprint', 'src/main.ts#f')
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      `[smart-cache] ${file}: malformed engine options of environment 'ssr': resolve.alias[0].find must be an object. ` +
        "Fix: rebuild with the plugin to rewrite the manifest, or update @smart-cache/cli to the plugin's version if the plugin is newer (or delete the manifest: the CLI then resolves as Node, without the bundler's aliases and defines).\n",
    )
  })
})

describe('explain --from: what changed in the build, not in the code', () => {
  it('names the define whose value changed between the two builds', async () => {
    const project = createTempProject('cli-options-diff', { files: appFiles })
    projects.push(project)
    const config = (key: string) => ({
      resolve: { alias: { '@lib': project.path('src/lib') } },
      define: { __KEY__: JSON.stringify(key) },
      plugins: [autoImport],
    })
    await viteSsrBuild(project, { config: config('first-key') })
    writeFileSync(project.path('old.json'), readFileSync(manifestFileFor(project.dir, 'dist')))
    await viteSsrBuild(project, { config: config('second-key') })
    const r = await cli(project.dir, 'explain', 'src/main.ts#f', '--from', 'old.json')
    expect(r.stdout).toContain('src/main.ts#f: fingerprint changed')
    expect(r.stdout).toContain("the build's engine options differ too: defines.__KEY__\n")
    const json = JSON.parse((await cli(project.dir, 'explain', 'src/main.ts#f', '--from', 'old.json', '--json')).stdout)
    expect(json.engineOptionsChanged).toEqual(['defines.__KEY__'])
    expect(json.to.fingerprint).toBe(readBuildManifest(project.dir, 'dist').functions['src/main.ts#f'].fingerprint)
  })
})

describe('vite: a client and an SSR build', () => {
  it('the CLI picks the build that holds the file, or the one --environment names', async () => {
    const project = createTempProject('cli-options-envs', {
      files: {
        'src/env.ts': `import { smartCache } from 'smart-cache'\nexport const g = smartCache(async (n: number) => (import.meta.env.SSR ? n : -n))\n`,
        'src/widget.ts': `import { smartCache } from 'smart-cache'\nexport const h = smartCache(async (n: number) => n + Number(import.meta.env.SSR))\n`,
        'src/client.ts': `import { g } from './env'\nimport { h } from './widget'\nconsole.log(await g(1), await h(1))\n`,
        'src/server.ts': `import { g } from './env'\nconsole.log(await g(1))\n`,
      },
    })
    projects.push(project)
    const { build } = await import('vite')
    const { default: plugin } = await import('unplugin-smart-cache/vite')
    const both = async (plugins: { client: PluginOption[]; ssr: PluginOption[] }) => {
      const common = { root: project.dir, configFile: false as const, logLevel: 'silent' as const }
      const input = project.path('src/client.ts')
      await build({ ...common, plugins: plugins.client, build: { outDir: 'dist/client', minify: false, rollupOptions: { input } } })
      await build({ ...common, plugins: plugins.ssr, build: { ssr: 'src/server.ts', outDir: 'dist/server' } })
    }
    await both({ client: [plugin()], ssr: [plugin()] })
    const client = readBuildManifest(project.dir, 'dist/client')
    const server = readBuildManifest(project.dir, 'dist/server')
    expect(Object.keys(client.engine)).toEqual(['client'])
    expect(Object.keys(server.engine)).toEqual(['ssr'])
    expect([client.engine.client.entries, server.engine.ssr.entries]).toEqual([['src/client.ts'], ['src/server.ts']])
    const [gClient, gServer] = [client.functions['src/env.ts#g'].fingerprint, server.functions['src/env.ts#g'].fingerprint]
    expect(gClient).not.toBe(gServer) // import.meta.env.SSR differs
    expect(await fingerprintOf(project.dir, 'src/env.ts#g', '--environment', 'client')).toBe(gClient)
    expect(await fingerprintOf(project.dir, 'src/env.ts#g', '--environment', 'ssr')).toBe(gServer)
    // Only the client build holds widget.ts: its options, though the SSR manifest is newer.
    expect(await fingerprintOf(project.dir, 'src/widget.ts#h')).toBe(client.functions['src/widget.ts#h'].fingerprint)
    const header = (await cli(project.dir, 'explain', 'src/widget.ts#h')).stdout.split('\n')[0]
    expect(header).toBe('engine options: node_modules/.cache/smart-cache/manifests/dist__client.json (environment client)')
    const wrong = await cli(project.dir, 'fingerprint', '--environment', 'edge', 'src/env.ts#g')
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('[smart-cache] --environment edge: no manifest under the root records it (recorded: ')
    expect(wrong.stderr).toContain('client in node_modules/.cache/smart-cache/manifests/dist__client.json')

    // One plugin instance for both builds: the SSR manifest holds both environments' functions, each naming its own.
    const shared = plugin()
    await both({ client: [shared], ssr: [shared] })
    const mixed = readBuildManifest(project.dir, 'dist/server')
    expect(Object.keys(mixed.engine)).toEqual(['client', 'ssr'])
    expect(mixed.functions['src/widget.ts#h'].environment).toBe('client')
    expect(mixed.functions['src/env.ts#g']).toMatchObject({ environment: 'ssr', fingerprint: gServer })
    expect(await fingerprintOf(project.dir, 'src/env.ts#g')).toBe(gServer)
    expect(await fingerprintOf(project.dir, 'src/widget.ts#h')).toBe(client.functions['src/widget.ts#h'].fingerprint)
  })
})

describe('esbuild: alias and define', () => {
  it("fingerprint gives the manifest's fingerprint; explain names the alias target", async () => {
    const project = createTempProject('cli-options-esbuild', {
      files: {
        'src/main.ts': [
          `import { smartCache } from 'smart-cache'`,
          `import { rate } from 'rate-lib'`,
          `declare const __KEY__: string`,
          `export const f = smartCache(async (n: number) => n * rate() + __KEY__.length)`,
        ].join('\n'),
        'src/lib/rate.ts': 'export const rate = () => 2\n',
      },
    })
    projects.push(project)
    const esbuild = await import('esbuild')
    const { default: plugin } = await import('unplugin-smart-cache/esbuild')
    await esbuild.build({
      absWorkingDir: project.dir,
      entryPoints: ['src/main.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outdir: 'dist',
      external: ['smart-cache'],
      alias: { 'rate-lib': './src/lib/rate.ts' },
      define: { __KEY__: JSON.stringify(SECRET) },
      plugins: [plugin()],
      logLevel: 'silent',
    })
    const manifest = readBuildManifest(project.dir, 'dist')
    expect(Object.keys(manifest.engine)).toEqual(['default'])
    expect(manifest.engine.default.entries).toEqual(['src/main.ts'])
    const expected: string = manifest.functions['src/main.ts#f'].fingerprint
    expect(await fingerprintOf(project.dir, 'src/main.ts#f')).toBe(expected)
    const explained = (await cli(project.dir, 'explain', 'src/main.ts#f')).stdout
    expect(explained.split('\n')[0]).toBe('engine options: node_modules/.cache/smart-cache/manifests/dist.json (environment default)')
    expect(explained).toMatch(/─ src\/lib\/rate\.ts#rate {2}hash /)
    expect(readFileSync(manifestFileFor(project.dir, 'dist'), 'utf8')).not.toContain(SECRET)
  })
})
