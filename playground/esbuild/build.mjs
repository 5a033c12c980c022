// esbuild has no config file: this script is its build configuration.
import { build } from 'esbuild'
import smartCache from 'unplugin-smart-cache/esbuild'

await build({
  absWorkingDir: import.meta.dirname,
  entryPoints: ['src/main.js'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: 'dist/main.mjs',
  // The runtime stays a package import: its storage defaults are chosen by export conditions at run time.
  external: ['smart-cache'],
  logLevel: 'info',
  plugins: [smartCache()],
})
