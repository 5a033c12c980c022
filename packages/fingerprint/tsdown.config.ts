import { defineConfig } from 'tsdown'

export default defineConfig({
  // The worker is its own entry: the engine starts it from `dist/worker.mjs`.
  entry: { index: 'src/index.ts', worker: 'src/analyze/parser-thread.ts' },
  format: 'esm',
  platform: 'node',
  dts: true,
  sourcemap: true,
  // package.json `exports` are written from the entries (the worker is internal: the engine starts it by path).
  exports: { exclude: ['worker'] },
})
