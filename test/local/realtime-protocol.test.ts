/**
 * AppSync's real-time protocol on the local stack (ws://localhost:<port>/graphql/realtime), spoken
 * by a raw WebSocket client: the handshake with the header in the query or in a subprotocol, API
 * key and IAM on the connection and on each `start`, AppSync's error shapes, start/stop,
 * keep-alive, limits, and publications reaching only the subscribers whose arguments match.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from '../../infra/local/appsync/realtime-endpoint.js'
import type { LocalStack } from '../../infra/local/stack.js'
import { graphql, signedGraphql, useLocalStack } from '../support/local-stack.js'
import {
  apiKeyHeader,
  connectRealtime,
  iamHeader,
  startMessage,
  type RealtimeConnection,
  type RealtimeMessage,
} from '../support/realtime-client.js'

const KEEP_ALIVE_MS = 100
const local = useLocalStack({ email: false, keepAliveIntervalMs: KEEP_ALIVE_MS })

const ON_DELIVERY = /* GraphQL */ `
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
  mutation Publish(
    $sessionId: ID!
    $status: OtpDeliveryStatus!
    $at: AWSDateTime!
    $reason: String
  ) {
    publishOtpDelivery(sessionId: $sessionId, status: $status, at: $at, reason: $reason) {
      sessionId
      status
      at
      reason
    }
  }
`

const newSessionId = () => randomBytes(16).toString('hex')
const isType = (type: string, id?: string) => (m: RealtimeMessage) =>
  m.type === type && (id === undefined || m.id === id)

async function publish(
  stack: LocalStack,
  sessionId: string,
  status = 'DELIVERED',
  reason: string | null = null,
): Promise<void> {
  const body = await signedGraphql(stack, PUBLISH, {
    sessionId,
    status,
    at: '2030-01-02T03:04:05.678Z',
    reason,
  })
  expect(body.errors).toBeUndefined()
}

/** A connection authenticated with the API key, acknowledged. */
async function acknowledged(stack: LocalStack): Promise<RealtimeConnection> {
  const connection = await connectRealtime(stack, { header: apiKeyHeader(stack) })
  connection.send({ type: 'connection_init' })
  await connection.next(isType('connection_ack'))
  return connection
}

/** Starts `onOtpDelivery` for `sessionId` on `connection` and waits for its start_ack. */
async function subscribe(
  stack: LocalStack,
  connection: RealtimeConnection,
  id: string,
  sessionId: string,
): Promise<void> {
  connection.send(startMessage(id, ON_DELIVERY, { sessionId }, apiKeyHeader(stack)))
  await connection.next(isType('start_ack', id))
}

describe('Real-time endpoint: connecting', () => {
  it('acknowledges connection_init with connectionTimeoutMs 300000, then sends a first ka', async () => {
    const connection = await connectRealtime(local.stack(), { header: apiKeyHeader(local.stack()) })
    try {
      connection.send({ type: 'connection_init' })

      expect(await connection.next()).toEqual({
        type: 'connection_ack',
        payload: { connectionTimeoutMs: 300_000 },
      })
      expect(await connection.next()).toEqual({ type: 'ka' })
      expect(connection.socket.protocol).toBe('graphql-ws')
    } finally {
      await connection.close()
    }
  })

  it('reads the header from a header-<base64url> subprotocol and answers with graphql-ws alone', async () => {
    const connection = await connectRealtime(local.stack(), {
      header: apiKeyHeader(local.stack()),
      via: 'protocol',
    })
    try {
      connection.send({ type: 'connection_init' })

      expect((await connection.next()).type).toBe('connection_ack')
      expect(connection.socket.protocol).toBe('graphql-ws')
    } finally {
      await connection.close()
    }
  })

  it("reads a base64 header sent without URL encoding, '+' and '/' included (AWS's example does so)", async () => {
    const stack = local.stack()
    const header = { ...apiKeyHeader(stack), 'x-amz-user-agent': 'client/1.0 ~~~ ???' }
    const encoded = Buffer.from(JSON.stringify(header)).toString('base64')
    expect(encoded).toMatch(/[+/]/)
    const connection = await connectRealtime(stack, {
      url: `${stack.urls.realtime}?header=${encoded}&payload=e30=`,
    })
    try {
      connection.send({ type: 'connection_init' })

      expect((await connection.next()).type).toBe('connection_ack')
    } finally {
      await connection.close()
    }
  })

  it('accepts a connection signed with SigV4 over POST /graphql/connect and {}', async () => {
    const stack = local.stack()
    const header = await iamHeader(stack, { path: '/graphql/connect', body: '{}' })
    const connection = await connectRealtime(stack, { header })
    try {
      connection.send({ type: 'connection_init' })

      expect((await connection.next()).type).toBe('connection_ack')
    } finally {
      await connection.close()
    }
  })

  it.each([
    ['a wrong API key', { 'x-api-key': 'da2-not-the-key' }],
    ['no key at all', {}],
  ])(
    'answers connection_init with connection_error UnauthorizedException (401) and closes, for %s',
    async (_case, credentials) => {
      const stack = local.stack()
      const header = { host: new URL(stack.urls.api).host, ...credentials }
      const connection = await connectRealtime(stack, { header })
      connection.send({ type: 'connection_init' })

      expect(await connection.next()).toEqual({
        type: 'connection_error',
        payload: {
          errors: [
            {
              errorType: 'UnauthorizedException',
              message: 'You are not authorized to make this call.',
              errorCode: 401,
            },
          ],
        },
      })
      await connection.closed
      expect(connection.received.some((m) => m.type === 'connection_ack')).toBe(false)
    },
  )

  it('refuses a connection whose signature does not match with InvalidSignatureException (403)', async () => {
    const stack = local.stack()
    const header = await iamHeader(
      stack,
      { path: '/graphql/connect', body: '{}' },
      { secretAccessKey: 'not-the-secret' },
    )
    const connection = await connectRealtime(stack, { header })
    connection.send({ type: 'connection_init' })

    const refusal = await connection.next()

    expect(refusal.type).toBe('connection_error')
    expect(refusal.payload.errors[0]).toMatchObject({
      errorType: 'InvalidSignatureException',
      errorCode: 403,
    })
    await connection.closed
  })

  it('refuses a start on a refused connection with connection_error, never start_ack', async () => {
    const stack = local.stack()
    const connection = await connectRealtime(stack, {
      header: apiKeyHeader(stack, 'da2-not-the-key'),
    })
    connection.send(
      startMessage('1', ON_DELIVERY, { sessionId: newSessionId() }, apiKeyHeader(stack)),
    )

    expect((await connection.next()).type).toBe('connection_error')
    await connection.closed
    expect(connection.received.map((m) => m.type)).toEqual(['connection_error'])
  })

  it('refuses an upgrade without the graphql-ws subprotocol with HTTP 400', async () => {
    const stack = local.stack()

    await expect(
      connectRealtime(stack, { header: apiKeyHeader(stack), protocols: ['graphql-transport-ws'] }),
    ).rejects.toThrow('HTTP 400')
  })

  it('serves no WebSocket at any other path (HTTP 404)', async () => {
    const stack = local.stack()

    await expect(
      connectRealtime(stack, { header: apiKeyHeader(stack), url: stack.urls.api }),
    ).rejects.toThrow('HTTP 404')
  })
})

describe('Real-time endpoint: keep-alive', () => {
  it('sends ka again every keep-alive interval', async () => {
    const connection = await acknowledged(local.stack())
    try {
      for (let count = 0; count < 4; count += 1)
        expect(await connection.next(isType('ka'), 20 * KEEP_ALIVE_MS)).toEqual({ type: 'ka' })
    } finally {
      await connection.close()
    }
  })

  it('keeps a client that sends nothing after connection_init connected, with ka all along', async () => {
    const connection = await acknowledged(local.stack())
    try {
      const started = Date.now()
      await connection.next(isType('ka'))
      while (Date.now() - started < 6 * KEEP_ALIVE_MS) await connection.next(isType('ka'))

      expect(connection.socket.readyState).toBe(connection.socket.OPEN)
    } finally {
      await connection.close()
    }
  })
})

describe('Real-time endpoint: start and stop', () => {
  it('acknowledges a start, delivers a publication of its session as data, and completes on stop', async () => {
    const stack = local.stack()
    const sessionId = newSessionId()
    const connection = await acknowledged(stack)
    try {
      await subscribe(stack, connection, 'sub-1', sessionId)

      await publish(stack, sessionId, 'BOUNCED', 'MAILBOX_DOES_NOT_EXIST')
      const data = await connection.next(isType('data'))
      connection.send({ type: 'stop', id: 'sub-1' })
      const complete = await connection.next(isType('complete'))

      expect(data).toEqual({
        type: 'data',
        id: 'sub-1',
        payload: {
          data: {
            onOtpDelivery: {
              sessionId,
              status: 'BOUNCED',
              at: '2030-01-02T03:04:05.678Z',
              reason: 'MAILBOX_DOES_NOT_EXIST',
            },
          },
        },
      })
      expect(complete).toEqual({ type: 'complete', id: 'sub-1' })
    } finally {
      await connection.close()
    }
  })

  it('sends nothing to a stopped subscription', async () => {
    const stack = local.stack()
    const sessionId = newSessionId()
    const connection = await acknowledged(stack)
    try {
      await subscribe(stack, connection, 'stopped', sessionId)
      connection.send({ type: 'stop', id: 'stopped' })
      await connection.next(isType('complete', 'stopped'))
      await subscribe(stack, connection, 'still-on', sessionId)

      await publish(stack, sessionId)
      await connection.next(isType('data', 'still-on'))

      // Both would be served by the same publication, the older one first.
      expect(connection.received.filter(isType('data')).map((m) => m.id)).toEqual(['still-on'])
    } finally {
      await connection.close()
    }
  })

  it('accepts a start signed with SigV4 over POST /graphql and its data', async () => {
    const stack = local.stack()
    const sessionId = newSessionId()
    const connection = await acknowledged(stack)
    try {
      const message = startMessage('iam', ON_DELIVERY, { sessionId }, {})
      message.payload.extensions.authorization = await iamHeader(stack, {
        path: '/graphql',
        body: message.payload.data as string,
      })
      connection.send(message)

      expect(await connection.next((m) => m.type !== 'ka')).toEqual({
        type: 'start_ack',
        id: 'iam',
      })
    } finally {
      await connection.close()
    }
  })

  it('refuses a start carrying a wrong API key with error UnauthorizedException, and publishes nothing to it', async () => {
    const stack = local.stack()
    const sessionId = newSessionId()
    const connection = await acknowledged(stack)
    try {
      connection.send(
        startMessage('bad-key', ON_DELIVERY, { sessionId }, apiKeyHeader(stack, 'da2-wrong')),
      )
      const refusal = await connection.next(isType('error'))
      await subscribe(stack, connection, 'good', sessionId)
      await publish(stack, sessionId)
      await connection.next(isType('data', 'good'))

      expect(refusal).toEqual({
        type: 'error',
        id: 'bad-key',
        payload: {
          errors: [
            {
              errorType: 'UnauthorizedException',
              message: 'You are not authorized to make this call.',
              errorCode: 401,
            },
          ],
        },
      })
      expect(connection.received.filter(isType('data')).map((m) => m.id)).toEqual(['good'])
    } finally {
      await connection.close()
    }
  })

  it.each([
    [
      'a field the schema lacks',
      'subscription { onNothing(sessionId: "x") { status } }',
      "Validation error of type FieldUndefined: Field 'onNothing' in type 'Subscription' is undefined @ 'onNothing'",
    ],
    [
      'a syntax error',
      'subscription { onOtpDelivery(sessionId: "x") { status }',
      'Invalid Syntax : Expected Name, found <EOF>.',
    ],
  ])(
    'refuses a start with %s as the HTTP endpoint refuses the query',
    async (_case, query, message) => {
      const stack = local.stack()
      const connection = await acknowledged(stack)
      try {
        connection.send(startMessage('invalid', query, {}, apiKeyHeader(stack)))

        const refusal = await connection.next(isType('error'))

        expect(refusal.id).toBe('invalid')
        expect(refusal.payload.errors).toHaveLength(1)
        expect(refusal.payload.errors[0]).toMatchObject({ path: null, message })
      } finally {
        await connection.close()
      }
    },
  )

  it('refuses a query or a mutation on the real-time channel with UnsupportedOperation', async () => {
    const stack = local.stack()
    const connection = await acknowledged(stack)
    try {
      connection.send(startMessage('q', '{ __typename }', {}, apiKeyHeader(stack)))

      expect(await connection.next(isType('error'))).toEqual({
        type: 'error',
        id: 'q',
        payload: {
          errors: [
            {
              errorType: 'UnsupportedOperation',
              message: 'query not supported through the realtime channel',
            },
          ],
        },
      })
    } finally {
      await connection.close()
    }
  })

  it('answers a message type it does not know with an UnsupportedOperation error without id', async () => {
    const connection = await acknowledged(local.stack())
    try {
      connection.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { x }' } })

      expect(await connection.next(isType('error'))).toEqual({
        type: 'error',
        payload: {
          errors: [
            {
              errorType: 'UnsupportedOperation',
              message: 'unknown not supported through the realtime channel',
            },
          ],
        },
      })
    } finally {
      await connection.close()
    }
  })

  it('refuses a second start with an id already in use', async () => {
    const stack = local.stack()
    const connection = await acknowledged(stack)
    try {
      await subscribe(stack, connection, 'same', newSessionId())
      connection.send(
        startMessage('same', ON_DELIVERY, { sessionId: newSessionId() }, apiKeyHeader(stack)),
      )

      const refusal = await connection.next(isType('error'))

      expect(refusal.id).toBe('same')
      expect(refusal.payload.errors[0].errorType).toBe('DuplicatedOperationError')
    } finally {
      await connection.close()
    }
  })

  it(`refuses subscription number ${
    MAX_SUBSCRIPTIONS_PER_CONNECTION + 1
  } on one connection`, async () => {
    const stack = local.stack()
    const connection = await acknowledged(stack)
    try {
      for (let index = 0; index < MAX_SUBSCRIPTIONS_PER_CONNECTION; index += 1)
        connection.send(
          startMessage(
            `s${index}`,
            ON_DELIVERY,
            { sessionId: newSessionId() },
            apiKeyHeader(stack),
          ),
        )
      connection.send(
        startMessage(
          'one-too-many',
          ON_DELIVERY,
          { sessionId: newSessionId() },
          apiKeyHeader(stack),
        ),
      )

      const refusal = await connection.next(isType('error', 'one-too-many'))

      expect(connection.received.filter(isType('start_ack'))).toHaveLength(
        MAX_SUBSCRIPTIONS_PER_CONNECTION,
      )
      expect(refusal.payload.errors[0].errorType).toBe('MaxSubscriptionsReachedError')
    } finally {
      await connection.close()
    }
  })
})

describe('Real-time endpoint: who receives a publication', () => {
  it('delivers to two subscribers on two sessions only their own updates', async () => {
    const stack = local.stack()
    const [first, second] = [newSessionId(), newSessionId()]
    const [a, b] = [await acknowledged(stack), await acknowledged(stack)]
    try {
      await subscribe(stack, a, 'a', first)
      await subscribe(stack, b, 'b', second)

      await publish(stack, second, 'SENT')
      await publish(stack, first, 'DELIVERED')
      await publish(stack, second, 'DELAYED', 'MAILBOX_FULL')
      const [toA, toB1, toB2] = [
        await a.next(isType('data')),
        await b.next(isType('data')),
        await b.next(isType('data')),
      ]
      await publish(stack, first, 'BOUNCED')
      await a.next(isType('data'))

      expect(toA.payload.data.onOtpDelivery).toMatchObject({
        sessionId: first,
        status: 'DELIVERED',
      })
      expect([toB1, toB2].map((m) => m.payload.data.onOtpDelivery.status)).toEqual([
        'SENT',
        'DELAYED',
      ])
      expect(
        a.received.filter(isType('data')).map((m) => m.payload.data.onOtpDelivery.sessionId),
      ).toEqual([first, first])
      expect(b.received.filter(isType('data'))).toHaveLength(2)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('publishes nothing when the mutation does not select sessionId (arguments filter on its result)', async () => {
    const stack = local.stack()
    const sessionId = newSessionId()
    const connection = await acknowledged(stack)
    try {
      await subscribe(stack, connection, 'filtered', sessionId)

      const unselected = await signedGraphql(
        stack,
        /* GraphQL */ `
          mutation ($sessionId: ID!) {
            publishOtpDelivery(sessionId: $sessionId, status: SENT, at: "2030-01-01T00:00:00Z") {
              status
            }
          }
        `,
        { sessionId },
      )
      await publish(stack, sessionId, 'DELIVERED')
      const data = await connection.next(isType('data'))

      expect(unselected.data).toEqual({ publishOtpDelivery: { status: 'SENT' } })
      expect(data.payload.data.onOtpDelivery.status).toBe('DELIVERED')
      expect(connection.received.filter(isType('data'))).toHaveLength(1)
    } finally {
      await connection.close()
    }
  })

  it('gives a subscriber null for a field the mutation did not select', async () => {
    const stack = local.stack()
    const sessionId = newSessionId()
    const connection = await acknowledged(stack)
    try {
      await subscribe(stack, connection, 'partial', sessionId)

      await signedGraphql(
        stack,
        /* GraphQL */ `
          mutation ($sessionId: ID!) {
            publishOtpDelivery(
              sessionId: $sessionId
              status: DELAYED
              at: "2030-01-01T00:00:00Z"
              reason: "MAILBOX_FULL"
            ) {
              sessionId
              status
              at
            }
          }
        `,
        { sessionId },
      )
      const data = await connection.next(isType('data'))

      expect(data.payload.data.onOtpDelivery).toEqual({
        sessionId,
        status: 'DELAYED',
        at: '2030-01-01T00:00:00Z',
        reason: null,
      })
    } finally {
      await connection.close()
    }
  })

  it('refuses a subscription sent over HTTP: it belongs on the real-time endpoint', async () => {
    const body = await graphql(local.stack(), ON_DELIVERY, { sessionId: newSessionId() })

    expect(body.data).toBeNull()
    expect(body.errors?.[0]).toMatchObject({
      errorType: 'LocalRuntimeUnsupported',
      message: '`subscription over HTTP` is not supported by the local AppSync runtime',
    })
  })
})
