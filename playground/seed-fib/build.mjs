// esbuild build script with the smart-cache plugin.
import { build } from 'esbuild'
import smartCache from 'unplugin-smart-cache/esbuild'

await build({
  absWorkingDir: import.meta.dirname,
  entryPoints: ['src/main.js'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: 'dist/main.mjs',
  external: ['smart-cache'],
  logLevel: 'warning',
  plugins: [smartCache()],
})
