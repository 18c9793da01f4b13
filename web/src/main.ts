import { createApp } from 'vue'
import type { ApolloClient } from '@apollo/client/core'
import { DefaultApolloClient } from '@vue/apollo-composable'
import App from './App.vue'
import { createApiClient, createApiLink } from './apollo.js'
import { loadConfig } from './config.js'
import './styles/main.css'

async function start(): Promise<void> {
  const props: { appName: string; configError?: string } = { appName: 'Email verification' }
  let client: ApolloClient<unknown> | undefined
  try {
    const config = await loadConfig(import.meta.env)
    client = createApiClient(createApiLink(config))
    if (config.appName) props.appName = config.appName
  } catch (error) {
    props.configError = error instanceof Error ? error.message : 'The app could not start.'
  }
  const app = createApp(App, props)
  if (client) app.provide(DefaultApolloClient, client)
  app.mount('#app')
}

void start()
