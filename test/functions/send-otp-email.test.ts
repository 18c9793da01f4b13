import { afterEach, describe, expect, it } from 'vitest'
import { createHandler } from '../../functions/send-otp-email/handler.js'
import { DEFAULT_RETRY_POLICY } from '../../functions/send-otp-email/retry.js'
import type { SesFault } from '../support/ses-fault-proxy.js'
import {
  captureLogs,
  insertRecord,
  mailTo,
  newSession,
  putSession,
  readSession,
  testDependencies,
  useEmailEnv,
} from './fixtures/email-env.js'

const env = useEmailEnv()

afterEach(() => {
  env().proxy.setFault(null)
})

describe('Function: send-otp-email', () => {
  it('sends one email and records SENT with the SES message id', async () => {
    // Prepare
    const deps = testDependencies(env())
    const session = newSession()
    await putSession(env(), session)

    // Act
    const result = await createHandler(deps)({ Records: [insertRecord(session)] })

    // Assess
    expect(result.batchItemFailures).toEqual([])
    const mail = await mailTo(env(), session.email)
    expect(mail).toHaveLength(1)
    expect(mail[0]?.from).toBe(deps.config.senderAddress)
    expect(mail[0]?.body.text).toContain(session.code)
    expect(mail[0]?.body.html).toContain(session.code)
    const stored = await readSession(env(), session.sessionId)
    expect(stored).toMatchObject({
      delivery: 'SENT',
      deliveryAttempts: 1,
      deliveryMessageId: mail[0]?.messageId,
    })
    expect(stored?.deliveryLeaseUntil).toBeUndefined()
  })

  it('sends once when the same record is delivered twice, one after the other and at the same time', async () => {
    const handler = createHandler(testDependencies(env()))
    const once = newSession()
    const concurrent = newSession()
    await putSession(env(), once)
    await putSession(env(), concurrent)
    const record = insertRecord(once)
    const concurrentRecord = insertRecord(concurrent)

    const first = await handler({ Records: [record] })
    const second = await handler({ Records: [record] })
    const together = await Promise.all(
      [1, 2, 3].map(() => handler({ Records: [concurrentRecord] })),
    )

    expect(first.batchItemFailures).toEqual([])
    expect(second.batchItemFailures).toEqual([])
    expect(together.flatMap((r) => r.batchItemFailures)).toEqual([])
    expect(await mailTo(env(), once.email)).toHaveLength(1)
    expect(await mailTo(env(), concurrent.email)).toHaveLength(1)
    expect(await readSession(env(), concurrent.sessionId)).toMatchObject({
      delivery: 'SENT',
      deliveryAttempts: 1,
    })
  })

  it('reports only the record whose address stays throttled, and sends it once the throttling stops', async () => {
    // Prepare
    const handler = createHandler(testDependencies(env()))
    const [a, b, c] = [newSession(), newSession(), newSession()]
    for (const s of [a, b, c]) await putSession(env(), s)
    const records = [a, b, c].map(insertRecord)
    env().proxy.setFault('throttle', { recipient: b.email })

    // Act
    const result = await handler({ Records: records })

    // Assess
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: records[1]?.dynamodb?.SequenceNumber },
    ])
    expect(await readSession(env(), a.sessionId)).toMatchObject({ delivery: 'SENT' })
    expect(await readSession(env(), b.sessionId)).toMatchObject({
      delivery: 'RETRY',
      deliveryAttempts: 1,
    })
    expect(await readSession(env(), c.sessionId)).toMatchObject({ delivery: 'SENT' })
    expect(await mailTo(env(), b.email)).toHaveLength(0)

    // Act: Lambda retries from the failed record's sequence number on
    env().proxy.setFault(null)
    const retried = await handler({ Records: records.slice(1) })

    // Assess
    expect(retried.batchItemFailures).toEqual([])
    expect(await readSession(env(), b.sessionId)).toMatchObject({
      delivery: 'SENT',
      deliveryAttempts: 2,
    })
    for (const s of [a, b, c]) expect(await mailTo(env(), s.email)).toHaveLength(1)
  })

  it('retries SES throttling within the invocation and succeeds', async () => {
    const handler = createHandler(testDependencies(env()))
    const session = newSession()
    await putSession(env(), session)
    const faultsBefore = env().proxy.faultCount()
    env().proxy.setFault('throttle', { times: 2 })

    const result = await handler({ Records: [insertRecord(session)] })

    expect(result.batchItemFailures).toEqual([])
    expect(env().proxy.faultCount() - faultsBefore).toBe(2)
    expect(await readSession(env(), session.sessionId)).toMatchObject({
      delivery: 'SENT',
      deliveryAttempts: 1,
    })
    expect(await mailTo(env(), session.email)).toHaveLength(1)
  })

  it('rides out an SES outage of several seconds within one invocation, with the deployed retry policy', async () => {
    // Prepare
    const handler = createHandler(testDependencies(env(), { retry: DEFAULT_RETRY_POLICY }))
    const sessions = Array.from({ length: 5 }, () => newSession())
    for (const s of sessions) await putSession(env(), s)
    const faultsBefore = env().proxy.faultCount()
    env().proxy.setFault('down')
    const outage = setTimeout(() => env().proxy.setFault(null), 4_000)

    // Act
    let result
    try {
      result = await handler({ Records: sessions.map(insertRecord) })
    } finally {
      clearTimeout(outage)
    }

    // Assess
    expect(env().proxy.faultCount() - faultsBefore).toBeGreaterThan(1)
    expect(result.batchItemFailures).toEqual([])
    for (const s of sessions) {
      expect(await readSession(env(), s.sessionId)).toMatchObject({
        delivery: 'SENT',
        deliveryAttempts: 1,
      })
      expect(await mailTo(env(), s.email)).toHaveLength(1)
    }
  })

  it('leaves a record it has no time left for unclaimed and reports it for retry', async () => {
    const handler = createHandler(testDependencies(env()))
    const session = newSession()
    await putSession(env(), session)
    const record = insertRecord(session)

    const result = await handler({ Records: [record] }, { getRemainingTimeInMillis: () => 3_500 })

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb?.SequenceNumber }])
    expect(await readSession(env(), session.sessionId)).not.toHaveProperty('delivery')
    expect(await mailTo(env(), session.email)).toHaveLength(0)
  })

  it('marks a rejected mail FAILED and sends it to the dead-letter destination without the code or the address', async () => {
    const deps = testDependencies(env())
    const session = newSession()
    await putSession(env(), session)
    env().proxy.setFault('reject')

    const result = await createHandler(deps)({ Records: [insertRecord(session)] })

    expect(result.batchItemFailures).toEqual([])
    expect(await readSession(env(), session.sessionId)).toMatchObject({
      delivery: 'FAILED',
      deliveryError: 'MessageRejected',
      deliveryAttempts: 1,
    })
    expect(deps.deadLetters).toEqual([
      {
        type: 'otp-email-undeliverable',
        sessionId: session.sessionId,
        reason: 'MessageRejected',
        attempts: 1,
        failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ])
    expect(JSON.stringify(deps.deadLetters)).not.toContain(session.code)
    expect(JSON.stringify(deps.deadLetters)).not.toContain(session.email)
  })

  it('gives up after MAX_DELIVERY_ATTEMPTS transient failures and dead-letters the session', async () => {
    const deps = testDependencies(env(), { config: { maxDeliveryAttempts: 2 } })
    const handler = createHandler(deps)
    const session = newSession()
    await putSession(env(), session)
    const record = insertRecord(session)
    env().proxy.setFault('unavailable')

    const first = await handler({ Records: [record] })
    const second = await handler({ Records: [record] })

    expect(first.batchItemFailures).toHaveLength(1)
    expect(second.batchItemFailures).toEqual([])
    expect(await readSession(env(), session.sessionId)).toMatchObject({
      delivery: 'FAILED',
      deliveryError: 'MAX_ATTEMPTS',
      deliveryAttempts: 2,
    })
    expect(deps.deadLetters).toMatchObject([
      { sessionId: session.sessionId, reason: 'MAX_ATTEMPTS', attempts: 2 },
    ])
  })

  it('does not mail an expired session and marks it FAILED with reason EXPIRED', async () => {
    const deps = testDependencies(env())
    const session = newSession({ expiresAt: Date.now() - 1_000 })
    await putSession(env(), session)

    const result = await createHandler(deps)({ Records: [insertRecord(session)] })

    expect(result.batchItemFailures).toEqual([])
    expect(await mailTo(env(), session.email)).toHaveLength(0)
    expect(await readSession(env(), session.sessionId)).toMatchObject({
      delivery: 'FAILED',
      deliveryError: 'EXPIRED',
    })
    expect(deps.deadLetters).toMatchObject([{ sessionId: session.sessionId, reason: 'EXPIRED' }])
  })

  it('does not mail a session that was locked before the record arrived', async () => {
    const deps = testDependencies(env())
    const session = newSession()
    const record = insertRecord(session)
    await putSession(env(), { ...session, status: 'LOCKED', code: undefined, lockedAt: Date.now() })

    const result = await createHandler(deps)({ Records: [record] })

    expect(result.batchItemFailures).toEqual([])
    expect(await mailTo(env(), session.email)).toHaveLength(0)
    expect(await readSession(env(), session.sessionId)).toMatchObject({
      delivery: 'FAILED',
      deliveryError: 'NOT_PENDING',
    })
    expect(deps.deadLetters).toEqual([])
  })

  it('reports a record whose claim is held past the invocation for retry, without mailing it', async () => {
    const handler = createHandler(testDependencies(env()))
    const held = newSession({
      delivery: 'SENDING',
      deliveryAttempts: 1,
      deliveryLeaseUntil: Date.now() + 60_000,
    })
    await putSession(env(), held)
    const record = insertRecord(held)

    const result = await handler({ Records: [record] }, { getRemainingTimeInMillis: () => 6_000 })

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: record.dynamodb?.SequenceNumber }])
    expect(await mailTo(env(), held.email)).toHaveLength(0)
    expect(await readSession(env(), held.sessionId)).toMatchObject({
      delivery: 'SENDING',
      deliveryAttempts: 1,
    })
  })

  it('waits out the claim of an invocation that crashed before settling, then sends once', async () => {
    const handler = createHandler(testDependencies(env()))
    const abandoned = newSession({
      delivery: 'SENDING',
      deliveryAttempts: 1,
      deliveryLeaseUntil: Date.now() + 1_500,
    })
    await putSession(env(), abandoned)

    const result = await handler({ Records: [insertRecord(abandoned)] })

    expect(result.batchItemFailures).toEqual([])
    expect(await mailTo(env(), abandoned.email)).toHaveLength(1)
    expect(await readSession(env(), abandoned.sessionId)).toMatchObject({
      delivery: 'SENT',
      deliveryAttempts: 2,
    })
  })

  it('takes over a claim whose lease has run out', async () => {
    const handler = createHandler(testDependencies(env()))
    const stale = newSession({
      delivery: 'SENDING',
      deliveryAttempts: 1,
      deliveryLeaseUntil: Date.now() - 1,
    })
    await putSession(env(), stale)

    const result = await handler({ Records: [insertRecord(stale)] })

    expect(result.batchItemFailures).toEqual([])
    expect(await mailTo(env(), stale.email)).toHaveLength(1)
    expect(await readSession(env(), stale.sessionId)).toMatchObject({
      delivery: 'SENT',
      deliveryAttempts: 2,
    })
  })

  it('refuses an address that carries CR/LF and a second recipient', async () => {
    const deps = testDependencies(env())
    const session = newSession()
    session.email = `${session.email}\r\nBcc: someone-else@example.com`
    await putSession(env(), session)

    const result = await createHandler(deps)({ Records: [insertRecord(session)] })

    expect(result.batchItemFailures).toEqual([])
    expect(await mailTo(env(), 'someone-else@example.com')).toHaveLength(0)
    expect(await readSession(env(), session.sessionId)).toMatchObject({
      delivery: 'FAILED',
      deliveryError: 'INVALID_RECIPIENT',
    })
  })

  it('skips a record that is not the INSERT of a session', async () => {
    const deps = testDependencies(env())
    const session = newSession()
    const modify = { ...insertRecord(session), eventName: 'MODIFY' as const }

    const result = await createHandler(deps)({ Records: [modify] })

    expect(result.batchItemFailures).toEqual([])
    expect(await readSession(env(), session.sessionId)).toBeUndefined()
  })

  it('never writes the code or the full address to a log line, whatever the outcome', async () => {
    // Prepare
    const capture = captureLogs()
    const sessions = Array.from({ length: 4 }, () => newSession())
    const deps = testDependencies(env(), {
      logger: capture.logger,
      config: { maxDeliveryAttempts: 2 },
    })
    const handler = createHandler(deps)
    try {
      for (const s of sessions) await putSession(env(), s)
      const [sent, throttled, rejected, duplicate] = sessions.map(insertRecord)

      // Act: sent, retry, failed and skipped outcomes
      await handler({ Records: [sent!, duplicate!, duplicate!] })
      env().proxy.setFault('throttle', { recipient: sessions[1]?.email })
      await handler({ Records: [throttled!] })
      env().proxy.setFault('reject', { recipient: sessions[2]?.email })
      await handler({ Records: [rejected!] })
    } finally {
      capture.restore()
    }

    // Assess
    const lines = capture.lines()
    const outcomes = lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { service?: string; outcome?: string })
      .filter((entry) => entry.service === 'send-otp-email')
      .map((entry) => entry.outcome)
    expect(outcomes).toEqual(['sent', 'sent', 'skipped', 'retry', 'failed'])
    for (const s of sessions) {
      for (const line of lines) {
        expect(line).not.toContain(s.code)
        expect(line).not.toContain(s.email)
      }
    }
    expect(lines[0]).toContain(`"recipient":"u***@example.com"`)
  })
})

describe('Function: send-otp-email, SES calls counted', () => {
  it.each<[SesFault, string]>([
    ['reject', 'MessageRejected'],
    ['unverified-sender', 'MailFromDomainNotVerifiedException'],
    ['invalid-address', 'InvalidParameterValue'],
    ['paused', 'AccountSendingPausedException'],
  ])(
    'calls SES exactly once for a permanent refusal (%s) and dead-letters it',
    async (fault, reason) => {
      // Prepare
      const deps = testDependencies(env())
      const session = newSession()
      await putSession(env(), session)
      const record = insertRecord(session)
      env().proxy.setFault(fault, { recipient: session.email })
      const callsBefore = env().proxy.sendCount()

      // Act
      const result = await createHandler(deps)({ Records: [record] })

      // Assess
      expect(env().proxy.sendCount() - callsBefore).toBe(1)
      expect(result.batchItemFailures).toEqual([])
      expect(await readSession(env(), session.sessionId)).toMatchObject({
        delivery: 'FAILED',
        deliveryError: reason,
        deliveryAttempts: 1,
      })
      expect(deps.deadLetters).toMatchObject([
        { sessionId: session.sessionId, reason, attempts: 1 },
      ])
    },
  )

  it.each<SesFault>(['throttle', 'unavailable', 'down'])(
    'calls SES again on a transient failure (%s), as often as the retry policy allows, then reports the record for retry',
    async (fault) => {
      // Prepare
      const deps = testDependencies(env(), {
        retry: { maxTries: 3, baseDelayMs: 1, maxDelayMs: 1 },
      })
      const session = newSession()
      await putSession(env(), session)
      const record = insertRecord(session)
      env().proxy.setFault(fault, { recipient: session.email })
      const callsBefore = env().proxy.sendCount()

      // Act
      const result = await createHandler(deps)({ Records: [record] })

      // Assess
      expect(env().proxy.sendCount() - callsBefore).toBe(3)
      expect(result.batchItemFailures).toEqual([
        { itemIdentifier: record.dynamodb?.SequenceNumber },
      ])
      expect(await readSession(env(), session.sessionId)).toMatchObject({
        delivery: 'RETRY',
        deliveryAttempts: 1,
      })
      expect(deps.deadLetters).toEqual([])
    },
  )

  it('never calls SES for an address that could smuggle a header', async () => {
    const deps = testDependencies(env())
    const session = newSession()
    session.email = `${session.email}\r\nBcc: someone-else@example.com`
    await putSession(env(), session)
    const callsBefore = env().proxy.sendCount()

    const result = await createHandler(deps)({ Records: [insertRecord(session)] })

    expect(env().proxy.sendCount() - callsBefore).toBe(0)
    expect(result.batchItemFailures).toEqual([])
    expect(deps.deadLetters).toMatchObject([
      { sessionId: session.sessionId, reason: 'INVALID_RECIPIENT' },
    ])
  })
})
