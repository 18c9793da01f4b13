// The web app's build and dev server. `npm run build:web` writes web/dist, which the local
// stack serves at http://localhost:4000/ and CDK uploads; `npm run dev:web` serves it with hot
// reload and forwards /graphql to the local API.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import type { Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import vueI18n from '@intlify/unplugin-vue-i18n/vite'

const apiTarget = process.env.LOCAL_API_ORIGIN ?? 'http://localhost:4000'

/**
 * AWS's real-time client (aws-appsync-subscription-link, with aws-appsync-auth-link) is CommonJS.
 * Its `require`s of Apollo and graphql are pointed at src/delivery/link-shims/registry.ts, whose
 * bindings fill.ts sets from the app's own modules: requiring those ES modules instead would wrap
 * them, and all they import, in lazy initialisers inside the first visit's chunk.
 */
function appsyncLinkImports(): Plugin {
  const shared = new Set([
    '@apollo/client/core',
    '@apollo/client/link/http',
    '@apollo/client/link/context',
    '@apollo/client/utilities',
    'graphql',
    'graphql/language/printer',
  ])
  const registry = fileURLToPath(new URL('./src/delivery/link-shims/registry.ts', import.meta.url))
  return {
    name: 'appsync-link-imports',
    enforce: 'pre',
    apply: 'build',
    resolveId(source, importer) {
      return shared.has(source) && importer?.includes('/node_modules/aws-appsync-')
        ? registry
        : null
    },
  }
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs: the same build works at any path (local stack, CloudFront, S3).
  base: './',
  plugins: [
    appsyncLinkImports(),
    vue(),
    // Message files are compiled at build time and the app ships vue-i18n's runtime-only build:
    // no message compiler in the page. Built-in components are imported where used (I18nT).
    vueI18n({
      include: fileURLToPath(new URL('./src/locales/**', import.meta.url)),
      runtimeOnly: true,
      compositionOnly: true,
      fullInstall: false,
      dropMessageCompiler: true,
    }),
  ],
  define: {
    // Apollo Client strips its development checks and messages when this is false.
    'globalThis.__DEV__': 'false',
    // Every component uses <script setup>: Vue's Options API need not ship.
    __VUE_OPTIONS_API__: 'false',
    // No devtools hooks in the production page (Vue's default; vue-i18n's must be said).
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every browser the app supports preloads modules natively.
    modulePreload: { polyfill: false },
    // .vite/manifest.json: which chunks a first visit loads in each language (bench/web-sizes.ts).
    manifest: true,
  },
  server: {
    proxy: { '/graphql': { target: apiTarget, changeOrigin: true } },
  },
})
