/**
 * Delivery truth through the API: `otpDelivery` reads a session's delivery state (QUEUED until the
 * sender records one), never the address or the code; `publishOtpDelivery` is for IAM callers
 * only, validates what it publishes and stores nothing; a subscriber that joins late reads the
 * current state from `otpDelivery` and then receives what follows.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { sessionKey } from '../../infra/model.js'
import type { LocalStack } from '../../infra/local/stack.js'
import { graphql, signedGraphql, useLocalStack } from '../support/local-stack.js'
import { apiKeyHeader, connectRealtime, startMessage } from '../support/realtime-client.js'
import { REQUEST_OTP, readSession, uniqueEmail } from './operations.js'

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

const local = useLocalStack({
  email: false,
  settings: { resendCooldownSeconds: 0, maxSendsPerWindow: 50 },
})

/** A new session (no mail is sent: the stack runs without email delivery). */
async function newSession(stack: LocalStack) {
  const email = uniqueEmail('delivery')
  const body = await graphql(stack, REQUEST_OTP, { email })
  expect(body.errors).toBeUndefined()
  const sessionId = body.data.requestOtp.sessionId as string
  const session = await readSession(stack, sessionId)
  return {
    sessionId,
    email,
    code: session?.code as string,
    createdAt: session?.createdAt as number,
  }
}

/** Records a delivery state on the session, as the sending side does before it publishes. */
async function recordDelivery(
  stack: LocalStack,
  sessionId: string,
  state: { status: string; at: number; reason?: string },
): Promise<void> {
  await stack.dynamodb.send(
    new UpdateItemCommand({
      TableName: stack.tableName,
      Key: { pk: { S: sessionKey(sessionId) } },
      UpdateExpression: state.reason
        ? 'SET deliveryStatus = :s, deliveryStatusAt = :at, deliveryReason = :r'
        : 'SET deliveryStatus = :s, deliveryStatusAt = :at',
      ExpressionAttributeValues: {
        ':s': { S: state.status },
        ':at': { N: String(state.at) },
        ...(state.reason ? { ':r': { S: state.reason } } : {}),
      },
    }),
  )
}

describe('otpDelivery', () => {
  it('answers QUEUED at the moment the code was requested while the sender has recorded nothing', async () => {
    const stack = local.stack()
    const { sessionId, createdAt } = await newSession(stack)

    const body = await graphql(stack, OTP_DELIVERY, { sessionId })

    expect(body).toEqual({
      data: {
        otpDelivery: {
          sessionId,
          status: 'QUEUED',
          at: new Date(createdAt).toISOString(),
          reason: null,
        },
      },
    })
  })

  it('answers the state the sender recorded on the session: status, when and why', async () => {
    const stack = local.stack()
    const { sessionId } = await newSession(stack)
    const at = Date.UTC(2030, 0, 2, 3, 4, 5, 678)
    await recordDelivery(stack, sessionId, {
      status: 'BOUNCED',
      at,
      reason: 'MAILBOX_DOES_NOT_EXIST',
    })

    const body = await graphql(stack, OTP_DELIVERY, { sessionId })

    expect(body.data.otpDelivery).toEqual({
      sessionId,
      status: 'BOUNCED',
      at: '2030-01-02T03:04:05.678Z',
      reason: 'MAILBOX_DOES_NOT_EXIST',
    })
  })

  it('never returns the address or the code: its type has no field that could hold them', async () => {
    const stack = local.stack()
    const { sessionId, email, code } = await newSession(stack)

    const body = await graphql(stack, OTP_DELIVERY, { sessionId })
    const fields = await graphql(stack, '{ __type(name: "OtpDelivery") { fields { name } } }')

    expect(JSON.stringify(body)).not.toContain(email)
    expect(JSON.stringify(body)).not.toContain(code)
    expect(fields.data.__type.fields.map((f: { name: string }) => f.name).sort()).toEqual([
      'at',
      'reason',
      'sessionId',
      'status',
    ])
  })

  it.each([
    ['an unknown session id', '0123456789abcdef0123456789abcdef'],
    ['an id of a shape this service never issues', 'not-a-session'],
  ])('answers null for %s', async (_case, sessionId) => {
    const body = await graphql(local.stack(), OTP_DELIVERY, { sessionId })

    expect(body).toEqual({ data: { otpDelivery: null } })
  })

  it.each([
    ['an empty session id', ''],
    ['a session id longer than 128 characters', 'a'.repeat(129)],
  ])('refuses %s with BadRequest', async (_case, sessionId) => {
    const body = await graphql(local.stack(), OTP_DELIVERY, { sessionId })

    expect(body.data).toEqual({ otpDelivery: null })
    expect(body.errors?.[0]).toMatchObject({
      errorType: 'BadRequest',
      errorInfo: { field: 'sessionId' },
    })
  })

  it('answers a backend signing with IAM as well', async () => {
    const stack = local.stack()
    const { sessionId } = await newSession(stack)

    const body = await signedGraphql(stack, OTP_DELIVERY, { sessionId })

    expect(body.data.otpDelivery).toMatchObject({ sessionId, status: 'QUEUED' })
  })
})

describe('publishOtpDelivery', () => {
  const at = '2030-01-02T03:04:05.678Z'

  it('returns its arguments to an IAM caller, and stores nothing', async () => {
    const stack = local.stack()
    const { sessionId } = await newSession(stack)

    const published = await signedGraphql(stack, PUBLISH, {
      sessionId,
      status: 'DELAYED',
      at,
      reason: 'MAILBOX_FULL',
    })
    const read = await graphql(stack, OTP_DELIVERY, { sessionId })

    expect(published).toEqual({
      data: { publishOtpDelivery: { sessionId, status: 'DELAYED', at, reason: 'MAILBOX_FULL' } },
    })
    expect(read.data.otpDelivery.status).toBe('QUEUED')
  })

  it('refuses the API key (Unauthorized): browsers cannot publish delivery updates', async () => {
    const stack = local.stack()
    const { sessionId } = await newSession(stack)

    const body = await graphql(stack, PUBLISH, { sessionId, status: 'DELIVERED', at })

    expect(body.data).toEqual({ publishOtpDelivery: null })
    expect(body.errors?.[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access publishOtpDelivery on type Mutation',
    })
  })

  it.each([
    ['words with spaces', 'mailbox full'],
    ['an address', 'someone@example.com'],
    ['digits first (a code)', '123456'],
    ['an empty reason', ''],
    ['more than 64 characters', `A${'B'.repeat(64)}`],
  ])('refuses a reason made of %s with BadRequest', async (_case, reason) => {
    const stack = local.stack()
    const { sessionId } = await newSession(stack)

    const body = await signedGraphql(stack, PUBLISH, { sessionId, status: 'FAILED', at, reason })

    expect(body.data).toEqual({ publishOtpDelivery: null })
    expect(body.errors?.[0]).toMatchObject({
      errorType: 'BadRequest',
      errorInfo: { field: 'reason' },
    })
  })

  it('refuses a session id this service never issues with BadRequest', async () => {
    const body = await signedGraphql(local.stack(), PUBLISH, {
      sessionId: 'SESSION#not-an-id',
      status: 'SENT',
      at,
    })

    expect(body.errors?.[0]).toMatchObject({
      errorType: 'BadRequest',
      errorInfo: { field: 'sessionId' },
    })
  })
})

describe('A subscriber that joins late', () => {
  it('reads the state published before it subscribed from otpDelivery, then receives what follows', async () => {
    const stack = local.stack()
    const { sessionId } = await newSession(stack)
    await recordDelivery(stack, sessionId, { status: 'SENT', at: Date.UTC(2030, 0, 1) })
    await signedGraphql(stack, PUBLISH, {
      sessionId,
      status: 'SENT',
      at: '2030-01-01T00:00:00.000Z',
    })
    const connection = await connectRealtime(stack, { header: apiKeyHeader(stack) })
    try {
      connection.send({ type: 'connection_init' })
      connection.send(startMessage('late', ON_DELIVERY, { sessionId }, apiKeyHeader(stack)))
      await connection.next((m) => m.type === 'start_ack')

      const current = await graphql(stack, OTP_DELIVERY, { sessionId })
      await recordDelivery(stack, sessionId, {
        status: 'DELIVERED',
        at: Date.UTC(2030, 0, 1, 0, 0, 2),
      })
      await signedGraphql(stack, PUBLISH, {
        sessionId,
        status: 'DELIVERED',
        at: '2030-01-01T00:00:02.000Z',
      })
      const next = await connection.next((m) => m.type === 'data')

      expect(current.data.otpDelivery).toMatchObject({
        status: 'SENT',
        at: '2030-01-01T00:00:00.000Z',
      })
      expect(next.payload.data.onOtpDelivery).toMatchObject({ sessionId, status: 'DELIVERED' })
      expect(connection.received.filter((m) => m.type === 'data')).toHaveLength(1)
    } finally {
      await connection.close()
    }
  })
})
