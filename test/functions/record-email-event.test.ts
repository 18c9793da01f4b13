import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { describe, expect, it } from 'vitest'
import {
  createEmailEventDependencies,
  type EventMetrics,
} from '../../functions/record-email-event/dependencies.js'
import { createHandler } from '../../functions/record-email-event/handler.js'
import type { SesEvent } from '../../functions/record-email-event/ses-event.js'
import { emailEvents } from '../../infra/api.js'
import { LOCAL_REGION } from '../../infra/local/dynamodb-local.js'
import { suppressionKey, type SuppressionItem } from '../../infra/model.js'
import {
  LOCAL_CREDENTIALS,
  captureLogs,
  newSession,
  putSession,
  readSession,
  useEmailEnv,
} from './fixtures/email-env.js'
import {
  at,
  bounce,
  complaint,
  delay,
  delivery,
  mailFor,
  onEventBridge,
  reject,
  send,
} from './fixtures/ses-events.js'

const env = useEmailEnv()

/** Counts what the handler reports, by metric name. */
function countingMetrics(): EventMetrics & { counts: Record<string, number> } {
  const counts: Record<string, number> = {}
  return {
    counts,
    addMetric: (name, _unit, value) => {
      counts[name] = (counts[name] ?? 0) + value
    },
    publishStoredMetrics: () => undefined,
  }
}

function handlerWith(options: { logger?: Logger; metrics?: EventMetrics } = {}) {
  const deps = createEmailEventDependencies({
    tableName: env().tableName,
    dynamodb: {
      endpoint: env().database.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    },
    logger: options.logger ?? new Logger({ logLevel: 'SILENT' }),
    metrics: options.metrics ?? countingMetrics(),
  })
  const handle = createHandler(deps)
  return (...events: SesEvent[]) =>
    events.reduce<Promise<void>>(
      (done, event) => done.then(() => handle(onEventBridge(event))),
      Promise.resolve(),
    )
}

async function suppressionOf(mailbox: string): Promise<SuppressionItem | undefined> {
  const { Item } = await env().dynamodb.send(
    new GetItemCommand({
      TableName: env().tableName,
      Key: marshall({ pk: suppressionKey(mailbox) }),
      ConsistentRead: true,
    }),
  )
  return Item ? (unmarshall(Item) as SuppressionItem) : undefined
}

/** A stored session and the mail SES reports about. */
async function sentSession(address?: string) {
  const session = newSession(address ? { email: address } : {})
  await putSession(env(), session)
  return { session, mail: mailFor(session.email, session.sessionId) }
}

async function deliveryOf(sessionId: string) {
  const item = await readSession(env(), sessionId)
  return { status: item?.deliveryStatus, at: item?.deliveryStatusAt, reason: item?.deliveryReason }
}

describe('Function: record-email-event', () => {
  it('records SENT for the Send event and DELIVERED, at the time SES delivered, for the Delivery event', async () => {
    const { session, mail } = await sentSession()
    const handle = handlerWith()

    await handle(send(mail))
    expect(await deliveryOf(session.sessionId)).toEqual({
      status: 'SENT',
      at: Date.parse(mail.timestamp),
      reason: undefined,
    })
    await handle(delivery(mail, 3))

    expect(await deliveryOf(session.sessionId)).toEqual({
      status: 'DELIVERED',
      at: Date.parse(at(3)),
      reason: undefined,
    })
  })

  it('marks a hard-bounced mailbox suppressed (BOUNCE, at the bounce) and the session BOUNCED, MAILBOX_DOES_NOT_EXIST', async () => {
    const { session, mail } = await sentSession()

    await handlerWith()(send(mail), bounce(mail, 'Permanent', 'General', '5.1.1', 4))

    expect(await deliveryOf(session.sessionId)).toEqual({
      status: 'BOUNCED',
      at: Date.parse(at(4)),
      reason: 'MAILBOX_DOES_NOT_EXIST',
    })
    expect(await suppressionOf(session.email)).toEqual({
      pk: suppressionKey(session.email),
      kind: 'suppression',
      reason: 'BOUNCE',
      suppressedAt: Date.parse(at(4)),
    })
  })

  it('suppresses the canonical mailbox of the bounced address', async () => {
    const local = `Ada.Lovelace.${newSession().sessionId.slice(0, 8)}`
    const { mail } = await sentSession(`${local}+codes@GoogleMail.com`)

    await handlerWith()(bounce(mail, 'Permanent', 'NoEmail'))

    const canonical = `${local.toLowerCase().split('.').join('')}@gmail.com`
    expect(await suppressionOf(canonical)).toMatchObject({ reason: 'BOUNCE' })
  })

  it.each([
    ['OnAccountSuppressionList', 'ON_ACCOUNT_SUPPRESSION_LIST'],
    ['Suppressed', 'ON_GLOBAL_SUPPRESSION_LIST'],
    ['General', 'PERMANENT_FAILURE'],
  ])('suppresses the mailbox of a Permanent/%s bounce, reason %s', async (subType, reason) => {
    const { session, mail } = await sentSession()

    await handlerWith()(bounce(mail, 'Permanent', subType, '5.0.0'))

    expect(await deliveryOf(session.sessionId)).toMatchObject({ status: 'BOUNCED', reason })
    expect(await suppressionOf(session.email)).toMatchObject({ reason: 'BOUNCE' })
  })

  it.each([
    ['MailboxFull', 'MAILBOX_FULL'],
    ['MessageTooLarge', 'MESSAGE_TOO_LARGE'],
    ['General', 'TEMPORARY_FAILURE'],
  ])(
    'records a soft bounce (Transient/%s) as BOUNCED, %s, without suppressing the mailbox',
    async (subType, reason) => {
      const { session, mail } = await sentSession()

      await handlerWith()(bounce(mail, 'Transient', subType, '4.2.2'))

      expect(await deliveryOf(session.sessionId)).toMatchObject({ status: 'BOUNCED', reason })
      expect(await suppressionOf(session.email)).toBeUndefined()
    },
  )

  it('marks a complaining mailbox suppressed (COMPLAINT) and the delivered session COMPLAINED', async () => {
    const { session, mail } = await sentSession()

    await handlerWith()(send(mail), delivery(mail), complaint(mail, {}, 90))

    expect(await deliveryOf(session.sessionId)).toEqual({
      status: 'COMPLAINED',
      at: Date.parse(at(90)),
      reason: 'MARKED_AS_SPAM',
    })
    expect(await suppressionOf(session.email)).toMatchObject({
      reason: 'COMPLAINT',
      suppressedAt: Date.parse(at(90)),
    })
  })

  it('ignores a complaint of feedback type not-spam: the reporter says the mail is wanted', async () => {
    const { session, mail } = await sentSession()

    await handlerWith()(delivery(mail), complaint(mail, { complaintFeedbackType: 'not-spam' }))

    expect(await deliveryOf(session.sessionId)).toMatchObject({ status: 'DELIVERED' })
    expect(await suppressionOf(session.email)).toBeUndefined()
  })

  it('keeps the first suppression of a mailbox and counts each mailbox once', async () => {
    const first = await sentSession()
    const again = mailFor(first.session.email, newSession().sessionId)
    const metrics = countingMetrics()
    const handle = handlerWith({ metrics })

    await handle(bounce(first.mail, 'Permanent', 'General', '5.1.1', 2))
    await handle(bounce(first.mail, 'Permanent', 'General', '5.1.1', 2))
    await handle(complaint(again))

    expect(await suppressionOf(first.session.email)).toMatchObject({
      reason: 'BOUNCE',
      suppressedAt: Date.parse(at(2)),
    })
    expect(metrics.counts[emailEvents.metrics.suppressed]).toBe(1)
  })

  it('records DELAYED with the delay type, then DELIVERED once SES delivers', async () => {
    const { session, mail } = await sentSession()
    const handle = handlerWith()

    await handle(send(mail), delay(mail, 'MailboxFull', 1))
    expect(await deliveryOf(session.sessionId)).toMatchObject({
      status: 'DELAYED',
      reason: 'MAILBOX_FULL',
    })
    await handle(delay(mail, 'TransientCommunicationFailure', 5), delivery(mail, 9))

    expect(await deliveryOf(session.sessionId)).toEqual({
      status: 'DELIVERED',
      at: Date.parse(at(9)),
      reason: undefined,
    })
  })

  it('marks a mail SES rejected (Reject event) FAILED, MESSAGE_REJECTED', async () => {
    const { session, mail } = await sentSession()

    await handlerWith()(send(mail), reject(mail))

    expect(await deliveryOf(session.sessionId)).toMatchObject({
      status: 'FAILED',
      reason: 'MESSAGE_REJECTED',
    })
  })

  it('settles on COMPLAINED when EventBridge delivers Complaint, Delivery, Send and Complaint again, in that order', async () => {
    const { session, mail } = await sentSession()

    await handlerWith()(complaint(mail), delivery(mail), send(mail), complaint(mail))

    expect(await deliveryOf(session.sessionId)).toMatchObject({ status: 'COMPLAINED' })
  })

  it('suppresses the mailbox of a hard bounce without a session tag, and writes no session', async () => {
    const { session } = await sentSession()
    const untagged = mailFor(session.email, undefined)

    await handlerWith()(bounce(untagged, 'Permanent', 'General'))

    expect(await suppressionOf(session.email)).toMatchObject({ reason: 'BOUNCE' })
    expect(await deliveryOf(session.sessionId)).toEqual({
      status: undefined,
      at: undefined,
      reason: undefined,
    })
  })

  it('never creates a session item for an event about a session that is gone', async () => {
    const gone = newSession()

    await handlerWith()(delivery(mailFor(gone.email, gone.sessionId)))

    expect(await readSession(env(), gone.sessionId)).toBeUndefined()
  })

  it('skips an event from another source without writing anything', async () => {
    const { session, mail } = await sentSession()
    const deps = createEmailEventDependencies({
      tableName: env().tableName,
      dynamodb: {
        endpoint: env().database.endpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      },
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: countingMetrics(),
    })

    await createHandler(deps)({ ...onEventBridge(delivery(mail)), source: 'aws.other' })

    expect(await deliveryOf(session.sessionId)).toMatchObject({ status: undefined })
  })

  it('publishes EmailsSent and MailboxesSuppressed in the namespace and with the service dimension the alarms read (EMF)', async () => {
    const { mail } = await sentSession()
    const capture = captureLogs()
    try {
      const { namespace, service } = emailEvents.metrics
      const handle = handlerWith({ metrics: new Metrics({ namespace, serviceName: service }) })
      await handle(send(mail), bounce(mail, 'Permanent', 'General'))
    } finally {
      capture.restore()
    }

    const emf = capture
      .lines()
      .filter((line) => line.includes('"_aws"'))
      .map(
        (line) =>
          JSON.parse(line) as Record<string, unknown> & {
            _aws: {
              CloudWatchMetrics: {
                Namespace: string
                Dimensions: string[][]
                Metrics: { Name: string }[]
              }[]
            }
          },
      )
    expect(emf.map((entry) => entry._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name))).toEqual(
      [[emailEvents.metrics.sent], [emailEvents.metrics.suppressed]],
    )
    for (const entry of emf) {
      expect(entry._aws.CloudWatchMetrics[0]).toMatchObject({
        Namespace: emailEvents.metrics.namespace,
        Dimensions: [['service']],
      })
      expect(entry.service).toBe(emailEvents.metrics.service)
    }
  })

  it('never writes an address or a header to a log line (with the code in the subject)', async () => {
    const { session } = await sentSession()
    const mail = mailFor(session.email, session.sessionId, `${session.code} is your code`)
    const capture = captureLogs()
    try {
      await handlerWith({ logger: capture.logger })(
        send(mail),
        delivery(mail),
        complaint(mail),
        bounce(mail, 'Permanent', 'General'),
      )
    } finally {
      capture.restore()
    }

    const lines = capture.lines()
    expect(lines.filter((line) => line.includes('"email event"'))).toHaveLength(4)
    expect(lines.join('\n')).toContain(session.sessionId)
    for (const line of lines) {
      expect(line).not.toContain(session.code)
      expect(line).not.toContain(session.email)
    }
  })
})
