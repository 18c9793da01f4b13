import { createApp } from 'vue'
import { DefaultApolloClient } from '@vue/apollo-composable'
import { createApiClient, createApiLink } from '../../../../web/src/apollo.js'
import { loadConfig } from '../../../../web/src/config.js'
import { createAppI18n, switchLocale } from '../../../../web/src/i18n/setup.js'
import '../../../../web/src/styles/main.css'
import App from './App.vue'

/**
 * The relying app's page. The OTP API's URL and public key come from this app's server
 * (`/config.json`); no other secret reaches the browser. The product's components speak English
 * here, as the example's own words do.
 */
async function start(): Promise<void> {
  const i18n = createAppI18n('en')
  const [config] = await Promise.all([loadConfig({}), switchLocale(i18n.global, 'en')])
  document.title = 'Sign in'
  createApp(App, { appName: config.appName })
    .use(i18n)
    .provide(DefaultApolloClient, createApiClient(createApiLink(config)))
    .mount('#app')
}

void start()
