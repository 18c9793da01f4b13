import { createApp } from 'vue'
import type { ApolloClient } from '@apollo/client/core'
import { DefaultApolloClient } from '@vue/apollo-composable'
import App from './App.vue'
import { createApiClient, createApiLink } from './apollo.js'
import { takeCodeLink } from './code-link.js'
import { loadConfig, MissingConfigError } from './config.js'
import { matchLocale, pickLocale, storedLocale } from './i18n/locales.js'
import type { MessageKey } from './i18n/schema.js'
import { createAppI18n, switchLocale } from './i18n/setup.js'
import './styles/main.css'

async function start(): Promise<void> {
  // First of all, before anything can fail: the code leaves the address bar.
  const link = takeCodeLink()
  const configLoad = loadConfig(import.meta.env)
  // The switcher's earlier choice first, then the browser's languages; when none is shipped, the
  // deployment's default language, which only the configuration knows.
  const locale =
    matchLocale([storedLocale(), ...navigator.languages]) ??
    pickLocale([(await configLoad.catch(() => undefined))?.defaultLocale])
  const i18n = createAppI18n(locale)
  // Otherwise the configuration and the language's messages load side by side.
  const [config] = await Promise.allSettled([configLoad, switchLocale(i18n.global, locale)])
  const props: {
    appName?: string
    configError?: MessageKey
    link?: ReturnType<typeof takeCodeLink>
  } = { link }
  let client: ApolloClient<unknown> | undefined
  if (config.status === 'fulfilled') {
    client = createApiClient(createApiLink(config.value))
    props.appName = config.value.appName
  } else {
    props.configError =
      config.reason instanceof MissingConfigError ? 'app.missingConfig' : 'app.startFailed'
  }
  const app = createApp(App, props)
  app.use(i18n)
  if (client) app.provide(DefaultApolloClient, client)
  app.mount('#app')
}

void start()
