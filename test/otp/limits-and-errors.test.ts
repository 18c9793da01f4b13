import { describe, expect, it } from 'vitest'
import { graphql, useLocalStack } from '../support/local-stack.js'
import {
  REDEEM,
  REQUEST_OTP,
  VERIFY_OTP,
  itemsWithPrefix,
  readSession,
  uniqueEmail,
  wrongCode,
} from './operations.js'

type GraphqlError = { errorType?: string; errorInfo?: Record<string, unknown>; message: string }

function onlyError(body: { data?: unknown; errors?: GraphqlError[] }): GraphqlError {
  expect(body.errors).toHaveLength(1)
  const [error] = body.errors as GraphqlError[]
  expect(error?.message ?? '').not.toMatch(/\n\s+at /)
  return error as GraphqlError
}

describe('limits with the default settings', () => {
  const local = useLocalStack({ email: false })

  it('refuses a second code for the same address within the resend cooldown, saying how long to wait', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    expect((await graphql(stack, REQUEST_OTP, { email })).errors).toBeUndefined()
    const error = onlyError(await graphql(stack, REQUEST_OTP, { email }))
    expect(error.errorType).toBe('TooManyRequests')
    expect(error.errorInfo).toMatchObject({ reason: 'RESEND_COOLDOWN' })
    expect(error.errorInfo?.retryAfterSeconds).toBeGreaterThanOrEqual(1)
    expect(error.errorInfo?.retryAfterSeconds).toBeLessThanOrEqual(30)
  })

  it('refuses an address longer than 254 characters with BadRequest', async () => {
    const stack = local.stack()
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.com`
    expect(email.length).toBeGreaterThan(254)
    const body = await graphql(stack, REQUEST_OTP, { email })
    expect(onlyError(body)).toMatchObject({
      errorType: 'BadRequest',
      errorInfo: { field: 'email' },
    })
    expect(body.data?.requestOtp ?? null).toBeNull()
  })

  it.each([
    'not-an-address',
    'a@b',
    'two@@example.com',
    'line\r\nbreak@example.com',
    'spa ce@example.com',
    '',
  ])('refuses the malformed address %j', async (email) => {
    const body = await graphql(local.stack(), REQUEST_OTP, { email })
    // AppSync's AWSEmail scalar refuses most before any resolver runs, as a validation error
    // without errorType (AppSync's own shape); what passes the scalar, normaliseEmail refuses.
    const error = onlyError(body)
    if (error.errorType === undefined)
      expect(error.message).toBe("Variable 'email' has an invalid value: not a valid 'AWSEmail'")
    else expect(error).toMatchObject({ errorType: 'BadRequest', errorInfo: { field: 'email' } })
    expect(body.data?.requestOtp ?? null).toBeNull()
  })

  it.each([
    ['a code shorter than any code length', '0123456789abcdef0123456789abcdef', '123', 'code'],
    [
      'a code longer than any code length',
      '0123456789abcdef0123456789abcdef',
      '12345678901',
      'code',
    ],
    ['a code with a non-digit', '0123456789abcdef0123456789abcdef', '12a456', 'code'],
    ['a code with spaces', '0123456789abcdef0123456789abcdef', '123 56', 'code'],
    ['an empty session id', '', '123456', 'sessionId'],
  ])('answers %s with BadRequest naming the field', async (_case, sessionId, code, field) => {
    const error = onlyError(await graphql(local.stack(), VERIFY_OTP, { sessionId, code }))
    expect(error.errorType).toBe('BadRequest')
    expect(error.errorInfo).toMatchObject({ field })
  })

  it('refuses otpPolicy to the API key: the key reaches the two public mutations only (S10)', async () => {
    const body = await graphql(local.stack(), 'query { otpPolicy { codeLength } }')
    expect(onlyError(body).errorType).toBe('Unauthorized')
    expect(body.data?.otpPolicy ?? null).toBeNull()
  })

  it('refuses redeemVerification called with the API key', async () => {
    const body = await graphql(local.stack(), REDEEM, { token: '0123456789abcdef0123456789abcdef' })
    expect(onlyError(body).errorType).toMatch(/Unauthorized/)
    expect(body.data?.redeemVerification ?? null).toBeNull()
  })
})

describe('limits with a small quota and failure budget', () => {
  const local = useLocalStack({
    email: false,
    settings: { resendCooldownSeconds: 0, maxSendsPerWindow: 3, maxFailuresPerWindow: 3 },
  })

  it('refuses the fourth code in one send window with TooManyRequests and SEND_QUOTA', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    for (let sent = 0; sent < 3; sent += 1) {
      expect((await graphql(stack, REQUEST_OTP, { email })).errors).toBeUndefined()
    }
    const error = onlyError(await graphql(stack, REQUEST_OTP, { email }))
    expect(error).toMatchObject({
      errorType: 'TooManyRequests',
      errorInfo: { reason: 'SEND_QUOTA' },
    })
    expect(error.errorInfo?.retryAfterSeconds).toBeGreaterThanOrEqual(1)
  })

  it('counts failed checks across sessions of one address and refuses past the budget', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const first = (await graphql(stack, REQUEST_OTP, { email })).data.requestOtp.sessionId as string
    const second = (await graphql(stack, REQUEST_OTP, { email })).data.requestOtp
      .sessionId as string
    const firstCode = (await readSession(stack, first))?.code as string
    const secondCode = (await readSession(stack, second))?.code as string
    for (const [sessionId, code] of [
      [first, firstCode],
      [first, firstCode],
      [second, secondCode],
    ] as const) {
      const body = await graphql(stack, VERIFY_OTP, { sessionId, code: wrongCode(code) })
      expect(body.data.verifyOtp.status).toBe('INVALID_CODE')
    }
    const error = onlyError(
      await graphql(stack, VERIFY_OTP, { sessionId: second, code: secondCode }),
    )
    expect(error).toMatchObject({
      errorType: 'TooManyRequests',
      errorInfo: { reason: 'FAILURE_BUDGET' },
    })
  })

  it('does not count a right code against the failure budget', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const sessions: string[] = []
    for (let sent = 0; sent < 3; sent += 1) {
      sessions.push(
        (await graphql(stack, REQUEST_OTP, { email })).data.requestOtp.sessionId as string,
      )
    }
    const codes = await Promise.all(
      sessions.map(async (id) => (await readSession(stack, id))?.code as string),
    )
    for (const index of [0, 1]) {
      const body = await graphql(stack, VERIFY_OTP, {
        sessionId: sessions[index],
        code: codes[index],
      })
      expect(body.data.verifyOtp.status).toBe('VERIFIED')
    }
    // Two right codes refunded their reservations, so the whole budget of three is left.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const body = await graphql(stack, VERIFY_OTP, {
        sessionId: sessions[2],
        code: wrongCode(codes[2] as string),
      })
      expect(body.errors).toBeUndefined()
      expect(body.data.verifyOtp.status).toBe('INVALID_CODE')
    }
  })

  it('spends no attempt of a session on a check the failure budget refuses', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const sessionId = (await graphql(stack, REQUEST_OTP, { email })).data.requestOtp
      .sessionId as string
    const code = (await readSession(stack, sessionId))?.code as string
    for (let miss = 0; miss < 3; miss += 1) {
      const body = await graphql(stack, VERIFY_OTP, { sessionId, code: wrongCode(code) })
      expect(body.data.verifyOtp.status).toBe('INVALID_CODE')
    }

    const error = onlyError(await graphql(stack, VERIFY_OTP, { sessionId, code }))

    expect(error).toMatchObject({
      errorType: 'TooManyRequests',
      errorInfo: { reason: 'FAILURE_BUDGET' },
    })
    expect(await readSession(stack, sessionId)).toMatchObject({
      status: 'PENDING',
      attempts: 3,
      code,
    })
  })
})

describe('failure budget and attempts running out together', () => {
  const local = useLocalStack({
    email: false,
    settings: { resendCooldownSeconds: 0, maxAttempts: 3, maxFailuresPerWindow: 3 },
  })

  it('never leaves the code in a session that reads as locked (S6)', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const first = (await graphql(stack, REQUEST_OTP, { email })).data.requestOtp.sessionId as string
    const second = (await graphql(stack, REQUEST_OTP, { email })).data.requestOtp
      .sessionId as string
    const firstCode = (await readSession(stack, first))?.code as string
    const secondCode = (await readSession(stack, second))?.code as string
    await graphql(stack, VERIFY_OTP, { sessionId: first, code: wrongCode(firstCode) })
    await graphql(stack, VERIFY_OTP, { sessionId: first, code: wrongCode(firstCode) })
    await graphql(stack, VERIFY_OTP, { sessionId: second, code: wrongCode(secondCode) })

    // The budget (3) is spent; the first session has one attempt of three left.
    const refused = onlyError(
      await graphql(stack, VERIFY_OTP, { sessionId: first, code: wrongCode(firstCode) }),
    )

    expect(refused).toMatchObject({
      errorType: 'TooManyRequests',
      errorInfo: { reason: 'FAILURE_BUDGET' },
    })
    const session = await readSession(stack, first)
    expect(session).toMatchObject({ status: 'PENDING', attempts: 2 })
    const sessions = (await itemsWithPrefix(stack, 'SESSION#')).filter(
      (item) => item.email === email,
    )
    const used = sessions.filter((item) => item.status === 'LOCKED' || Number(item.attempts) >= 3)
    for (const item of used) expect(item.code).toBeUndefined()
  })
})
