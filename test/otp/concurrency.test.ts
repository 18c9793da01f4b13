import { describe, expect, it } from 'vitest'
import { graphql, signedGraphql, useLocalStack } from '../support/local-stack.js'
import {
  REDEEM,
  REQUEST_OTP,
  VERIFY_OTP,
  inParallel,
  itemsWithPrefix,
  readSession,
  uniqueEmail,
  wrongCode,
} from './operations.js'

/**
 * Every request of these suites comes from one client (127.0.0.1): the caps of a client across
 * all addresses, and of a mailbox across all clients, are raised out of the way where a test
 * measures another limit (test/otp/abuse-resistance.test.ts tests those caps).
 */
const ONE_CLIENT_UNCAPPED = {
  maxSendsPerClientPerHour: 100_000,
  maxFailuresPerClientPerHour: 100_000,
  maxFailuresPerMailboxPerHour: 100_000,
}

describe('security invariants under concurrency (hundreds of parallel requests)', () => {
  const local = useLocalStack({
    email: false,
    settings: {
      resendCooldownSeconds: 0,
      maxSendsPerWindow: 5,
      maxFailuresPerWindow: 1000,
      ...ONE_CLIENT_UNCAPPED,
    },
  })

  async function newSession(email = uniqueEmail()) {
    const stack = local.stack()
    const body = await graphql(stack, REQUEST_OTP, { email })
    const { sessionId } = body.data.requestOtp
    return {
      stack,
      sessionId: sessionId as string,
      code: (await readSession(stack, sessionId))?.code as string,
    }
  }

  it('evaluates at most maxAttempts of 200 parallel wrong guesses on one session, and none succeeds (S2)', async () => {
    const { stack, sessionId, code } = await newSession()
    const bodies = await inParallel(200, () =>
      graphql(stack, VERIFY_OTP, { sessionId, code: wrongCode(code) }),
    )
    const statuses = bodies.map(
      (body) => body.data?.verifyOtp?.status ?? body.errors?.[0]?.errorType,
    )
    const evaluated = statuses.filter((status) => status === 'INVALID_CODE')
    expect(evaluated.length).toBeGreaterThan(0)
    expect(evaluated.length).toBeLessThanOrEqual(5)
    expect(statuses).not.toContain('VERIFIED')
    expect(new Set(statuses)).toEqual(new Set(['INVALID_CODE', 'LOCKED']))
    const session = await readSession(stack, sessionId)
    expect(session).toMatchObject({ status: 'LOCKED', attempts: 5 })
    expect(session?.code).toBeUndefined()
  })

  it('yields exactly one VERIFIED and one token from 20 parallel correct verifications (S4)', async () => {
    const { stack, sessionId, code } = await newSession()
    const bodies = await inParallel(20, () => graphql(stack, VERIFY_OTP, { sessionId, code }))
    const verified = bodies.filter((body) => body.data?.verifyOtp?.status === 'VERIFIED')
    expect(verified).toHaveLength(1)
    const tokens = bodies.map((body) => body.data?.verifyOtp?.verificationToken).filter(Boolean)
    expect(tokens).toHaveLength(1)
    const tokenItems = await itemsWithPrefix(stack, 'TOKEN#')
    expect(tokenItems.filter((item) => item.sessionId === sessionId)).toHaveLength(1)
    for (const body of bodies)
      expect(['VERIFIED', 'ALREADY_USED', 'LOCKED']).toContain(body.data?.verifyOtp?.status)
  })

  it('leaves the failure budgets of the address untouched by 20 parallel checks of the right code (S3)', async () => {
    const email = uniqueEmail()
    const { stack, sessionId, code } = await newSession(email)

    const bodies = await inParallel(20, () => graphql(stack, VERIFY_OTP, { sessionId, code }))

    expect(bodies.filter((body) => body.data?.verifyOtp?.status === 'VERIFIED')).toHaveLength(1)
    const pair = await itemsWithPrefix(stack, `FAILURES#PAIR#127.0.0.1#${email}#`)
    const mailbox = await itemsWithPrefix(stack, `FAILURES#MAILBOX#${email}#`)
    expect([...pair, ...mailbox].map((counter) => counter.count)).toEqual([0, 0])
  })

  it('creates at most the quota of sessions from 50 parallel requests of one client for one address (S3)', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const bodies = await inParallel(50, () => graphql(stack, REQUEST_OTP, { email }))
    const accepted = bodies.filter((body) => body.data?.requestOtp?.sessionId)
    const refused = bodies.filter((body) => body.errors?.[0]?.errorType === 'TooManyRequests')
    expect(accepted.length).toBeGreaterThan(0)
    expect(accepted.length).toBeLessThanOrEqual(5)
    expect(accepted.length + refused.length).toBe(50)
    const sessions = (await itemsWithPrefix(stack, 'SESSION#')).filter(
      (item) => item.email === email,
    )
    expect(sessions).toHaveLength(accepted.length)
  })

  it('redeems a token once under 20 parallel redemptions (S4)', async () => {
    const { stack, sessionId, code } = await newSession()
    const verified = await graphql(stack, VERIFY_OTP, { sessionId, code })
    const token = verified.data.verifyOtp.verificationToken as string
    const bodies = await inParallel(20, () => signedGraphql(stack, REDEEM, { token }))
    const redeemed = bodies.filter((body) => body.data?.redeemVerification)
    expect(redeemed).toHaveLength(1)
    expect(bodies.filter((body) => body.errors)).toHaveLength(0)
  })
})

describe('resend cooldown under concurrency', () => {
  const local = useLocalStack({ email: false, settings: { resendCooldownSeconds: 30 } })

  it('accepts exactly one of 50 parallel requests for one address within the cooldown (S3)', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const bodies = await inParallel(50, () => graphql(stack, REQUEST_OTP, { email }))
    expect(bodies.filter((body) => body.data?.requestOtp?.sessionId)).toHaveLength(1)
    expect(bodies.filter((body) => body.errors?.[0]?.errorType === 'TooManyRequests')).toHaveLength(
      49,
    )
  })
})

describe('failure budget under concurrency', () => {
  const local = useLocalStack({
    email: false,
    settings: {
      resendCooldownSeconds: 0,
      maxSendsPerWindow: 5,
      maxFailuresPerWindow: 7,
      ...ONE_CLIENT_UNCAPPED,
    },
  })

  it('evaluates at most the failure budget of one client for one address of 100 parallel wrong guesses spread over five sessions (S3)', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const sessions: { sessionId: string; code: string }[] = []
    for (let sent = 0; sent < 5; sent += 1) {
      const body = await graphql(stack, REQUEST_OTP, { email })
      expect(body.errors).toBeUndefined()
      const { sessionId } = body.data.requestOtp
      sessions.push({ sessionId, code: (await readSession(stack, sessionId))?.code as string })
    }
    const bodies = await inParallel(100, (index) => {
      const { sessionId, code } = sessions[index % 5] as { sessionId: string; code: string }
      return graphql(stack, VERIFY_OTP, { sessionId, code: wrongCode(code) })
    })
    const evaluated = bodies.filter((body) => body.data?.verifyOtp?.status === 'INVALID_CODE')
    expect(evaluated.length).toBeGreaterThan(0)
    expect(evaluated.length).toBeLessThanOrEqual(7)
    expect(bodies.some((body) => body.errors?.[0]?.errorType === 'TooManyRequests')).toBe(true)
  })
})
