import smartCache from 'unplugin-smart-cache/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [smartCache()],
  build: {
    ssr: 'src/server.ts',
    outDir: 'dist',
    target: 'node20',
    rollupOptions: { output: { entryFileNames: 'server.mjs' } },
  },
  // The runtime stays a package import, so Node picks its filesystem storage by export condition.
  ssr: { external: ['smart-cache'] },
})
