// The example's page: the product's Vite configuration (Vue, the compiled messages, the same
// build settings) with this folder as the root. It imports the product's components and
// composable from web/src; `npm run example:two-step` builds it into dist/.
import { fileURLToPath } from 'node:url'
import { mergeConfig } from 'vite'
import productConfig from '../../../web/vite.config.ts'

export default mergeConfig(productConfig, {
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: { manifest: false },
})
