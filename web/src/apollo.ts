import { ApolloClient, HttpLink } from '@apollo/client/core'
import { NoCache } from './no-cache.js'
import type { ApolloLink } from '@apollo/client/core'
import type { AppConfig } from './config.js'

/** The network link to the API: every request carries the API key in `x-api-key`, as AppSync expects. */
export function createApiLink(config: AppConfig): ApolloLink {
  return new HttpLink({ uri: config.apiUrl, headers: { 'x-api-key': config.apiKey } })
}

/** The Apollo client the app uses, over `link` (the API link, or a scripted one in tests). */
export function createApiClient(link: ApolloLink): ApolloClient<unknown> {
  return new ApolloClient({
    link,
    cache: new NoCache(),
    // Every call changes server state; nothing is worth caching.
    defaultOptions: { mutate: { fetchPolicy: 'no-cache' } },
  })
}
