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
  // empathic is bundled so that only what the store location uses remains (its `resolve` module's
  // createRequire(...).resolve(expression) made webpack warn "Critical dependency" in apps bundling the runtime).
  deps: { neverBundle: [/^node:/], alwaysBundle: [/^empathic\//] },
  target: 'es2022',
  fixedExtension: true,
  dts: true,
  sourcemap: true,
  // package.json `exports` are written from the entries, but `.`, which export conditions split by
  // platform: Node gets `node`, browsers and the rest `browser` (types: Node's, or the browser typing).
  exports: {
    customExports: ({ './node': node, './browser': browser, ...subpaths }) => ({
      '.': {
        types: './dist/node.d.mts',
        browser: { types: './dist/browser.d.mts', default: browser },
        node,
        default: browser,
      },
      ...subpaths,
    }),
  },
})
