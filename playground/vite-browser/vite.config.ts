import smartCache from 'unplugin-smart-cache/vite'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [smartCache()],
  // Top-level await in src/main.ts.
  build: { target: 'es2022' },
  preview: { host: '127.0.0.1' },
})
