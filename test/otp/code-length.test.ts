import { describe, expect, it } from 'vitest'
import { loadProjectApi } from '../../infra/local/appsync/api-description.js'
import { createGraphqlRuntime } from '../../infra/local/appsync/graphql-runtime.js'
import { defaultSettings, toResolverEnv, type OtpSettings } from '../../infra/settings.js'
import { graphql, useLocalStack } from '../support/local-stack.js'
import { REQUEST_OTP, VERIFY_OTP, itemsWithPrefix, readSession, uniqueEmail } from './operations.js'

/**
 * A deploy may change `codeLength` while sessions drawn under the old setting are still open:
 * each session is checked against the length stored on it, not against the current setting.
 */
describe('code length across a deploy that changes codeLength', () => {
  const local = useLocalStack({
    email: false,
    settings: { resendCooldownSeconds: 0, maxSendsPerWindow: 50 },
  })

  /** The same API deployed again with other settings, on the same table. */
  async function redeploy(settings: Partial<OtpSettings>) {
    const stack = local.stack()
    const runtime = await createGraphqlRuntime({
      api: await loadProjectApi(),
      resolverEnv: toResolverEnv({ ...defaultSettings, ...settings }, stack.tableName),
      dynamodb: stack.dynamodb,
    })
    return (query: string, variables: Record<string, unknown>) =>
      runtime.execute({ query, variables }, { mode: 'API_KEY', identity: null })
  }

  it('verifies a 6-digit code drawn before the deploy changed codeLength to 8', async () => {
    const stack = local.stack()
    const { sessionId } = (await graphql(stack, REQUEST_OTP, { email: uniqueEmail() })).data
      .requestOtp
    const code = (await readSession(stack, sessionId))?.code as string
    expect(code).toMatch(/^[0-9]{6}$/)
    const call = await redeploy({ codeLength: 8 })

    const body = await call(VERIFY_OTP, { sessionId, code })

    expect(body.errors).toBeUndefined()
    expect(body.data?.verifyOtp).toMatchObject({ status: 'VERIFIED' })
  })

  it('verifies an 8-digit code drawn before the deploy changed codeLength back to 6', async () => {
    const stack = local.stack()
    const call = await redeploy({ codeLength: 8 })
    const drawn = await call(REQUEST_OTP, { email: uniqueEmail() })
    const { sessionId } = drawn.data?.requestOtp as { sessionId: string }
    const code = (await readSession(stack, sessionId))?.code as string
    expect(code).toMatch(/^[0-9]{8}$/)

    const body = await graphql(stack, VERIFY_OTP, { sessionId, code })

    expect(body.errors).toBeUndefined()
    expect(body.data.verifyOtp).toMatchObject({ status: 'VERIFIED' })
  })

  it.each(['12345', '1234567', '12345678'])(
    'answers the code %s for a 6-digit session with BadRequest, spending no attempt and no failure budget',
    async (wrongLength) => {
      const stack = local.stack()
      const email = uniqueEmail()
      const { sessionId } = (await graphql(stack, REQUEST_OTP, { email })).data.requestOtp

      const body = await graphql(stack, VERIFY_OTP, { sessionId, code: wrongLength })

      expect(body.errors).toHaveLength(1)
      expect(body.errors?.[0]).toMatchObject({
        errorType: 'BadRequest',
        errorInfo: { field: 'code' },
        message: 'The code must be exactly 6 digits.',
      })
      expect(await readSession(stack, sessionId)).toMatchObject({ status: 'PENDING', attempts: 0 })
      const counters = await itemsWithPrefix(stack, 'FAILURES#')
      expect(counters.filter((counter) => String(counter.pk).includes(email))).toEqual([])
    },
  )
})
