import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import smartCache from 'unplugin-smart-cache/webpack'

const root = dirname(fileURLToPath(import.meta.url))

/** @type {import('webpack').Configuration} */
export default {
  mode: 'production',
  context: root,
  target: 'node20',
  entry: './src/main.js',
  output: {
    path: resolve(root, 'dist'),
    filename: 'main.mjs',
    module: true,
    chunkFormat: 'module',
    library: { type: 'module' },
    clean: true,
  },
  experiments: { outputModule: true },
  // The runtime stays a package import: its storage defaults are chosen by export conditions at run time.
  externalsType: 'module',
  externals: { 'smart-cache': 'smart-cache' },
  optimization: { minimize: false },
  plugins: [smartCache()],
}
