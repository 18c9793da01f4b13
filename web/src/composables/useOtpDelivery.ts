import { onScopeDispose, shallowRef, watch } from 'vue'
import { HttpLink } from '@apollo/client/core'
import { useApolloClient } from '@vue/apollo-composable'
import type { AppConfig } from '../config.js'
import { apiChannel } from '../delivery/api-channel.js'
import { watchDelivery } from '../delivery/watch-delivery.js'
import type { Delivery, DeliveryChannel } from '../delivery/watch-delivery.js'

/**
 * The API the app's client talks to, read from its link (apollo.ts `createApiLink`: an HttpLink
 * with the URL and the `x-api-key` header), so that the first visit's code need not pass it on.
 * Undefined for any other link (the scripted ones of component tests).
 */
function apiOf(link: unknown): AppConfig | undefined {
  if (!(link instanceof HttpLink)) return undefined
  const { uri, headers } = link.options
  const apiKey = (headers as Record<string, string> | undefined)?.['x-api-key']
  return typeof uri === 'string' && apiKey ? { apiUrl: uri, apiKey } : undefined
}

/**
 * The delivery state of the session `sessionId` names, live (see `watchDelivery`): null until the
 * first answer. A new session id (a new code) starts over; leaving the scope stops everything.
 * `channelFor` replaces the API (tests); without it and without an HTTP API link, nothing is watched.
 */
export function useOtpDelivery(
  sessionId: () => string,
  channelFor?: (sessionId: string) => DeliveryChannel,
) {
  const delivery = shallowRef<Delivery | null>(null)
  let channel = channelFor
  if (!channel) {
    const client = useApolloClient().resolveClient()
    const api = apiOf(client.link)
    if (api) channel = (id) => apiChannel(client, id, api)
  }
  const channelOf = channel
  let stop = () => {}
  if (channelOf)
    watch(
      sessionId,
      (id) => {
        stop()
        delivery.value = null
        stop = watchDelivery(channelOf(id), (next) => (delivery.value = next))
      },
      { immediate: true },
    )
  onScopeDispose(() => stop())
  return { delivery }
}
