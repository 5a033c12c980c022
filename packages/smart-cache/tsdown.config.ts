import { defineConfig } from 'tsdown'

export default defineConfig([
  {
    entry: { node: 'src/node.ts', store: 'src/store.ts', 'drivers/fs': 'src/drivers/fs.ts' },
    format: 'esm',
    platform: 'node',
    fixedExtension: true,
    dts: true,
    sourcemap: true,
  },
  {
    entry: { browser: 'src/browser.ts' },
    format: 'esm',
    platform: 'browser',
    fixedExtension: true,
    clean: false,
    dts: true,
    sourcemap: true,
  },
])
