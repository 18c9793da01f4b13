/**
 * The attacks of issue "abuse resistance", run against the local stack by clients on different
 * loopback addresses (127.0.0.2, 127.0.0.3, ... are all this machine; the server sees each as its
 * own TCP peer, as AppSync sees a client): lockout (S11), inbox flood (S12), the global send
 * budget and suppressed mailboxes (S13).
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'
import { describe, expect, it } from 'vitest'
import { readInbox } from '../../infra/local/ses-local.js'
import { canonicalMailbox } from '../../infra/mailbox.js'
import { suppressionKey, type SuppressionItem } from '../../infra/model.js'
import { defaultSettings } from '../../infra/settings.js'
import {
  graphql,
  useLocalStack,
  type GraphqlBody,
  type LocalStack,
  type RequestOptions,
} from '../support/local-stack.js'
import {
  REQUEST_OTP,
  VERIFY_OTP,
  clearOfWindowEdge,
  inParallel,
  itemsWithPrefix,
  readSession,
  wrongCode,
} from './operations.js'

const HOUR_MS = 3_600_000
const MINUTE_MS = 60_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const tag = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

/** The reason of a refusal, the status of a check, or `ok` for a new session. */
function outcome(body: GraphqlBody): string {
  const error = body.errors?.[0]
  if (error) return String(error.errorInfo?.reason ?? error.errorType)
  return body.data?.verifyOtp?.status ?? (body.data?.requestOtp?.sessionId ? 'ok' : 'nothing')
}

async function requestCode(stack: LocalStack, email: string, options: RequestOptions) {
  const body = await graphql(stack, REQUEST_OTP, { email }, options)
  const sessionId = body.data?.requestOtp?.sessionId as string | undefined
  const code = sessionId ? ((await readSession(stack, sessionId))?.code as string) : undefined
  return { body, sessionId, code }
}

describe('S11: a stranger on one IP cannot lock a person on another IP out', () => {
  // The defaults, with a one-second cooldown so that the attacker can use every send in seconds.
  const local = useLocalStack({ email: false, settings: { resendCooldownSeconds: 1 } })

  it('lets the victim on 127.0.0.3 get and verify a code after an attacker on 127.0.0.2 did everything the limits allow against the mailbox', async () => {
    const stack = local.stack()
    await clearOfWindowEdge(HOUR_MS, 60_000)
    const id = tag()
    const victim = `ada.lovelace.${id}@gmail.com`
    // The same mailbox as typed by an attacker hunting for fresh limits (S12).
    const variants = [
      victim,
      `adalovelace${id}+1@gmail.com`,
      `A.da.Love.Lace.${id}+x@GoogleMail.com`,
      `ada.lovelace${id}+2@gmail.com`,
    ]
    const sessions: { sessionId: string; code: string }[] = []
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const email = variants[attempt % variants.length] as string
      // Each request also claims to come from somewhere else: AppSync appends the real peer.
      const spoofed = { 'x-forwarded-for': `198.51.100.${attempt}, 127.0.0.3` }
      const sent = await requestCode(stack, email, { from: '127.0.0.2', headers: spoofed })
      if (sent.sessionId) sessions.push({ sessionId: sent.sessionId, code: sent.code as string })
      else expect(['RESEND_COOLDOWN', 'SEND_QUOTA']).toContain(outcome(sent.body))
      await sleep(1_100)
    }
    const checks: string[] = []
    for (const { sessionId, code } of sessions) {
      for (let guess = 0; guess < defaultSettings.maxAttempts; guess += 1) {
        const body = await graphql(
          stack,
          VERIFY_OTP,
          { sessionId, code: wrongCode(code) },
          { from: '127.0.0.2' },
        )
        checks.push(outcome(body))
      }
    }

    const victimsCode = await requestCode(stack, victim, { from: '127.0.0.3' })
    const verified = await graphql(
      stack,
      VERIFY_OTP,
      { sessionId: victimsCode.sessionId, code: victimsCode.code },
      { from: '127.0.0.3' },
    )

    // The attacker got one send quota and one failure budget for all the spellings...
    expect(sessions).toHaveLength(defaultSettings.maxSendsPerWindow)
    expect(checks.filter((check) => check === 'INVALID_CODE')).toHaveLength(
      defaultSettings.maxFailuresPerWindow,
    )
    expect(checks).toContain('FAILURE_BUDGET')
    // ...and the victim noticed nothing.
    expect(victimsCode.body.errors).toBeUndefined()
    expect(verified.data?.verifyOtp?.status).toBe('VERIFIED')
  })

  it('spends none of another client’s limits when a request names that client in its own x-forwarded-for', async () => {
    const stack = local.stack()
    const email = `grace-${tag()}@example.com`
    const claimsToBeVictim = { from: '127.0.0.4', headers: { 'x-forwarded-for': '127.0.0.5' } }

    const first = await requestCode(stack, email, claimsToBeVictim)
    const again = await requestCode(stack, email, {
      from: '127.0.0.4',
      headers: { 'x-forwarded-for': '203.0.113.77' },
    })
    const victim = await requestCode(stack, email, { from: '127.0.0.5' })

    expect(outcome(first.body)).toBe('ok')
    expect(outcome(again.body)).toBe('RESEND_COOLDOWN')
    expect(outcome(victim.body)).toBe('ok')
  })
})

describe('S12: plus tags and Gmail dots are one mailbox', () => {
  const local = useLocalStack({
    email: false,
    settings: { maxFailuresPerWindow: 2, maxAttempts: 5 },
  })

  it('refuses a second spelling of one mailbox within the cooldown, and mails each code to the address as typed', async () => {
    const stack = local.stack()
    const id = tag()
    const from = { from: '127.0.0.6' }

    const tagged = await requestCode(stack, `ada+news-${id}@example.com`, from)
    const otherTag = await requestCode(stack, `Ada+shop-${id}@Example.com`, from)
    const dotted = await requestCode(stack, `a.da.${id}@gmail.com`, from)
    const alias = await requestCode(stack, `ada${id}+x@googlemail.com`, from)
    const anotherMailbox = await requestCode(stack, `ada1+news-${id}@example.com`, from)

    expect(outcome(tagged.body)).toBe('ok')
    expect(outcome(otherTag.body)).toBe('RESEND_COOLDOWN')
    expect(outcome(dotted.body)).toBe('ok')
    expect(outcome(alias.body)).toBe('RESEND_COOLDOWN')
    expect(outcome(anotherMailbox.body)).toBe('ok')
    expect(await readSession(stack, tagged.sessionId as string)).toMatchObject({
      email: `ada+news-${id}@example.com`,
    })
    expect(await readSession(stack, dotted.sessionId as string)).toMatchObject({
      email: `a.da.${id}@gmail.com`,
    })
  })

  it('counts wrong codes for every spelling of a mailbox against one failure budget', async () => {
    const stack = local.stack()
    const id = tag()
    const first = await requestCode(stack, `bob+a-${id}@example.com`, { from: '127.0.0.7' })
    const second = await requestCode(stack, `bob+b-${id}@example.com`, { from: '127.0.0.8' })
    const checker = { from: '127.0.0.9' }

    const firstMiss = await graphql(
      stack,
      VERIFY_OTP,
      { sessionId: first.sessionId, code: wrongCode(first.code as string) },
      checker,
    )
    const secondMiss = await graphql(
      stack,
      VERIFY_OTP,
      { sessionId: second.sessionId, code: wrongCode(second.code as string) },
      checker,
    )
    const third = await graphql(
      stack,
      VERIFY_OTP,
      { sessionId: second.sessionId, code: second.code },
      checker,
    )

    expect([outcome(firstMiss), outcome(secondMiss)]).toEqual(['INVALID_CODE', 'INVALID_CODE'])
    expect(outcome(third)).toBe('FAILURE_BUDGET')
  })
})

describe('S12: per-client caps across all addresses, with the defaults', () => {
  const local = useLocalStack({ email: false })

  it('sends at most maxSendsPerClientPerHour codes for 100 parallel requests from one IP to 100 addresses, and none fewer to another IP', async () => {
    const stack = local.stack()
    await clearOfWindowEdge(HOUR_MS, 30_000)
    const id = tag()

    const bodies = await inParallel(100, (index) =>
      graphql(
        stack,
        REQUEST_OTP,
        { email: `flood-${index}-${id}@example.com` },
        { from: '127.0.0.10' },
      ),
    )
    const elsewhere = await requestCode(stack, `flood-elsewhere-${id}@example.com`, {
      from: '127.0.0.11',
    })

    const outcomes = bodies.map(outcome)
    const sent = outcomes.filter((result) => result === 'ok')
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.length).toBeLessThanOrEqual(defaultSettings.maxSendsPerClientPerHour)
    expect(new Set(outcomes.filter((result) => result !== 'ok'))).toEqual(
      new Set(['CLIENT_SEND_QUOTA']),
    )
    const sessions = (await itemsWithPrefix(stack, 'SESSION#')).filter((item) =>
      String(item.email).endsWith(`-${id}@example.com`),
    )
    expect(sessions).toHaveLength(sent.length + 1)
    expect(outcome(elsewhere.body)).toBe('ok')
  })

  it('evaluates at most maxFailuresPerClientPerHour of 100 parallel wrong codes from one IP across ten addresses', async () => {
    const stack = local.stack()
    await clearOfWindowEdge(HOUR_MS, 30_000)
    const id = tag()
    const sessions: { sessionId: string; code: string }[] = []
    for (let index = 0; index < 11; index += 1) {
      const sent = await requestCode(stack, `guess-${index}-${id}@example.com`, {
        from: '127.0.0.12',
      })
      sessions.push({ sessionId: sent.sessionId as string, code: sent.code as string })
    }
    const [spare, ...targets] = sessions

    const bodies = await inParallel(100, (index) => {
      const { sessionId, code } = targets[index % targets.length] as (typeof targets)[number]
      return graphql(
        stack,
        VERIFY_OTP,
        { sessionId, code: wrongCode(code) },
        { from: '127.0.0.13' },
      )
    })
    const otherClient = await graphql(stack, VERIFY_OTP, spare, { from: '127.0.0.14' })

    const outcomes = bodies.map(outcome)
    const evaluated = outcomes.filter((result) => result === 'INVALID_CODE')
    expect(evaluated.length).toBeGreaterThan(0)
    expect(evaluated.length).toBeLessThanOrEqual(defaultSettings.maxFailuresPerClientPerHour)
    expect(outcomes).toContain('CLIENT_FAILURE_BUDGET')
    expect(outcome(otherClient)).toBe('VERIFIED')
  })
})

describe('S11: the mailbox caps bound what many clients can do together', () => {
  const local = useLocalStack({
    email: false,
    settings: {
      resendCooldownSeconds: 0,
      maxSendsPerMailboxPerHour: 6,
      maxFailuresPerMailboxPerHour: 4,
    },
  })

  it('sends at most maxSendsPerMailboxPerHour codes to one mailbox requested by 10 IPs at once, then counts everyone’s wrong codes against one cap', async () => {
    const stack = local.stack()
    await clearOfWindowEdge(HOUR_MS, 30_000)
    const id = tag()
    const clients = Array.from({ length: 10 }, (_, index) => `127.0.1.${index + 1}`)

    const requests = await Promise.all(
      clients.map((from, index) =>
        requestCode(stack, `carol+${index}-${id}@example.com`, { from }),
      ),
    )
    const sent = requests.filter((request) => request.sessionId)
    const checks = await Promise.all(
      sent.map((request, index) =>
        graphql(
          stack,
          VERIFY_OTP,
          { sessionId: request.sessionId, code: wrongCode(request.code as string) },
          { from: clients[index] },
        ),
      ),
    )

    expect(sent.length).toBeGreaterThan(0)
    expect(sent.length).toBeLessThanOrEqual(6)
    expect(
      new Set(requests.filter((request) => !request.sessionId).map((r) => outcome(r.body))),
    ).toEqual(new Set(['MAILBOX_SEND_QUOTA']))
    const outcomes = checks.map(outcome)
    expect(outcomes.filter((result) => result === 'INVALID_CODE').length).toBeLessThanOrEqual(4)
    expect(outcomes).toContain('MAILBOX_FAILURE_BUDGET')
  })
})

describe('S13: the global send budget', () => {
  const local = useLocalStack({ email: false, settings: { maxSendsPerMinute: 4 } })

  it('refuses requests beyond maxSendsPerMinute with SERVICE_BUSY, and a request refused by its own limits spends none of it', async () => {
    const stack = local.stack()
    await clearOfWindowEdge(MINUTE_MS, 15_000)
    const id = tag()
    const first = await requestCode(stack, `dave-${id}@example.com`, { from: '127.0.2.1' })
    const cooling = await requestCode(stack, `dave-${id}@example.com`, { from: '127.0.2.1' })

    const bodies = await inParallel(12, (index) =>
      graphql(
        stack,
        REQUEST_OTP,
        { email: `burst-${index}-${id}@example.com` },
        { from: `127.0.2.${index + 2}` },
      ),
    )

    expect(outcome(first.body)).toBe('ok')
    expect(outcome(cooling.body)).toBe('RESEND_COOLDOWN')
    const outcomes = bodies.map(outcome)
    expect(outcomes.filter((result) => result === 'ok')).toHaveLength(3)
    expect(outcomes.filter((result) => result === 'SERVICE_BUSY')).toHaveLength(9)
    for (const body of bodies.filter((b) => outcome(b) === 'SERVICE_BUSY')) {
      expect(body.errors?.[0]?.errorType).toBe('TooManyRequests')
      expect(body.errors?.[0]?.errorInfo?.retryAfterSeconds).toBeLessThanOrEqual(60)
    }
    const budgetKey = `SENDS#GLOBAL#${Math.floor(Date.now() / MINUTE_MS)}`
    const budget = (await itemsWithPrefix(stack, budgetKey)).find((item) => item.pk === budgetKey)
    expect(budget?.count).toBe(4)
  })
})

describe('S13: a suppressed mailbox gets no code', () => {
  const local = useLocalStack({ settings: { resendCooldownSeconds: 0 } })

  it('refuses requestOtp for any spelling of a bounced mailbox with ADDRESS_UNDELIVERABLE, and sends nothing', async () => {
    const stack = local.stack()
    const id = tag()
    const bounced = `erin-${id}@example.com`
    const suppression: SuppressionItem = {
      pk: suppressionKey(canonicalMailbox(bounced)),
      kind: 'suppression',
      reason: 'BOUNCE',
      suppressedAt: Date.now(),
    }
    // As the SES event handler writes it after a hard bounce.
    await stack.dynamodb.send(
      new PutItemCommand({ TableName: stack.tableName, Item: marshall(suppression) }),
    )
    const typed = `Erin-${id}+Shop@Example.com`

    const refused = await graphql(stack, REQUEST_OTP, { email: typed }, { from: '127.0.3.1' })
    const control = await requestCode(stack, `frank-${id}@example.com`, { from: '127.0.3.1' })

    expect(refused.errors?.[0]).toMatchObject({
      errorType: 'BadRequest',
      errorInfo: { reason: 'ADDRESS_UNDELIVERABLE', field: 'email' },
    })
    expect(refused.data?.requestOtp ?? null).toBeNull()
    const sessions = await itemsWithPrefix(stack, 'SESSION#')
    expect(sessions.filter((item) => String(item.email).includes(`-${id}@`))).toHaveLength(1)
    // The control's mail arrives; the refused address has none after it.
    const ses = stack.urls.ses as string
    const deadline = Date.now() + 10_000
    let inbox = await readInbox(ses)
    while (!inbox.some((mail) => mail.destination.to.includes(`frank-${id}@example.com`))) {
      if (Date.now() > deadline) throw new Error('the control mail never arrived')
      await sleep(50)
      inbox = await readInbox(ses)
    }
    expect(control.sessionId).toBeDefined()
    expect(
      inbox.filter((mail) => mail.destination.to.join().toLowerCase().includes('erin')),
    ).toEqual([])
  })
})
