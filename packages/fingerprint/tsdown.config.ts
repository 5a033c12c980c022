import { defineConfig } from 'tsdown'

export default defineConfig({
  // The worker is its own entry: the engine starts it from `dist/worker.mjs`.
  entry: { index: 'src/index.ts', worker: 'src/analyze/worker.ts' },
  format: 'esm',
  platform: 'node',
  dts: true,
  sourcemap: true,
})
