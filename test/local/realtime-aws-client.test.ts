/**
 * AWS's own real-time client against the local stack, unchanged: aws-appsync-subscription-link 3.x
 * (the one for Apollo Client 3) in Node, with `ws` as its WebSocket. It derives
 * `ws://localhost:<port>/graphql/realtime` from the GraphQL URL, as for an AppSync custom domain.
 */
import { ApolloClient, ApolloLink, InMemoryCache, gql } from '@apollo/client/core'
import { randomBytes } from 'node:crypto'
import { AUTH_TYPE, createAuthLink, type AuthOptions } from 'aws-appsync-auth-link'
import { CONTROL_EVENTS_KEY, createSubscriptionHandshakeLink } from 'aws-appsync-subscription-link'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { LocalStack } from '../../infra/local/stack.js'
import { signedGraphql, useLocalStack } from '../support/local-stack.js'

const ON_DELIVERY = gql`
  subscription OnDelivery($sessionId: ID!) {
    onOtpDelivery(sessionId: $sessionId) {
      sessionId
      status
      at
      reason
    }
  }
`
const PUBLISH = /* GraphQL */ `
  mutation Publish($sessionId: ID!, $status: OtpDeliveryStatus!, $at: AWSDateTime!) {
    publishOtpDelivery(sessionId: $sessionId, status: $status, at: $at) {
      sessionId
      status
      at
      reason
    }
  }
`

const local = useLocalStack({ email: false })
const clients: ApolloClient<unknown>[] = []
const globals = globalThis as { WebSocket?: unknown }
const browserWebSocket = globals.WebSocket

// The link opens `new WebSocket(url, protocols)`; in Node that is the `ws` package.
beforeAll(() => {
  globals.WebSocket = WebSocket
})
afterAll(() => {
  for (const client of clients) client.stop()
  globals.WebSocket = browserWebSocket
})

const newSessionId = () => randomBytes(16).toString('hex')

function apolloClient(stack: LocalStack, auth: AuthOptions): ApolloClient<unknown> {
  const config = { url: stack.urls.api, region: stack.iam.region, auth }
  const client = new ApolloClient({
    link: ApolloLink.from([createAuthLink(config), createSubscriptionHandshakeLink(config)]),
    cache: new InMemoryCache(),
  })
  clients.push(client)
  return client
}

interface Watch {
  /** Resolves once the server acknowledged the subscription (start_ack). */
  ready: Promise<void>
  /** Resolves with the subscription's error. */
  failed: Promise<unknown>
  /** Every update received, in order. */
  updates: { sessionId: string; status: string }[]
  /** Resolves once `count` updates have arrived. */
  received(count: number): Promise<void>
  unsubscribe(): void
}

function watch(client: ApolloClient<unknown>, sessionId: string): Watch {
  const updates: Watch['updates'] = []
  const waiting: { count: number; resolve(): void }[] = []
  let ready!: () => void
  let failed!: (error: unknown) => void
  const watched = {
    ready: new Promise<void>((resolve) => (ready = resolve)),
    failed: new Promise<unknown>((resolve) => (failed = resolve)),
  }
  const subscription = client
    .subscribe({
      query: ON_DELIVERY,
      variables: { sessionId },
      fetchPolicy: 'no-cache',
      context: { controlMessages: { [CONTROL_EVENTS_KEY]: true } },
    })
    .subscribe({
      next: (result) => {
        if (result.extensions?.controlMsgType === 'CONNECTED') return ready()
        const { onOtpDelivery } = result.data as { onOtpDelivery: Watch['updates'][number] }
        updates.push({ sessionId: onOtpDelivery.sessionId, status: onOtpDelivery.status })
        for (const w of waiting.filter((w) => updates.length >= w.count)) w.resolve()
      },
      error: failed,
    })
  return {
    ...watched,
    updates,
    received: (count) =>
      updates.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiting.push({ count, resolve })),
    unsubscribe: () => subscription.unsubscribe(),
  }
}

async function publish(stack: LocalStack, sessionId: string, status: string): Promise<void> {
  const body = await signedGraphql(stack, PUBLISH, {
    sessionId,
    status,
    at: '2030-01-01T00:00:00Z',
  })
  expect(body.errors).toBeUndefined()
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('aws-appsync-subscription-link 3.x with Apollo Client 3 against the local stack', () => {
  it('receives, with the API key, the updates a backend publishes with SigV4 for its session and none of another', async () => {
    const stack = local.stack()
    const client = apolloClient(stack, { type: AUTH_TYPE.API_KEY, apiKey: stack.apiKey })
    const [mine, other] = [newSessionId(), newSessionId()]
    const ownWatch = watch(client, mine)
    const otherWatch = watch(client, other)
    try {
      await Promise.all([ownWatch.ready, otherWatch.ready])

      await publish(stack, other, 'SENT')
      await publish(stack, mine, 'SENT')
      await publish(stack, mine, 'DELIVERED')
      await Promise.all([ownWatch.received(2), otherWatch.received(1)])

      expect(ownWatch.updates).toEqual([
        { sessionId: mine, status: 'SENT' },
        { sessionId: mine, status: 'DELIVERED' },
      ])
      expect(otherWatch.updates).toEqual([{ sessionId: other, status: 'SENT' }])
    } finally {
      ownWatch.unsubscribe()
      otherWatch.unsubscribe()
    }
  })

  it('subscribes with IAM credentials as well (SigV4 on the connection and on the start)', async () => {
    const stack = local.stack()
    const client = apolloClient(stack, {
      type: AUTH_TYPE.AWS_IAM,
      credentials: {
        accessKeyId: stack.iam.accessKeyId,
        secretAccessKey: stack.iam.secretAccessKey,
      },
    })
    const sessionId = newSessionId()
    const watched = watch(client, sessionId)
    try {
      await watched.ready

      await publish(stack, sessionId, 'BOUNCED')
      await watched.received(1)

      expect(watched.updates).toEqual([{ sessionId, status: 'BOUNCED' }])
    } finally {
      watched.unsubscribe()
    }
  })

  it('stops the subscription on the server when the observer unsubscribes', async () => {
    const stack = local.stack()
    const client = apolloClient(stack, { type: AUTH_TYPE.API_KEY, apiKey: stack.apiKey })
    // The earlier tests' subscriptions are stopped by now, or soon.
    await until(() => stack.graphql.subscriptionCount() === 0)
    const watched = watch(client, newSessionId())
    await watched.ready
    expect(stack.graphql.subscriptionCount()).toBe(1)

    watched.unsubscribe()

    await until(() => stack.graphql.subscriptionCount() === 0)
  })

  it('reaches the observer with UnauthorizedException for a wrong API key', async () => {
    const stack = local.stack()
    const client = apolloClient(stack, { type: AUTH_TYPE.API_KEY, apiKey: 'da2-not-the-key' })

    const error = await watch(client, newSessionId()).failed

    expect(JSON.stringify(error)).toContain('Connection failed: UnauthorizedException')
  })
})
