import { randomUUID } from 'node:crypto'
import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { afterEach, describe, expect, it } from 'vitest'
import type { SesEventBridgeEvent } from '../../functions/record-email-event/ses-event.js'
import { emailEvents } from '../../infra/api.js'
import { LOCAL_REGION } from '../../infra/local/dynamodb-local.js'
import {
  LOCAL_CONFIGURATION_SET,
  startLocalEmailDelivery,
  type LocalEmailDelivery,
} from '../../infra/local/email-delivery.js'
import { startSesEvents, type SesEvents } from '../../infra/local/ses-events.js'
import { ensureTable } from '../../infra/local/table.js'
import { canonicalMailbox } from '../../infra/mailbox.js'
import { suppressionKey, type SuppressionItem } from '../../infra/model.js'
import { defaultSettings } from '../../infra/settings.js'
import {
  LOCAL_CREDENTIALS,
  mailTo,
  newSession,
  putSession,
  readSession,
  useEmailEnv,
  type EmailEnv,
} from '../functions/fixtures/email-env.js'

const shared = useEmailEnv()
const running: { stop(): Promise<void> }[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((part) => part.stop()))
})

const simulator = (box: string, label = randomUUID().slice(0, 8)) =>
  `${box}+${label}@simulator.amazonses.com`

/** A table of its own and the local email path on it (stream consumer, email Lambda, SES events). */
async function emailPath(
  delayedDeliveryMs = 5_000,
): Promise<{ env: EmailEnv; delivery: LocalEmailDelivery }> {
  const env = { ...shared(), tableName: `otp-${randomUUID().slice(0, 8)}` }
  await ensureTable(env.dynamodb, env.tableName)
  const delivery = await startLocalEmailDelivery({
    dynamodbEndpoint: env.database.endpoint,
    sesUrl: env.ses.url,
    tableName: env.tableName,
    settings: defaultSettings,
    quiet: true,
    pollIntervalMs: 50,
    delayedDeliveryMs,
  })
  running.push(delivery)
  return { env, delivery }
}

async function suppressionOf(env: EmailEnv, address: string): Promise<SuppressionItem | undefined> {
  const { Item } = await env.dynamodb.send(
    new GetItemCommand({
      TableName: env.tableName,
      Key: marshall({ pk: suppressionKey(canonicalMailbox(address)) }),
      ConsistentRead: true,
    }),
  )
  return Item ? (unmarshall(Item) as SuppressionItem) : undefined
}

describe('Local: SES events for the mailbox simulator', () => {
  it.each([
    ['success', 'DELIVERED', undefined, undefined],
    ['ooto', 'DELIVERED', undefined, undefined],
    ['bounce', 'BOUNCED', 'MAILBOX_DOES_NOT_EXIST', 'BOUNCE'],
    ['complaint', 'COMPLAINED', 'MARKED_AS_SPAM', 'COMPLAINT'],
    ['suppressionlist', 'BOUNCED', 'ON_ACCOUNT_SUPPRESSION_LIST', 'BOUNCE'],
  ])(
    '%s@simulator.amazonses.com ends %s, with the reason and suppression SES events imply',
    async (box, status, reason, suppressed) => {
      // Prepare
      const { env, delivery } = await emailPath()
      const session = newSession({ email: simulator(box) })

      // Act
      await putSession(env, session)
      await delivery.drained()

      // Assess
      expect(await mailTo(env, session.email)).toHaveLength(1)
      const stored = await readSession(env, session.sessionId)
      expect(stored).toMatchObject({ deliveryStatus: status })
      expect(stored?.deliveryReason).toBe(reason)
      const suppression = await suppressionOf(env, session.email)
      expect(suppression?.reason).toBe(suppressed)
      if (suppressed) expect(suppression?.pk).toBe(suppressionKey(`${box}@simulator.amazonses.com`))
    },
  )

  it('delivers an ordinary address and suppresses nothing', async () => {
    const { env, delivery } = await emailPath()
    const session = newSession()

    await putSession(env, session)
    await delivery.drained()

    expect(await readSession(env, session.sessionId)).toMatchObject({ deliveryStatus: 'DELIVERED' })
    expect(await suppressionOf(env, session.email)).toBeUndefined()
  })

  it('shows success+delayed@ DELAYED first, then DELIVERED (local only)', async () => {
    const { env, delivery } = await emailPath(1_500)
    const session = newSession({ email: simulator('success', 'delayed') })

    await putSession(env, session)
    let seen = await readSession(env, session.sessionId)
    for (let waited = 0; seen?.deliveryStatus !== 'DELAYED' && waited < 1_400; waited += 25) {
      await new Promise((resolve) => setTimeout(resolve, 25))
      seen = await readSession(env, session.sessionId)
    }
    expect(seen).toMatchObject({
      deliveryStatus: 'DELAYED',
      deliveryReason: 'TRANSIENT_COMMUNICATION_FAILURE',
    })
    await delivery.drained()

    expect(await readSession(env, session.sessionId)).toMatchObject({ deliveryStatus: 'DELIVERED' })
  })
})

describe('Local: SES event publishing', () => {
  async function publishing(): Promise<{
    publisher: SesEvents
    events: SesEventBridgeEvent[]
    ses: SESClient
  }> {
    const events: SesEventBridgeEvent[] = []
    const publisher = await startSesEvents({
      upstream: shared().ses.url,
      configurationSets: [LOCAL_CONFIGURATION_SET],
      handler: async (event) => void events.push(event),
      region: LOCAL_REGION,
    })
    running.push(publisher)
    const ses = new SESClient({
      endpoint: publisher.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    })
    running.push({ stop: async () => ses.destroy() })
    return { publisher, events, ses }
  }

  const sendTo = (ses: SESClient, to: string, configurationSet?: string) =>
    ses.send(
      new SendEmailCommand({
        Source: 'no-reply@example.com',
        Destination: { ToAddresses: [to] },
        Message: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Hi' } } },
        ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
        Tags: [{ Name: 'campaign', Value: 'codes' }],
      }),
    )

  it('publishes Send then Bounce for bounce@, in the EventBridge envelope and with the SES fields and tags', async () => {
    const { publisher, events, ses } = await publishing()
    const to = simulator('bounce')

    const { MessageId } = await sendTo(ses, to, LOCAL_CONFIGURATION_SET)
    await publisher.settled()

    expect(events.map((e) => [e['detail-type'], e.detail.eventType])).toEqual([
      [emailEvents.detailTypes.Send, 'Send'],
      [emailEvents.detailTypes.Bounce, 'Bounce'],
    ])
    const [sent, bounced] = events
    expect(sent).toMatchObject({
      version: '0',
      source: 'aws.ses',
      region: LOCAL_REGION,
      resources: [
        expect.stringMatching(new RegExp(`:configuration-set/${LOCAL_CONFIGURATION_SET}$`)),
      ],
      detail: {
        mail: {
          messageId: MessageId,
          source: 'no-reply@example.com',
          destination: [to],
          tags: { 'ses:configuration-set': [LOCAL_CONFIGURATION_SET], campaign: ['codes'] },
        },
        send: {},
      },
    })
    expect(bounced?.detail).toMatchObject({
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          {
            emailAddress: to,
            action: 'failed',
            status: '5.1.1',
            diagnosticCode: 'smtp; 550 5.1.1 user unknown',
          },
        ],
      },
    })
    expect(sent?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  })

  it('publishes nothing for mail sent without a configuration set, which local SES still delivers', async () => {
    const { publisher, events, ses } = await publishing()
    const to = simulator('bounce')

    await sendTo(ses, to)
    await publisher.settled()

    expect(events).toEqual([])
    expect(await mailTo(shared(), to)).toHaveLength(1)
  })

  it('refuses a configuration set that does not exist, as SES does, and sends nothing', async () => {
    const { events, ses } = await publishing()
    const to = simulator('success')

    await expect(sendTo(ses, to, 'missing')).rejects.toMatchObject({
      name: 'ConfigurationSetDoesNotExistException',
    })

    expect(events).toEqual([])
    expect(await mailTo(shared(), to)).toHaveLength(0)
  })

  it('retries a failing handler twice, as Lambda retries an asynchronous invocation, then drops the event', async () => {
    let calls = 0
    const dropped: string[] = []
    const publisher = await startSesEvents({
      upstream: shared().ses.url,
      configurationSets: [LOCAL_CONFIGURATION_SET],
      handler: async () => {
        calls += 1
        throw new Error('down')
      },
      region: LOCAL_REGION,
      log: (message) => void dropped.push(message),
    })
    running.push(publisher)
    const ses = new SESClient({
      endpoint: publisher.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    })

    await sendTo(ses, simulator('success'), LOCAL_CONFIGURATION_SET)
    await publisher.settled()
    ses.destroy()

    expect(calls).toBe(6)
    expect(dropped).toEqual(['ses event dropped', 'ses event dropped'])
  })
})
