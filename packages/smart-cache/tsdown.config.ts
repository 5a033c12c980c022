import { defineConfig } from 'tsdown'

// One build (no clean races): `node` and `browser` are picked by package.json export conditions.
export default defineConfig({
  entry: {
    node: 'src/node.ts',
    browser: 'src/browser.ts',
    store: 'src/store.ts',
    'drivers/fs': 'src/drivers/fs.ts',
    'drivers/lmdb': 'src/drivers/lmdb.ts',
    register: 'src/register.ts',
  },
  format: 'esm',
  platform: 'neutral',
  // Node built-ins are only imported by the node-only entries (node, store, drivers/fs).
  deps: { neverBundle: [/^node:/] },
  target: 'es2022',
  fixedExtension: true,
  dts: true,
  sourcemap: true,
})
