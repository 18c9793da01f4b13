import { describe, expect, it } from 'vitest'
import { redeemVerification, regionOf } from '../../examples/redeem-verification.js'
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

  it('says why a signature for another region than the stack’s is refused', async () => {
    const stack = local.stack()
    const options = { apiUrl: stack.urls.api, region: 'eu-west-1', credentials: stack.iam }

    await expect(redeemVerification('0123456789abcdef0123456789abcdef', options)).rejects.toThrow(
      "redeemVerification failed: InvalidSignatureException: Credential should be scoped to a valid region, not 'eu-west-1'.",
    )
  })
})

describe('regionOf', () => {
  it('reads the region from an AppSync endpoint URL', () => {
    expect(regionOf('https://abc123.appsync-api.eu-west-1.amazonaws.com/graphql')).toBe('eu-west-1')
  })

  it('finds none in the local stack’s URL, which signs for the region it prints', () => {
    expect(regionOf('http://localhost:4000/graphql')).toBeUndefined()
  })
})
