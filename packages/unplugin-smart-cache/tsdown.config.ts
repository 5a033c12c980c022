import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: ['src/index.ts', 'src/vite.ts', 'src/rollup.ts', 'src/webpack.ts', 'src/esbuild.ts', 'src/rolldown.ts', 'src/rspack.ts', 'src/node/register.ts', 'src/node/hooks.ts', 'src/node/worker.ts'],
  format: 'esm',
  platform: 'node',
  dts: true,
  sourcemap: true,
})
