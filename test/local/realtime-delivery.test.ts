/**
 * Delivery truth end to end in Node (S14): after `requestOtp`, both Lambdas of the local stack
 * publish each transition with SigV4 (as on AWS, through `API_URL` and their role), and AWS's own
 * subscription client (aws-appsync-subscription-link 3.x, API key) receives them; a subscriber that
 * comes late reads the same state from `otpDelivery`. A publish that AppSync refuses is logged
 * without an address and fails nothing.
 */
import { ApolloClient, ApolloLink, InMemoryCache, gql } from '@apollo/client/core'
import { randomBytes } from 'node:crypto'
import { AUTH_TYPE, createAuthLink } from 'aws-appsync-auth-link'
import { CONTROL_EVENTS_KEY, createSubscriptionHandshakeLink } from 'aws-appsync-subscription-link'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { DELIVERY_STATUS_RANK, type OtpDeliveryStatus } from '../../infra/model.js'
import type { LocalStack } from '../../infra/local/stack.js'
import { deliveryPublisher } from '../../functions/shared/publish-delivery.js'
import { graphql, useLocalStack } from '../support/local-stack.js'
import { REQUEST_OTP } from '../otp/operations.js'

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
const OTP_DELIVERY = /* GraphQL */ `
  query Delivery($sessionId: ID!) {
    otpDelivery(sessionId: $sessionId) {
      sessionId
      status
      at
      reason
    }
  }
`

interface Delivery {
  sessionId: string
  status: OtpDeliveryStatus
  at: string
  reason: string | null
}

const local = useLocalStack({ settings: { resendCooldownSeconds: 0 } })
const globals = globalThis as { WebSocket?: unknown }
const browserWebSocket = globals.WebSocket
let client: ApolloClient<unknown>
let placeholder: { unsubscribe(): void } | undefined

// The link opens `new WebSocket(url, protocols)`; in Node that is the `ws` package.
beforeAll(async () => {
  globals.WebSocket = WebSocket
  const stack = local.stack()
  const config = {
    url: stack.urls.api,
    region: stack.iam.region,
    auth: { type: AUTH_TYPE.API_KEY, apiKey: stack.apiKey } as const,
  }
  client = new ApolloClient({
    link: ApolloLink.from([createAuthLink(config), createSubscriptionHandshakeLink(config)]),
    cache: new InMemoryCache(),
  })
  // Keeps the socket open, so that subscribing to a new session is one round trip on it: a session
  // id exists only once requestOtp answers, and its mail leaves after the stream is next polled.
  placeholder = await subscribe(randomBytes(16).toString('hex'))
})
afterAll(() => {
  placeholder?.unsubscribe()
  client?.stop()
  globals.WebSocket = browserWebSocket
})

/** Subscribes to one session; resolves once the server acknowledged the subscription. */
async function subscribe(sessionId: string) {
  const updates: Delivery[] = []
  const waiting: { match: (d: Delivery) => boolean; resolve(d: Delivery): void }[] = []
  let ready!: () => void
  const acknowledged = new Promise<void>((resolve) => (ready = resolve))
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
        const delivery = (result.data as { onOtpDelivery: Delivery }).onOtpDelivery
        updates.push(delivery)
        for (const w of waiting.filter((w) => w.match(delivery))) w.resolve(delivery)
      },
    })
  await acknowledged
  return {
    updates,
    /** The first update (past or future) that `match` accepts. */
    until: (match: (d: Delivery) => boolean) =>
      updates.find(match) ?? new Promise<Delivery>((resolve) => waiting.push({ match, resolve })),
    unsubscribe: () => subscription.unsubscribe(),
  }
}

async function requestCode(stack: LocalStack, email: string) {
  const body = await graphql(stack, REQUEST_OTP, { email })
  expect(body.errors).toBeUndefined()
  return body.data.requestOtp.sessionId as string
}

const final = (status: OtpDeliveryStatus) => (d: Delivery) => d.status === status

describe('Delivery updates from the Lambdas to aws-appsync-subscription-link (S14)', () => {
  it('pushes DELIVERED for success@simulator.amazonses.com, after SENT if SENT came first, and never backwards', async () => {
    const stack = local.stack()
    const sessionId = await requestCode(stack, 'success@simulator.amazonses.com')
    const watch = await subscribe(sessionId)
    try {
      const delivered = await watch.until(final('DELIVERED'))

      expect(delivered).toMatchObject({ sessionId, status: 'DELIVERED', reason: null })
      expect(Number.isNaN(Date.parse(delivered.at))).toBe(false)
      const ranks = watch.updates.map((d) => DELIVERY_STATUS_RANK[d.status])
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
      expect(watch.updates.every((d) => d.sessionId === sessionId)).toBe(true)
    } finally {
      watch.unsubscribe()
    }
  })

  it('pushes BOUNCED with the machine reason for bounce@simulator.amazonses.com', async () => {
    const stack = local.stack()
    const sessionId = await requestCode(stack, 'bounce@simulator.amazonses.com')
    const watch = await subscribe(sessionId)
    try {
      const bounced = await watch.until(final('BOUNCED'))

      expect(bounced).toMatchObject({
        sessionId,
        status: 'BOUNCED',
        reason: 'MAILBOX_DOES_NOT_EXIST',
      })
      expect(JSON.stringify(watch.updates)).not.toContain('@')
    } finally {
      watch.unsubscribe()
    }
  })

  it('lets a subscriber that comes after the last update read it from otpDelivery', async () => {
    const stack = local.stack()
    const sessionId = await requestCode(stack, 'success@simulator.amazonses.com')
    const early = await subscribe(sessionId)
    const delivered = await early.until(final('DELIVERED'))
    early.unsubscribe()

    const late = await subscribe(sessionId)
    const body = await graphql(stack, OTP_DELIVERY, { sessionId })
    late.unsubscribe()

    expect(body.data.otpDelivery).toEqual({
      sessionId,
      status: 'DELIVERED',
      at: delivered.at,
      reason: null,
    })
    expect(late.updates).toEqual([])
  })
})

describe('Function: deliveryPublisher', () => {
  it('logs a publish AppSync refuses (wrong credentials) with the session and status only, and resolves', async () => {
    const stack = local.stack()
    const lines: string[] = []
    const publish = deliveryPublisher({
      apiUrl: stack.urls.api,
      region: stack.iam.region,
      credentials: { accessKeyId: stack.iam.accessKeyId, secretAccessKey: 'not-the-secret' },
      logger: { warn: (message, fields) => lines.push(JSON.stringify({ message, ...fields })) },
    })
    const sessionId = randomBytes(16).toString('hex')

    await expect(
      publish({ sessionId, status: 'BOUNCED', at: Date.now(), reason: 'MAILBOX_FULL' }),
    ).resolves.toBeUndefined()

    expect(lines.map((l) => JSON.parse(l))).toEqual([
      {
        message: 'delivery update not published',
        sessionId,
        status: 'BOUNCED',
        error: 'HTTP_403',
      },
    ])
  })

  it('logs a publish that cannot reach the API, and resolves', async () => {
    const stack = local.stack()
    const lines: Record<string, unknown>[] = []
    const publish = deliveryPublisher({
      apiUrl: 'http://127.0.0.1:9/graphql',
      region: stack.iam.region,
      credentials: stack.iam,
      logger: { warn: (message, fields) => lines.push({ message, ...fields }) },
    })

    await publish({ sessionId: 'a'.repeat(32), status: 'SENT', at: Date.now() })

    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ message: 'delivery update not published', status: 'SENT' })
  })
})
