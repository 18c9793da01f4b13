import { ApolloClient, HttpLink } from '@apollo/client/core'
import type { ApolloLink } from '@apollo/client/core'
import type { AppConfig } from './config.js'
import { NoCache } from './no-cache.js'

/** The network link to the API: every request carries the API key in `x-api-key`, as AppSync expects. */
export function createApiLink(config: AppConfig): ApolloLink {
  return new HttpLink({ uri: config.apiUrl, headers: { 'x-api-key': config.apiKey } })
}

/** The Apollo client the app uses, over `link` (the API link, or a scripted one in tests). */
export function createApiClient(link: ApolloLink): ApolloClient<unknown> {
  return new ApolloClient({
    link,
    // Every call changes server state and skips the cache: see NoCache.
    cache: new NoCache(),
    defaultOptions: {
      mutate: { fetchPolicy: 'no-cache' },
      query: { fetchPolicy: 'no-cache' },
      watchQuery: { fetchPolicy: 'no-cache' },
    },
  })
}
