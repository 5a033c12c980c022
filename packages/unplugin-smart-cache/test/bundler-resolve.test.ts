// Each bundler's resolve options as the engine's `resolve`: what the bundle reads is what the
// engine fingerprints. (The end-to-end proof, real bundlers and edits: tests/plugin-aliases.test.ts.)
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { esbuildResolve, nodeResolve, viteResolve, webpackResolve } from '../src/core/bundler-resolve.js'

describe('viteResolve', () => {
  const config = {
    isProduction: true,
    resolve: {
      alias: [
        { find: '~lib', replacement: '/app/src/lib' },
        { find: /^virtual:(.*)$/, replacement: '/app/v/$1', customResolver: () => null },
      ],
    },
    environments: {
      client: { resolve: { conditions: ['module', 'browser', 'development|production'], mainFields: ['browser', 'module'] } },
      ssr: { resolve: { conditions: ['source', 'node', 'development|production'], mainFields: ['module'] } },
    },
  }

  it("takes the environment's conditions (the mode filled in) and main fields, `main` last", () => {
    expect(viteResolve(config, 'ssr').environments).toEqual([
      { conditions: ['source', 'node', 'production'], mainFields: ['module', 'main'] },
    ])
    expect(viteResolve({ ...config, isProduction: false }, 'client').environments).toEqual([
      { conditions: ['module', 'browser', 'development'], mainFields: ['browser', 'module', 'main'] },
    ])
  })

  it('keeps the aliases in order; one with a custom resolver cannot be followed (null)', () => {
    expect(viteResolve(config, 'client').alias).toEqual([
      { find: '~lib', replacement: '/app/src/lib' },
      { find: /^virtual:(.*)$/, replacement: null },
    ])
  })

  it('Vite 5 (no environments): `resolve` for the client, `ssr.resolve` for ssr', () => {
    const v5 = { resolve: { conditions: ['worker'] }, ssr: { resolve: { conditions: ['edge'] } } }
    expect(viteResolve(v5, 'client').environments![0]!.conditions).toEqual(['worker'])
    expect(viteResolve(v5, 'ssr').environments![0]!.conditions).toEqual(['edge'])
  })
})

describe('esbuildResolve', () => {
  it('a relative alias resolves from the working directory; the platform adds its condition, `module` unless conditions are set', () => {
    const r = esbuildResolve({ absWorkingDir: '/app', platform: 'node', alias: { '~lib': './src/lib', react: 'preact/compat' } }, '/cwd')
    expect(r.alias).toEqual([
      { find: '~lib', replacement: join('/app', 'src/lib') },
      { find: 'react', replacement: 'preact/compat' },
    ])
    expect(r.environments).toEqual([{ conditions: ['module', 'node'], mainFields: ['main', 'module'] }])
    expect(esbuildResolve({ conditions: ['custom'] }, '/cwd').environments).toEqual([
      { conditions: ['custom', 'browser'], mainFields: ['browser', 'module', 'main'] },
    ])
  })
})

describe('webpackResolve', () => {
  it('`name$` is exact, false or several alternatives cannot be followed, relative targets resolve from the context', () => {
    const r = webpackResolve(
      { alias: { utils$: './src/utils.ts', '@': '/app/src', gone: false, many: ['/a', '/b'], one: ['/only'] } },
      { browser: true, mode: 'development', bundler: 'webpack' },
      '/app',
    )
    expect(r.alias).toEqual([
      { find: /^utils$/, replacement: join('/app', 'src/utils.ts') },
      { find: '@', replacement: '/app/src' },
      { find: 'gone', replacement: null },
      { find: 'many', replacement: null },
      { find: 'one', replacement: '/only' },
    ])
    expect(r.environments).toEqual([
      { conditions: ['webpack', 'development', 'browser', 'module'], mainFields: ['browser', 'module', 'main'] },
    ])
  })

  it('conditionNames (plus `module` for webpack), mainFields and extensionAlias as given', () => {
    const r = webpackResolve(
      { conditionNames: ['source', 'node'], mainFields: ['main'], extensionAlias: { '.js': ['.ts', '.js'], '.mjs': '.mts' } },
      { browser: false, bundler: 'webpack' },
      '/app',
    )
    expect(r).toMatchObject({
      environments: [{ conditions: ['source', 'node', 'module'], mainFields: ['main'] }],
      extensionAlias: { '.js': ['.ts', '.js'], '.mjs': ['.mts'] },
    })
    expect(webpackResolve(undefined, { browser: false, bundler: 'rolldown' }, '/app').environments).toEqual([
      { conditions: ['node', 'module'], mainFields: ['module', 'main'] },
    ])
  })
})

describe('nodeResolve (the Node loader)', () => {
  it('node, module-sync where require() loads ES modules, --conditions/-C from the command line and NODE_OPTIONS; main only', () => {
    expect(nodeResolve(['--conditions=source', '-C', 'dev', '--enable-source-maps'], '--max-old-space-size=4096 -C=edge', true)).toEqual({
      environments: [{ conditions: ['node', 'module-sync', 'source', 'dev', 'edge'], mainFields: ['main'] }],
    })
    expect(nodeResolve([], undefined, false).environments).toEqual([{ conditions: ['node'], mainFields: ['main'] }])
  })
})
