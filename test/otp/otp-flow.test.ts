import { describe, expect, it } from 'vitest'
import { graphql, signedGraphql, useLocalStack } from '../support/local-stack.js'
import {
  REDEEM,
  REQUEST_OTP,
  VERIFY_OTP,
  readSession,
  uniqueEmail,
  wrongCode,
} from './operations.js'

describe('OTP flow through the local stack', () => {
  const local = useLocalStack({
    email: false,
    settings: { resendCooldownSeconds: 0, maxSendsPerWindow: 50 },
  })

  async function start(email = uniqueEmail()) {
    const stack = local.stack()
    const body = await graphql(stack, REQUEST_OTP, { email })
    expect(body.errors).toBeUndefined()
    const challenge = body.data.requestOtp
    const session = await readSession(stack, challenge.sessionId)
    return { stack, challenge, code: session?.code as string, email }
  }

  it('requests a code, verifies it, and lets a backend redeem the token once with SigV4', async () => {
    const { stack, challenge, code, email } = await start()
    expect(challenge).toMatchObject({ email, codeLength: 6, maxAttempts: 5 })
    expect(challenge.sessionId).toMatch(/^[0-9a-f]{32}$/)
    expect(code).toMatch(/^[0-9]{6}$/)

    const verified = await graphql(stack, VERIFY_OTP, { sessionId: challenge.sessionId, code })
    expect(verified.errors).toBeUndefined()
    expect(verified.data.verifyOtp).toMatchObject({ status: 'VERIFIED', attemptsRemaining: 0 })
    const token = verified.data.verifyOtp.verificationToken as string
    expect(token).toMatch(/^[0-9a-f]{32}$/)

    const redeemed = await signedGraphql(stack, REDEEM, { token })
    expect(redeemed.errors).toBeUndefined()
    expect(redeemed.data.redeemVerification).toMatchObject({
      email,
      sessionId: challenge.sessionId,
    })
    const again = await signedGraphql(stack, REDEEM, { token })
    expect(again.data.redeemVerification).toBeNull()
  })

  it('normalises the address once: trimmed and lower-cased', async () => {
    const stack = local.stack()
    const email = uniqueEmail('Mixed')
    const body = await graphql(stack, REQUEST_OTP, { email: `  ${email.toUpperCase()} ` })
    // AWSEmail refuses surrounding spaces at the scalar; the upper-case form is accepted and lower-cased.
    const accepted = body.errors
      ? await graphql(stack, REQUEST_OTP, { email: email.toUpperCase() })
      : body
    expect(accepted.data.requestOtp.email).toBe(email.toLowerCase())
  })

  it('answers a wrong code with INVALID_CODE and the attempts left', async () => {
    const { stack, challenge, code } = await start()
    const body = await graphql(stack, VERIFY_OTP, {
      sessionId: challenge.sessionId,
      code: wrongCode(code),
    })
    expect(body.data.verifyOtp).toEqual({
      status: 'INVALID_CODE',
      attemptsRemaining: 4,
      verificationToken: null,
      verificationTokenExpiresAt: null,
    })
  })

  it('locks the session after the fifth wrong code, removes the code, and refuses the right code after', async () => {
    const { stack, challenge, code } = await start()
    const remaining: number[] = []
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const body = await graphql(stack, VERIFY_OTP, {
        sessionId: challenge.sessionId,
        code: wrongCode(code),
      })
      expect(body.data.verifyOtp.status).toBe('INVALID_CODE')
      remaining.push(body.data.verifyOtp.attemptsRemaining)
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0])
    const session = await readSession(stack, challenge.sessionId)
    expect(session).toMatchObject({ status: 'LOCKED', attempts: 5 })
    expect(session?.code).toBeUndefined()
    const right = await graphql(stack, VERIFY_OTP, { sessionId: challenge.sessionId, code })
    expect(right.data.verifyOtp).toMatchObject({
      status: 'LOCKED',
      attemptsRemaining: 0,
      verificationToken: null,
    })
  })

  it('says ALREADY_USED when a verified session is checked again, and removes the code on success', async () => {
    const { stack, challenge, code } = await start()
    await graphql(stack, VERIFY_OTP, { sessionId: challenge.sessionId, code })
    expect((await readSession(stack, challenge.sessionId))?.code).toBeUndefined()
    const again = await graphql(stack, VERIFY_OTP, { sessionId: challenge.sessionId, code })
    expect(again.data.verifyOtp).toMatchObject({ status: 'ALREADY_USED', verificationToken: null })
  })

  it('says NOT_FOUND for an unknown session id of either shape', async () => {
    const stack = local.stack()
    for (const sessionId of ['0123456789abcdef0123456789abcdef', 'not-a-session']) {
      const body = await graphql(stack, VERIFY_OTP, { sessionId, code: '123456' })
      expect(body.data.verifyOtp).toMatchObject({ status: 'NOT_FOUND', attemptsRemaining: 0 })
    }
  })

  it('never returns the code in any response of the flow', async () => {
    const { stack, challenge, code } = await start()
    const bodies = [
      await graphql(stack, VERIFY_OTP, { sessionId: challenge.sessionId, code: wrongCode(code) }),
      await graphql(stack, VERIFY_OTP, { sessionId: challenge.sessionId, code }),
    ]
    const text = JSON.stringify({ challenge, bodies })
    expect(text).not.toContain(`"${code}"`)
    expect(JSON.stringify(challenge)).not.toContain(code)
  })
})

describe('expiry (S5)', () => {
  const local = useLocalStack({
    email: false,
    settings: { codeTtlSeconds: 1, tokenTtlSeconds: 1, resendCooldownSeconds: 0 },
  })

  it('answers EXPIRED for the right code once the code is older than its expiry', async () => {
    const stack = local.stack()
    const body = await graphql(stack, REQUEST_OTP, { email: uniqueEmail() })
    const { sessionId } = body.data.requestOtp
    const code = (await readSession(stack, sessionId))?.code as string
    await new Promise((resolve) => setTimeout(resolve, 1_300))
    const verified = await graphql(stack, VERIFY_OTP, { sessionId, code })
    expect(verified.data.verifyOtp).toMatchObject({
      status: 'EXPIRED',
      attemptsRemaining: 0,
      verificationToken: null,
    })
  })

  it('redeems nothing once the verification token has expired', async () => {
    const stack = local.stack()
    const body = await graphql(stack, REQUEST_OTP, { email: uniqueEmail() })
    const { sessionId } = body.data.requestOtp
    const code = (await readSession(stack, sessionId))?.code as string
    const verified = await graphql(stack, VERIFY_OTP, { sessionId, code })
    await new Promise((resolve) => setTimeout(resolve, 1_300))
    const redeemed = await signedGraphql(stack, REDEEM, {
      token: verified.data.verifyOtp.verificationToken,
    })
    expect(redeemed.data.redeemVerification).toBeNull()
  })
})
