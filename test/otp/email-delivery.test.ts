import { randomUUID } from 'node:crypto'
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams'
import { afterAll, describe, expect, it } from 'vitest'
import { LOCAL_REGION } from '../../infra/local/dynamodb-local.js'
import { readInbox, type StoredEmail } from '../../infra/local/ses-local.js'
import { canonicalMailbox } from '../../infra/mailbox.js'
import {
  SESSION_KEY_PREFIX,
  suppressionKey,
  type OtpDeliveryStatus,
  type SessionItem,
} from '../../infra/model.js'
import { graphql, useLocalStack, type LocalStack } from '../support/local-stack.js'
import {
  REQUEST_OTP,
  VERIFY_OTP,
  itemsWithPrefix,
  readSession,
  uniqueEmail,
  wrongCode,
} from './operations.js'

/** Everything the process writes to stdout and stderr while the suite runs (request log, Lambda log). */
function captureOutput(): { lines: () => string; restore: () => void } {
  const chunks: string[] = []
  const streams = [process.stdout, process.stderr]
  const originals = streams.map((stream) => stream.write.bind(stream))
  streams.forEach((stream, index) => {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
      return (originals[index] as (...args: unknown[]) => boolean)(chunk, ...rest)
    }) as typeof stream.write
  })
  const consoleLog = console.log
  console.log = (...args: unknown[]) => {
    chunks.push(args.map(String).join(' '))
    consoleLog(...args)
  }
  return {
    lines: () => chunks.join(''),
    restore: () => {
      streams.forEach((stream, index) => (stream.write = originals[index] as typeof stream.write))
      console.log = consoleLog
    },
  }
}

async function waitForMail(sesUrl: string, to: string, timeoutMs = 10_000): Promise<StoredEmail[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const mails = (await readInbox(sesUrl)).filter((mail) => mail.destination.to.includes(to))
    if (mails.length > 0 || Date.now() > deadline) return mails
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Waits until the session's delivery state is `status` (or a final one) and returns the session. */
async function deliveryReaches(
  stack: LocalStack,
  sessionId: string,
  status: OtpDeliveryStatus,
  timeoutMs = 10_000,
): Promise<SessionItem | undefined> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const session = await readSession(stack, sessionId)
    if (session?.deliveryStatus === status || Date.now() > deadline) return session
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Every record DynamoDB Local's stream of the table holds, from every shard, oldest first. */
async function streamRecords(stack: LocalStack): Promise<StreamRecord[]> {
  const streams = new DynamoDBStreamsClient({
    endpoint: stack.urls.dynamodb,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
  try {
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn: stack.streamArn }),
    )
    const records: StreamRecord[] = []
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator: iterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: stack.streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))
        records.push(...(page.Records ?? []))
        if ((page.Records ?? []).length === 0) break
        iterator = page.NextShardIterator
      }
    }
    return records
  } finally {
    streams.destroy()
  }
}

describe('email delivery through the local stack', () => {
  const output = captureOutput()
  const local = useLocalStack({ quiet: false, settings: { resendCooldownSeconds: 0 } })
  afterAll(() => output.restore())

  it('puts exactly one mail with the code in the local inbox for one requestOtp', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const body = await graphql(stack, REQUEST_OTP, { email })
    const { sessionId } = body.data.requestOtp
    const code = (await readSession(stack, sessionId))?.code as string
    const mails = await waitForMail(stack.urls.ses as string, email)
    expect(mails).toHaveLength(1)
    expect(mails[0]?.body.text).toContain(code)
    expect(mails[0]?.body.html).toContain(code)
    // Give a duplicate the time to show up if the stream or the handler were to send twice.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(await waitForMail(stack.urls.ses as string, email, 0)).toHaveLength(1)
    expect((await readSession(stack, sessionId))?.delivery).toBe('SENT')
  })

  it('writes no code into any log line of the API or the email Lambda (S6)', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const { sessionId } = (await graphql(stack, REQUEST_OTP, { email })).data.requestOtp
    const code = (await readSession(stack, sessionId))?.code as string
    await waitForMail(stack.urls.ses as string, email)
    await graphql(stack, VERIFY_OTP, { sessionId, code: wrongCode(code) })
    await graphql(stack, VERIFY_OTP, { sessionId, code })
    const logged = output.lines()
    expect(logged).toContain(sessionId)
    // Digit boundaries: a random message id may contain six digits in a row by chance.
    const standalone = (digits: string) => new RegExp(`(?<![0-9])${digits}(?![0-9])`)
    expect(logged).not.toMatch(standalone(code))
    expect(logged).not.toMatch(standalone(wrongCode(code)))
  })

  it('follows a requested code from QUEUED to DELIVERED through SES events', async () => {
    const stack = local.stack()
    const email = uniqueEmail('delivered')
    const { sessionId } = (await graphql(stack, REQUEST_OTP, { email })).data.requestOtp

    const session = await deliveryReaches(stack, sessionId, 'DELIVERED')

    expect(session).toMatchObject({ deliveryStatus: 'DELIVERED', delivery: 'SENT' })
    expect(session?.deliveryStatusAt).toBeGreaterThanOrEqual(session?.createdAt ?? Infinity)
  })

  it.each([
    ['bounce', 'BOUNCED', 'MAILBOX_DOES_NOT_EXIST', 'BOUNCE'],
    ['complaint', 'COMPLAINED', 'MARKED_AS_SPAM', 'COMPLAINT'],
  ])(
    'ends a code for %s@simulator.amazonses.com %s and writes the suppression of the mailbox',
    async (box, status, reason, suppressedFor) => {
      const stack = local.stack()
      const email = `${box}+${randomUUID().slice(0, 8)}@simulator.amazonses.com`
      const body = await graphql(stack, REQUEST_OTP, { email })
      const { sessionId } = body.data.requestOtp

      const session = await deliveryReaches(stack, sessionId, status as OtpDeliveryStatus)

      expect(session).toMatchObject({ deliveryStatus: status, deliveryReason: reason })
      const [suppression] = await itemsWithPrefix(stack, suppressionKey(canonicalMailbox(email)))
      expect(suppression).toMatchObject({
        pk: suppressionKey(`${box}@simulator.amazonses.com`),
        kind: 'suppression',
        reason: suppressedFor,
      })
    },
  )

  it('keeps every code and every session address out of the table stream, read straight from DynamoDB Local', async () => {
    // Prepare: a full flow (request, mail, SES events, a wrong and a right code, a redelivery)
    const stack = local.stack()
    const email = uniqueEmail('stream')
    const { sessionId } = (await graphql(stack, REQUEST_OTP, { email })).data.requestOtp
    const code = (await readSession(stack, sessionId))?.code as string
    await deliveryReaches(stack, sessionId, 'DELIVERED')
    await graphql(stack, VERIFY_OTP, { sessionId, code: wrongCode(code) })
    await graphql(stack, VERIFY_OTP, { sessionId, code })

    // Act
    const records = await streamRecords(stack)

    // Assess: keys and metadata only, in every record of every item written so far
    expect(records.length).toBeGreaterThan(5)
    for (const record of records) {
      expect(Object.keys(record.dynamodb ?? {}).sort()).toEqual([
        'ApproximateCreationDateTime',
        'Keys',
        'SequenceNumber',
        'SizeBytes',
        'StreamViewType',
      ])
      expect(Object.keys(record.dynamodb?.Keys ?? {})).toEqual(['pk'])
      expect(JSON.stringify(record.dynamodb?.Keys)).not.toMatch(
        new RegExp(`(?<![0-9])${code}(?![0-9])`),
      )
    }
    const session = records.filter(
      (r) => r.dynamodb?.Keys?.pk?.S === `${SESSION_KEY_PREFIX}${sessionId}`,
    )
    expect(session.map((r) => r.eventName)).toEqual(expect.arrayContaining(['INSERT', 'MODIFY']))
    for (const record of session) expect(JSON.stringify(record)).not.toContain(email)
  })
})
