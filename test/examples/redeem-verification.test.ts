import { describe, expect, it } from 'vitest'
import { redeemVerification } from '../../examples/redeem-verification.js'
import { graphql, useLocalStack } from '../support/local-stack.js'
import { REQUEST_OTP, VERIFY_OTP, readSession, uniqueEmail } from '../otp/operations.js'

describe('examples/redeem-verification.ts', () => {
  const local = useLocalStack({ email: false })

  it('redeems a verification token once with SigV4, as the README shows', async () => {
    const stack = local.stack()
    const email = uniqueEmail()
    const sessionId = (await graphql(stack, REQUEST_OTP, { email })).data.requestOtp
      .sessionId as string
    const code = (await readSession(stack, sessionId))?.code as string
    const token = (await graphql(stack, VERIFY_OTP, { sessionId, code })).data.verifyOtp
      .verificationToken as string
    const options = { apiUrl: stack.urls.api, region: stack.iam.region, credentials: stack.iam }

    const first = await redeemVerification(token, options)
    const second = await redeemVerification(token, options)

    expect(first).toMatchObject({ email, sessionId })
    expect(second).toBeNull()
  })

  it('answers null for a token nobody issued', async () => {
    const stack = local.stack()
    const options = { apiUrl: stack.urls.api, region: stack.iam.region, credentials: stack.iam }
    expect(await redeemVerification('0123456789abcdef0123456789abcdef', options)).toBeNull()
  })
})
