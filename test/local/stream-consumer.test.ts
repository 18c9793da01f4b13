import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'
import type { DynamoDBRecord } from 'aws-lambda'
import { afterEach, describe, expect, it } from 'vitest'
import { createHandler } from '../../functions/send-otp-email/handler.js'
import { emailSender } from '../../infra/api.js'
import { LOCAL_REGION } from '../../infra/local/dynamodb-local.js'
import { startLocalEmailDelivery } from '../../infra/local/email-delivery.js'
import {
  startStreamConsumer,
  type StreamConsumer,
  type StreamConsumerOptions,
  type StreamFailureRecord,
  type StreamHandler,
} from '../../infra/local/stream-consumer.js'
import { ensureTable } from '../../infra/local/table.js'
import { SESSION_KEY_PREFIX, sessionKey } from '../../infra/model.js'
import { defaultSettings } from '../../infra/settings.js'
import {
  LOCAL_CREDENTIALS,
  mailTo,
  newSession,
  putSession,
  readSession,
  testDependencies,
  useEmailEnv,
  type EmailEnv,
} from '../functions/fixtures/email-env.js'

const shared = useEmailEnv()
const running: StreamConsumer[] = []

afterEach(async () => {
  shared().proxy.setFault(null)
  await Promise.all(running.splice(0).map((consumer) => consumer.stop()))
})

/** Each test reads its own table's stream from the start: no records of another test reach it. */
async function freshTable(): Promise<EmailEnv> {
  const env = { ...shared(), tableName: `otp-${randomUUID().slice(0, 8)}` }
  await ensureTable(env.dynamodb, env.tableName)
  return env
}

async function consume(
  env: EmailEnv,
  handler: StreamHandler,
  overrides: Partial<StreamConsumerOptions> = {},
): Promise<{ consumer: StreamConsumer; failures: StreamFailureRecord[] }> {
  const failures: StreamFailureRecord[] = []
  const consumer = await startStreamConsumer({
    ...emailSender,
    client: {
      endpoint: env.database.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    },
    tableName: env.tableName,
    handler,
    onFailure: (record) => {
      failures.push(record)
    },
    pollIntervalMs: 50,
    retryBaseDelayMs: 20,
    ...overrides,
  })
  running.push(consumer)
  return { consumer, failures }
}

/** Wraps a handler to keep every batch it is called with. */
function recording(handler: StreamHandler): {
  handler: StreamHandler
  batches: DynamoDBRecord[][]
} {
  const batches: DynamoDBRecord[][] = []
  return {
    batches,
    handler: (event, context) => {
      batches.push(event.Records)
      return handler(event, context)
    },
  }
}

const sessionIdOf = (record: DynamoDBRecord) =>
  record.dynamodb?.Keys?.pk?.S?.slice(SESSION_KEY_PREFIX.length)

describe('Local: stream consumer', () => {
  it('delivers exactly one mail per inserted session, containing its code', async () => {
    // Prepare
    const env = await freshTable()
    const { consumer, failures } = await consume(env, createHandler(testDependencies(env)))
    const sessions = Array.from({ length: 12 }, () => newSession())

    // Act
    for (const s of sessions) await putSession(env, s)
    await consumer.drained()

    // Assess
    for (const s of sessions) {
      const mail = await mailTo(env, s.email)
      expect(mail).toHaveLength(1)
      expect(mail[0]?.body.text).toContain(s.code)
      expect(await readSession(env, s.sessionId)).toMatchObject({
        delivery: 'SENT',
        deliveryAttempts: 1,
      })
    }
    expect(failures).toEqual([])
  })

  it('hands the handler Lambda-shaped keys-only records and a context that counts down', async () => {
    const env = await freshTable()
    let remaining = 0
    const spy = recording(async (_event, context) => {
      remaining = context.getRemainingTimeInMillis()
    })
    const { consumer } = await consume(env, spy.handler)
    const session = newSession()

    await putSession(env, session)
    await consumer.drained()

    const record = spy.batches[0]?.[0]
    expect(record).toMatchObject({
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: LOCAL_REGION,
      eventSourceARN: expect.stringContaining(`table/${env.tableName}/stream/`),
      dynamodb: {
        Keys: { pk: { S: session.pk } },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        StreamViewType: 'KEYS_ONLY',
      },
    })
    expect(Object.keys(record?.dynamodb ?? {}).sort()).toEqual([
      'ApproximateCreationDateTime',
      'Keys',
      'SequenceNumber',
      'SizeBytes',
      'StreamViewType',
    ])
    expect(typeof record?.dynamodb?.ApproximateCreationDateTime).toBe('number')
    expect(remaining).toBeGreaterThan(0)
    expect(remaining).toBeLessThanOrEqual(emailSender.timeoutSeconds * 1000)
  })

  it('never hands the handler a non-session INSERT, a MODIFY or a REMOVE', async () => {
    // Prepare
    const env = await freshTable()
    const spy = recording(async () => ({ batchItemFailures: [] }))
    const { consumer } = await consume(env, spy.handler)
    const session = newSession()

    // Act
    await env.dynamodb.send(
      new PutItemCommand({
        TableName: env.tableName,
        Item: marshall({ pk: `ADDRESS#${session.email}`, kind: 'address', lastSentAt: 1, ttl: 1 }),
      }),
    )
    await putSession(env, session)
    await env.dynamodb.send(
      new UpdateItemCommand({
        TableName: env.tableName,
        Key: marshall({ pk: sessionKey(session.sessionId) }),
        UpdateExpression: 'SET attempts = :one',
        ExpressionAttributeValues: marshall({ ':one': 1 }),
      }),
    )
    await env.dynamodb.send(
      new DeleteItemCommand({
        TableName: env.tableName,
        Key: marshall({ pk: sessionKey(session.sessionId) }),
      }),
    )
    await consumer.drained()

    // Assess
    const seen = spy.batches.flat()
    expect(seen.map((r) => [r.eventName, sessionIdOf(r)])).toEqual([['INSERT', session.sessionId]])
  })

  it('retries, bisects and finally discards a record the handler keeps throwing on, delivering the others', async () => {
    // Prepare: four sessions in one batch, the third one poisonous
    const env = await freshTable()
    const sessions = Array.from({ length: 4 }, () => newSession())
    const poison = sessions[2]?.sessionId
    for (const s of sessions) await putSession(env, s)
    const send = createHandler(testDependencies(env))
    const spy = recording(async (event, context) => {
      if (event.Records.some((r) => sessionIdOf(r) === poison)) throw new Error('poisoned batch')
      return send(event, context)
    })

    // Act
    const { consumer, failures } = await consume(env, spy.handler)
    await consumer.drained()

    // Assess: [1,2,3,4] fails → [1,2] ok, [3,4] fails → [3] fails, [4] ok → [3] retried
    // `retryAttempts` times → discarded
    const poisonInvocations = emailSender.retryAttempts + 1
    expect(
      spy.batches.map((batch) =>
        batch.map((r) => sessions.findIndex((s) => s.sessionId === sessionIdOf(r)) + 1),
      ),
    ).toEqual([
      [1, 2, 3, 4],
      [1, 2],
      [3, 4],
      ...Array.from({ length: poisonInvocations }, () => [3]),
      [4],
    ])
    const poisonSequence = spy.batches[3]?.[0]?.dynamodb?.SequenceNumber
    expect(failures).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: poisonInvocations,
        }),
        responseContext: expect.objectContaining({ functionError: 'Unhandled' }),
        DDBStreamBatchInfo: expect.objectContaining({
          startSequenceNumber: poisonSequence,
          endSequenceNumber: poisonSequence,
          batchSize: 1,
        }),
      }),
    ])
    for (const [index, s] of sessions.entries()) {
      expect(await mailTo(env, s.email)).toHaveLength(index === 2 ? 0 : 1)
    }
  })

  it('retries a record the handler reports as failed from its sequence number until SES takes it', async () => {
    // Prepare: SES throttles one address for longer than one invocation retries
    const env = await freshTable()
    const sessions = Array.from({ length: 3 }, () => newSession())
    const throttled = sessions[1] as (typeof sessions)[number]
    env.proxy.setFault('throttle', { recipient: throttled.email, times: 4 })
    const spy = recording(createHandler(testDependencies(env)))
    const { consumer, failures } = await consume(env, spy.handler)

    // Act
    for (const s of sessions) await putSession(env, s)
    await consumer.drained()

    // Assess
    expect(spy.batches.length).toBeGreaterThan(1)
    expect(sessionIdOf(spy.batches[1]?.[0] as DynamoDBRecord)).toBe(throttled.sessionId)
    for (const s of sessions) expect(await mailTo(env, s.email)).toHaveLength(1)
    expect(await readSession(env, throttled.sessionId)).toMatchObject({
      delivery: 'SENT',
      deliveryAttempts: 2,
    })
    expect(failures).toEqual([])
  })

  it('discards records older than the maximum record age without calling the handler', async () => {
    const env = await freshTable()
    const spy = recording(async () => ({ batchItemFailures: [] }))
    const { consumer, failures } = await consume(env, spy.handler, { maxRecordAgeSeconds: 0 })

    await putSession(env, newSession())
    await consumer.drained()

    expect(spy.batches).toEqual([])
    expect(failures).toMatchObject([
      { requestContext: { condition: 'RecordAgeExceeded', approximateInvokeCount: 0 } },
    ])
  })

  it('waits in stop() for the batch in flight', async () => {
    const env = await freshTable()
    let release: () => void = () => undefined
    let started: () => void = () => undefined
    const inFlight = new Promise<void>((resolve) => (started = resolve))
    let finished = false
    const { consumer } = await consume(env, async () => {
      started()
      await new Promise<void>((resolve) => (release = resolve))
      finished = true
    })
    await putSession(env, newSession())
    await inFlight

    const stopping = consumer.stop()
    release()
    await stopping

    expect(finished).toBe(true)
  })

  it('delivers a session written after another table of the same DynamoDB Local was written', async () => {
    // Prepare: DynamoDB Local numbers stream records across tables, and refuses an iterator taken
    // on an empty shard (TrimmedDataAccessException) once another table has been written.
    const env = await freshTable()
    const other = await freshTable()
    const spy = recording(async () => undefined)
    const { consumer } = await consume(env, spy.handler)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const session = newSession()

    // Act
    await putSession(other, newSession())
    await putSession(env, session)
    await Promise.race([consumer.drained(), new Promise((resolve) => setTimeout(resolve, 10_000))])

    // Assess
    expect(spy.batches.flat().map(sessionIdOf)).toEqual([session.sessionId])
  })
})

describe('Local: startLocalEmailDelivery', () => {
  it('mails new sessions and writes what it cannot send to the dead-letter file', async () => {
    // Prepare
    const env = await freshTable()
    const deadLetterFile = join(
      await mkdtemp(join(tmpdir(), 'otp-dead-letters-')),
      'dead-letters.jsonl',
    )
    const delivery = await startLocalEmailDelivery({
      dynamodbEndpoint: env.database.endpoint,
      sesUrl: env.proxy.url,
      tableName: env.tableName,
      settings: defaultSettings,
      deadLetterFile,
      quiet: true,
      pollIntervalMs: 50,
    })
    running.push(delivery)
    const [delivered, rejected] = [newSession(), newSession()]
    env.proxy.setFault('reject', { recipient: rejected.email })

    // Act
    await putSession(env, delivered)
    await putSession(env, rejected)
    await delivery.drained()

    // Assess
    expect(await mailTo(env, delivered.email)).toHaveLength(1)
    expect(await mailTo(env, rejected.email)).toHaveLength(0)
    const lines = (await readFile(deadLetterFile, 'utf8')).trim().split('\n')
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({
        type: 'otp-email-undeliverable',
        sessionId: rejected.sessionId,
        reason: 'MessageRejected',
      }),
    ])
  })

  it('loses no mail while SES is down for several seconds, with the deployed settings', async () => {
    // Prepare
    const env = await freshTable()
    const delivery = await startLocalEmailDelivery({
      dynamodbEndpoint: env.database.endpoint,
      sesUrl: env.proxy.url,
      tableName: env.tableName,
      settings: defaultSettings,
      deadLetterFile: join(await mkdtemp(join(tmpdir(), 'otp-dead-letters-')), 'dl.jsonl'),
      quiet: true,
    })
    running.push(delivery)
    const sessions = Array.from({ length: 6 }, () => newSession())
    env.proxy.setFault('down')
    const outage = setTimeout(() => env.proxy.setFault(null), 4_000)

    // Act
    try {
      for (const session of sessions) await putSession(env, session)
      await delivery.drained()
    } finally {
      clearTimeout(outage)
    }

    // Assess
    for (const session of sessions) {
      expect(await readSession(env, session.sessionId)).toMatchObject({ delivery: 'SENT' })
      expect(await mailTo(env, session.email)).toHaveLength(1)
    }
  })

  it('marks a session FAILED and dead-letters it when SES stays down through every retry', async () => {
    // Prepare
    const env = await freshTable()
    const deadLetterFile = join(
      await mkdtemp(join(tmpdir(), 'otp-dead-letters-')),
      'dead-letters.jsonl',
    )
    const delivery = await startLocalEmailDelivery({
      dynamodbEndpoint: env.database.endpoint,
      sesUrl: env.proxy.url,
      tableName: env.tableName,
      settings: defaultSettings,
      deadLetterFile,
      quiet: true,
      pollIntervalMs: 50,
      // Short pauses: each invocation would otherwise retry until its deadline (about 27 s).
      retry: { maxTries: 2, baseDelayMs: 20, maxDelayMs: 50 },
    })
    running.push(delivery)
    const session = newSession()
    env.proxy.setFault('unavailable', { recipient: session.email })

    // Act
    await putSession(env, session)
    await delivery.drained()

    // Assess: the handler, not the event source, has the last word, so the session id is kept
    const attempts = emailSender.retryAttempts + 1
    expect(await readSession(env, session.sessionId)).toMatchObject({
      delivery: 'FAILED',
      deliveryError: 'MAX_ATTEMPTS',
      deliveryAttempts: attempts,
    })
    const lines = (await readFile(deadLetterFile, 'utf8')).trim().split('\n')
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({
        type: 'otp-email-undeliverable',
        sessionId: session.sessionId,
        attempts,
      }),
    ])
  })
})
