import smartCache from 'unplugin-smart-cache/rollup'

/** @type {import('rollup').RollupOptions} */
export default {
  input: 'src/main.js',
  // The runtime stays a package import: its storage defaults are chosen by export conditions at run time.
  external: ['smart-cache'],
  plugins: [smartCache()],
  output: { dir: 'dist', format: 'es', entryFileNames: 'main.mjs' },
}
