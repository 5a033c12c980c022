import { defineConfig } from 'tsdown'

export default defineConfig({
  // Workers are entries of their own: the engine starts them from `dist/worker.mjs` and `dist/facts-worker.mjs`.
  entry: { 'index': 'src/index.ts', 'worker': 'src/analyze/worker.ts', 'facts-worker': 'src/facts-worker.ts' },
  format: 'esm',
  platform: 'node',
  dts: true,
  sourcemap: true,
})
