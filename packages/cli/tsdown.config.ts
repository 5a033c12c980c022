import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'node',
  dts: true,
  sourcemap: true,
  // package.json `exports` are written from the entries.
  exports: true,
})
