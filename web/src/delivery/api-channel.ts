/**
 * The delivery channel over the API: reads through the app's Apollo client, subscriptions through
 * AWS's own real-time client (aws-appsync-subscription-link, API key), which derives the real-time
 * URL from the GraphQL URL (`wss://…appsync-realtime-api…` on AWS, `<GraphQL URL>/realtime` for
 * any other host, such as the local stack). Only the code step's delivery chunk imports this.
 */
import type { ApolloClient } from '@apollo/client/core'
import type { AUTH_TYPE } from 'aws-appsync-auth-link'
import { createApiClient } from '../apollo.js'
import type { AppConfig } from '../config.js'
import { OnOtpDeliveryDocument, OtpDeliveryDocument } from './generated.js'
import './link-shims/fill.js'
import type { DeliveryChannel } from './watch-delivery.js'

/** The key of the control messages (CONTROL_EVENTS_KEY of aws-appsync-subscription-link). */
const CONTROL_EVENTS = '@@controlEvents'

/** One real-time client per page (one WebSocket), made on first use. */
let realtime: { config: AppConfig; client: Promise<ApolloClient<unknown>> } | undefined

function realtimeClient(config: AppConfig): Promise<ApolloClient<unknown>> {
  if (realtime?.config.apiUrl !== config.apiUrl || realtime.config.apiKey !== config.apiKey) {
    // Imported only now, after fill.js has handed it Apollo (see link-shims/).
    const client = import('aws-appsync-subscription-link').then((module) => {
      // A CommonJS package: the browser build hands its exports over as `default`.
      const { createSubscriptionHandshakeLink } = module.default ?? module
      return createApiClient(
        createSubscriptionHandshakeLink({
          url: config.apiUrl,
          // Nothing is signed with an API key; the client needs no region for it.
          region: '',
          auth: { type: 'API_KEY' as AUTH_TYPE.API_KEY, apiKey: config.apiKey },
        }),
      )
    })
    realtime = { config, client }
  }
  return realtime.client
}

/**
 * The channel for `sessionId`: `read` through `client`; `subscribe` only when `config` names the
 * API (and the browser has WebSocket).
 */
export function apiChannel(
  client: ApolloClient<unknown>,
  sessionId: string,
  config: AppConfig | undefined,
): DeliveryChannel {
  const read: DeliveryChannel['read'] = async () =>
    (await client.query({ query: OtpDeliveryDocument, variables: { sessionId } })).data
      .otpDelivery ?? null
  if (!config || typeof WebSocket === 'undefined') return { read }
  return {
    read,
    subscribe({ ready, update, drop }) {
      let stopped = false
      let subscription: { unsubscribe(): void } | undefined
      realtimeClient(config).then(
        (client) => {
          if (stopped) return
          subscription = client
            .subscribe({
              query: OnOtpDeliveryDocument,
              variables: { sessionId },
              context: { controlMessages: { [CONTROL_EVENTS]: true } },
            })
            .subscribe({
              next(result) {
                if (result.extensions?.controlMsgType === 'CONNECTED') return ready()
                const delivery = result.data?.onOtpDelivery
                if (delivery) update(delivery)
              },
              error: () => drop(),
              // The server ended it (it does not, short of a stop): treat it as a drop.
              complete: () => drop(),
            })
        },
        // The client's code did not load (offline): no real-time here.
        () => drop(),
      )
      return () => {
        stopped = true
        subscription?.unsubscribe()
      }
    },
  }
}
