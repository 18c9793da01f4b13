// The web app's build and dev server. `npm run build:web` writes web/dist, which the local
// stack serves at http://localhost:4000/ and CDK uploads; `npm run dev:web` serves it with hot
// reload and forwards /graphql to the local API.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const apiTarget = process.env.LOCAL_API_ORIGIN ?? 'http://localhost:4000'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs: the same build works at any path (local stack, CloudFront, S3).
  base: './',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: { '/graphql': { target: apiTarget, changeOrigin: true } },
  },
})
