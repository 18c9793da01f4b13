import { afterEach, describe, expect, it } from 'vitest'
import type { SesEventBridgeEvent } from '../../functions/record-email-event/ses-event.js'
import { createHandler } from '../../functions/send-otp-email/handler.js'
import type { DeliveryTransition } from '../../functions/shared/delivery-status.js'
import { emailSender } from '../../infra/api.js'
import { LOCAL_CONFIGURATION_SET } from '../../infra/local/email-delivery.js'
import { startSesEvents, type SesEvents } from '../../infra/local/ses-events.js'
import type { SesFault } from '../support/ses-fault-proxy.js'
import {
  insertRecord,
  mailTo,
  newSession,
  putSession,
  readSession,
  testDependencies,
  useEmailEnv,
} from './fixtures/email-env.js'

const env = useEmailEnv()
const publishers: SesEvents[] = []

afterEach(async () => {
  env().proxy.setFault(null)
  await Promise.all(publishers.splice(0).map((publisher) => publisher.stop()))
})

/** SES event publishing in front of the fault proxy, keeping every event it publishes. */
async function publishing(): Promise<{ url: string; events: SesEventBridgeEvent[] }> {
  const events: SesEventBridgeEvent[] = []
  const publisher = await startSesEvents({
    upstream: env().proxy.url,
    configurationSets: [LOCAL_CONFIGURATION_SET],
    handler: async (event) => {
      events.push(event)
    },
    region: 'us-east-1',
  })
  publishers.push(publisher)
  return { url: publisher.url, events }
}

async function deliveryOf(sessionId: string) {
  const item = await readSession(env(), sessionId)
  return { status: item?.deliveryStatus, reason: item?.deliveryReason, at: item?.deliveryStatusAt }
}

describe('Function: send-otp-email, the delivery state', () => {
  it('records SENT once SES accepted the mail, and announces the transition once', async () => {
    const announced: DeliveryTransition[] = []
    const deps = testDependencies(env(), {
      afterTransition: async (transition) => void announced.push(transition),
    })
    const session = newSession()
    await putSession(env(), session)
    const before = Date.now()

    await createHandler(deps)({ Records: [insertRecord(session), insertRecord(session)] })

    const state = await deliveryOf(session.sessionId)
    expect(state).toMatchObject({ status: 'SENT', reason: undefined })
    expect(state.at).toBeGreaterThanOrEqual(before)
    expect(announced).toEqual([{ sessionId: session.sessionId, status: 'SENT', at: state.at }])
  })

  it('sends through the configuration set, tagged with the session id, so that SES events name the session', async () => {
    const ses = await publishing()
    const deps = testDependencies(env(), { sesUrl: ses.url })
    const session = newSession()
    await putSession(env(), session)

    await createHandler(deps)({ Records: [insertRecord(session)] })

    const [sent] = ses.events
    expect(sent?.detail.eventType).toBe('Send')
    expect(sent?.detail.mail.tags).toMatchObject({
      'ses:configuration-set': [LOCAL_CONFIGURATION_SET],
      [emailSender.sessionTag]: [session.sessionId],
    })
    expect(sent?.detail.mail.messageId).toBe(
      (await readSession(env(), session.sessionId))?.deliveryMessageId,
    )
  })

  it('fails for good, without mail, when SES does not know the configuration set', async () => {
    const ses = await publishing()
    const deps = testDependencies(env(), {
      sesUrl: ses.url,
      config: { configurationSet: 'no-such-set' },
    })
    const session = newSession()
    await putSession(env(), session)

    const result = await createHandler(deps)({ Records: [insertRecord(session)] })

    expect(result.batchItemFailures).toEqual([])
    expect(await mailTo(env(), session.email)).toHaveLength(0)
    expect(await readSession(env(), session.sessionId)).toMatchObject({
      delivery: 'FAILED',
      deliveryError: 'ConfigurationSetDoesNotExistException',
      deliveryStatus: 'FAILED',
      deliveryReason: 'SEND_REFUSED',
    })
    expect(ses.events).toEqual([])
  })

  it.each<[SesFault, string]>([
    ['reject', 'MESSAGE_REJECTED'],
    ['paused', 'SENDING_PAUSED'],
    ['invalid-address', 'INVALID_ADDRESS'],
    ['unverified-sender', 'SEND_REFUSED'],
  ])(
    'records FAILED with a public reason when SES refuses for good (%s → %s)',
    async (fault, reason) => {
      const deps = testDependencies(env())
      const session = newSession()
      await putSession(env(), session)
      env().proxy.setFault(fault, { recipient: session.email })

      await createHandler(deps)({ Records: [insertRecord(session)] })

      expect(await deliveryOf(session.sessionId)).toMatchObject({ status: 'FAILED', reason })
    },
  )

  it('records FAILED, CODE_EXPIRED for a session that expired before its mail', async () => {
    const deps = testDependencies(env())
    const session = newSession({ expiresAt: Date.now() - 1 })
    await putSession(env(), session)

    await createHandler(deps)({ Records: [insertRecord(session)] })

    expect(await deliveryOf(session.sessionId)).toMatchObject({
      status: 'FAILED',
      reason: 'CODE_EXPIRED',
    })
  })

  it('keeps QUEUED (no deliveryStatus) while a transient failure is retried, then FAILED, SEND_RETRIES_EXHAUSTED', async () => {
    const deps = testDependencies(env(), { config: { maxDeliveryAttempts: 2 } })
    const handler = createHandler(deps)
    const session = newSession()
    await putSession(env(), session)
    env().proxy.setFault('unavailable', { recipient: session.email })

    await handler({ Records: [insertRecord(session)] })
    expect(await deliveryOf(session.sessionId)).toMatchObject({ status: undefined })
    await handler({ Records: [insertRecord(session)] })

    expect(await deliveryOf(session.sessionId)).toMatchObject({
      status: 'FAILED',
      reason: 'SEND_RETRIES_EXHAUSTED',
    })
  })

  it('does not move a session back to SENT that SES events already moved on', async () => {
    const deps = testDependencies(env())
    const session = newSession({
      deliveryStatus: 'DELIVERED',
      deliveryRank: 3,
      deliveryStatusAt: 5,
    })
    await putSession(env(), session)

    await createHandler(deps)({ Records: [insertRecord(session)] })

    expect(await mailTo(env(), session.email)).toHaveLength(1)
    expect(await deliveryOf(session.sessionId)).toEqual({
      status: 'DELIVERED',
      reason: undefined,
      at: 5,
    })
  })
})
