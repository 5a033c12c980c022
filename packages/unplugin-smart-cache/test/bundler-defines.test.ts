// Each bundler's build-time replacements as the engine's `defines` (the end-to-end proof, a Vite
// build whose define or .env value changes: tests/plugin-build-constants.test.ts).
import { describe, expect, it } from 'vitest'
import { viteDefines, webpackDefines } from '../src/core/bundler-defines.js'

describe('viteDefines', () => {
  it('define as code, import.meta.env.* as JSON, SSR as the environment has it', () => {
    const config = { define: { __RATE__: '2', __FLAG__: true }, env: { MODE: 'production', VITE_RATE: '3', SSR: false } }
    expect(viteDefines(config, 'ssr')).toEqual({
      __RATE__: '2',
      __FLAG__: 'true',
      'import.meta.env.MODE': '"production"',
      'import.meta.env.VITE_RATE': '"3"',
      'import.meta.env.SSR': 'true',
    })
    expect(viteDefines(config, 'client')['import.meta.env.SSR']).toBe('false')
  })
})

describe('webpackDefines', () => {
  class DefinePlugin {
    constructor(readonly definitions: object) {}
  }

  it("every DefinePlugin's definitions (nested objects as dotted keys) and process.env.NODE_ENV from the mode", () => {
    const options = { mode: 'development', plugins: [new DefinePlugin({ __RATE__: '2', 'process.env': { API: '"x"' } }), {}] }
    expect(webpackDefines(options)).toEqual({ 'process.env.NODE_ENV': '"development"', __RATE__: '2', 'process.env.API': '"x"' })
    expect(webpackDefines({ optimization: { nodeEnv: false } })).toEqual({})
  })
})
