/**
 * The dead-letter queue as the deployed Lambda writes it: `createDependencies` without a sink
 * builds the production one (`sqsDeadLetterSink` over the SDK's SQSClient), here pointed at a
 * stand-in SQS endpoint that fails or accepts on demand. DynamoDB Local and local SES are real.
 */
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createHandler } from '../../functions/send-otp-email/handler.js'
import { startSqsEndpoint, type SqsAnswer, type SqsEndpoint } from '../support/sqs-endpoint.js'
import {
  captureLogs,
  insertRecord,
  LOCAL_CREDENTIALS,
  newSession,
  putSession,
  readSession,
  testDependencies,
  useEmailEnv,
} from './fixtures/email-env.js'

const env = useEmailEnv()
let sqs: SqsEndpoint
const savedEnv = { ...process.env }

beforeAll(async () => {
  sqs = await startSqsEndpoint()
  // What the Lambda runtime provides; the production sink builds its SQSClient from it.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  })
  delete process.env.AWS_PROFILE
})

afterAll(async () => {
  process.env = savedEnv
  await sqs?.stop()
})

afterEach(() => {
  env().proxy.setFault(null)
  sqs.answer('accept')
})

/** A queue URL on 127.0.0.1 where nothing listens: the port was free a moment ago. */
async function closedQueueUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}/000000000000/otp-dead-letters`
}

/** The handler as deployed, writing dead letters to SQS at `queueUrl`, logging into `logger`. */
function deployedHandler(queueUrl: string, logger: ReturnType<typeof captureLogs>['logger']) {
  process.env.AWS_ENDPOINT_URL_SQS = new URL(queueUrl).origin
  const deps = testDependencies(env(), { config: { deadLetterQueueUrl: queueUrl }, logger })
  return createHandler(deps)
}

interface LogEntry {
  service?: string
  level?: string
  outcome?: string
  reason?: string
  sessionId?: string
}

const deliveryLog = (lines: string[]): LogEntry[] =>
  lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogEntry)
    .filter((entry) => entry.service === 'send-otp-email')

describe('Function: send-otp-email, dead letters written to SQS', () => {
  it.each<[string, SqsAnswer | 'closed port', string]>([
    ['answers 500 on every try', 'internal-error', 'InternalFailure'],
    ['refuses the role (AccessDenied)', 'access-denied', 'AccessDenied'],
    ['does not know the queue', 'no-such-queue', 'QueueDoesNotExist'],
    ['cannot be reached', 'closed port', 'ECONNREFUSED'],
  ])(
    'leaves a rejected mail un-FAILED and reports it for retry when the queue %s',
    async (_case, answer, reason) => {
      // Prepare: SES refuses the mail for good, so the handler gives up and dead-letters it
      const session = newSession()
      await putSession(env(), session)
      env().proxy.setFault('reject', { recipient: session.email })
      const queueUrl = answer === 'closed port' ? await closedQueueUrl() : sqs.queueUrl('dlq')
      if (answer !== 'closed port') sqs.answer(answer)
      const record = insertRecord(session)
      const requestsBefore = sqs.requests().length
      const capture = captureLogs()

      // Act
      let result
      try {
        result = await deployedHandler(queueUrl, capture.logger)({ Records: [record] })
      } finally {
        capture.restore()
      }

      // Assess: Lambda will deliver the record again; the session is free to be claimed again
      expect(result.batchItemFailures).toEqual([
        { itemIdentifier: record.dynamodb?.SequenceNumber },
      ])
      const stored = await readSession(env(), session.sessionId)
      expect(stored?.delivery).toBe('RETRY')
      expect(stored?.deliveryError).toBeUndefined()
      expect(deliveryLog(capture.lines())).toEqual([
        expect.objectContaining({
          level: 'WARN',
          outcome: 'retry',
          sessionId: session.sessionId,
          reason,
        }),
      ])
      const tried = sqs.requests().slice(requestsBefore)
      if (answer !== 'closed port') expect(tried.length).toBeGreaterThan(0)
      expect(tried.every((r) => r.target === 'AmazonSQS.SendMessage')).toBe(true)
      expect(sqs.accepted()).not.toContainEqual(expect.stringContaining(session.sessionId))
    },
  )

  it('dead-letters the session once the queue accepts, then marks it FAILED; the message holds neither code nor address', async () => {
    // Prepare: a first invocation whose dead-letter write failed
    const session = newSession()
    await putSession(env(), session)
    env().proxy.setFault('reject', { recipient: session.email })
    const record = insertRecord(session)
    const queueUrl = sqs.queueUrl('otp-dead-letters')
    const capture = captureLogs()
    try {
      sqs.answer('access-denied')
      await deployedHandler(queueUrl, capture.logger)({ Records: [record] })
      const requestsBefore = sqs.requests().length

      // Act: Lambda delivers the record again, and the queue now accepts
      sqs.answer('accept')
      const result = await deployedHandler(queueUrl, capture.logger)({ Records: [record] })

      // Assess
      expect(result.batchItemFailures).toEqual([])
      expect(await readSession(env(), session.sessionId)).toMatchObject({
        delivery: 'FAILED',
        deliveryError: 'MessageRejected',
        deliveryAttempts: 2,
      })
      const requests = sqs.requests().slice(requestsBefore)
      expect(requests.map((r) => r.target)).toEqual(['AmazonSQS.SendMessage'])
      expect(requests[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /)
      const sent = JSON.parse(requests[0]?.body ?? '{}') as Record<string, unknown>
      expect(sent.QueueUrl).toBe(queueUrl)
      expect(sent.MessageAttributes).toEqual({
        type: { DataType: 'String', StringValue: 'otp-email-undeliverable' },
      })
      expect(JSON.parse(String(sent.MessageBody))).toEqual({
        type: 'otp-email-undeliverable',
        sessionId: session.sessionId,
        reason: 'MessageRejected',
        attempts: 2,
        failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      })
      for (const request of sqs.requests()) {
        expect(request.body).not.toContain(session.code)
        expect(request.body).not.toContain(session.email)
      }
      expect(deliveryLog(capture.lines()).map((entry) => entry.outcome)).toEqual([
        'retry',
        'failed',
      ])
    } finally {
      capture.restore()
    }
  })
})
