import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/vite.ts',
    'src/rollup.ts',
    'src/webpack.ts',
    'src/esbuild.ts',
    'src/rolldown.ts',
    'src/rspack.ts',
    'src/node/register.ts',
    'src/node/hooks.ts',
    'src/node/worker.ts',
  ],
  format: 'esm',
  platform: 'node',
  dts: true,
  sourcemap: true,
  // package.json `exports` are written from the entries: one per bundler, and `./node` for the Node
  // loader (its hooks and worker are internal files the loader starts by path).
  exports: {
    exclude: ['node/hooks', 'node/worker'],
    customExports: ({ './node/register': loader, ...exports }) => ({ ...exports, './node': loader }),
  },
})
