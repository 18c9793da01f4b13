import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { mount } from '@vue/test-utils'
import type { VueWrapper } from '@vue/test-utils'
import { DefaultApolloClient } from '@vue/apollo-composable'
import { createApiClient } from '../../web/src/apollo.js'
import { useOtpFlow } from '../../web/src/composables/useOtpFlow.js'
import type { OtpFlow, OtpFlowOptions } from '../../web/src/composables/useOtpFlow.js'
import {
  appSyncError,
  inEnglish,
  challenge,
  heldAnswer,
  networkFailure,
  outcome,
  scriptedApi,
  settle,
  start,
} from './support.js'

let host: VueWrapper | undefined
afterEach(() => host?.unmount())

/** Runs the composable the way an app would, in a component's setup, with no markup of ours. */
function useFlow(script: Parameters<typeof scriptedApi>[0], options?: OtpFlowOptions) {
  const api = scriptedApi(script)
  const now = ref(start)
  let flow: OtpFlow | undefined
  host = mount(
    defineComponent({
      setup() {
        flow = useOtpFlow(now, options)
        return () => h('div')
      },
    }),
    { global: { provide: { [DefaultApolloClient]: createApiClient(api.link) } } },
  )
  return { flow: flow!, now, calls: api.calls }
}

describe('Composable: useOtpFlow', () => {
  it('walks email → code → verified and exposes the proof', async () => {
    const { flow } = useFlow({
      RequestOtp: [challenge()],
      VerifyOtp: [outcome('VERIFIED', 0, 'tok')],
    })
    expect(flow.step.value).toBe('email')

    await flow.requestCode(' ADA@example.com')
    expect(flow.step.value).toBe('code')
    expect(flow.email.value).toBe('ada@example.com')
    expect(flow.attemptsRemaining.value).toBe(5)
    expect(flow.expiresIn.value).toBe(600)
    expect(flow.resendIn.value).toBe(30)

    await flow.verifyCode('123456')
    expect(flow.step.value).toBe('verified')
    expect(flow.proof.value?.token).toBe('tok')
    expect(flow.proofExpiresIn.value).toBe(300)
  })

  it('reports busy while a call is in flight and ignores a second call meanwhile', async () => {
    const { flow, calls } = useFlow({
      RequestOtp: [challenge()],
      VerifyOtp: [outcome('INVALID_CODE', 4)],
    })
    await flow.requestCode('ada@example.com')

    const first = flow.verifyCode('111111')
    expect(flow.busy.value).toBe(true)
    await flow.verifyCode('222222')
    await first
    await settle()

    expect(flow.busy.value).toBe(false)
    expect(calls.filter((call) => call.name === 'VerifyOtp')).toHaveLength(1)
    expect(flow.attemptsRemaining.value).toBe(4)
  })

  it('keeps a countdown on the notice when rate limited', async () => {
    const { flow, now } = useFlow({
      RequestOtp: [appSyncError('TooManyRequests', { retryAfterSeconds: 10 })],
    })
    await flow.requestCode('ada@example.com')
    expect(flow.step.value).toBe('email')
    expect(flow.retryIn.value).toBe(10)
    now.value += 4_500
    expect(flow.retryIn.value).toBe(6)
  })

  it('retries the last call after a network error', async () => {
    const { flow, calls } = useFlow({ RequestOtp: [networkFailure, challenge()] })
    await flow.requestCode('ada@example.com')
    expect(flow.notice.value?.action).toBe('retry')

    await flow.retry()
    expect(calls.map((call) => call.variables)).toEqual([
      { email: 'ada@example.com' },
      { email: 'ada@example.com' },
    ])
    expect(flow.step.value).toBe('code')
  })

  it('treats VERIFIED without a token as a server error, never as success', async () => {
    const { flow } = useFlow({
      RequestOtp: [challenge()],
      VerifyOtp: [outcome('VERIFIED', 0, null)],
    })
    await flow.requestCode('ada@example.com')
    await flow.verifyCode('123456')
    expect(flow.step.value).toBe('code')
    expect(inEnglish(flow.notice.value?.message)).toContain('went wrong on our side')
  })

  it('ignores an answer that arrives after the person went back to change the address', async () => {
    const held = heldAnswer(outcome('VERIFIED', 0, 'tok'))
    const { flow } = useFlow({ RequestOtp: [challenge()], VerifyOtp: [held.answer] })
    await flow.requestCode('ada@example.com')
    const pending = flow.verifyCode('123456')
    flow.changeEmail()
    held.release()
    await pending

    expect(flow.step.value).toBe('email')
    expect(flow.proof.value).toBeNull()
    expect(flow.notice.value).toBeNull()
  })

  it('forgets the session and the address on startOver', async () => {
    const { flow } = useFlow({ RequestOtp: [challenge()] })
    await flow.requestCode('ada@example.com')
    flow.startOver()
    expect([flow.step.value, flow.email.value, flow.challenge.value, flow.notice.value]).toEqual([
      'email',
      '',
      null,
      null,
    ])
  })

  it('sends the relying app’s nonce with every requestOtp of the flow, resends included', async () => {
    const nonce = ref<string | undefined>('q3Xv_9-LmZ0aB1cD2eF3gH')
    const { flow, calls } = useFlow({ RequestOtp: [challenge(), challenge()] }, { nonce })
    await flow.requestCode('ada@example.com')
    await flow.resendCode()

    expect(calls.map((call) => call.variables)).toEqual([
      { email: 'ada@example.com', nonce: 'q3Xv_9-LmZ0aB1cD2eF3gH' },
      { email: 'ada@example.com', nonce: 'q3Xv_9-LmZ0aB1cD2eF3gH' },
    ])
  })

  it('reads the nonce when it asks for a code, so a new attempt’s nonce is the one sent', async () => {
    const nonce = ref('first-attempt-nonce-0001')
    const { flow, calls } = useFlow(
      { RequestOtp: [challenge(), challenge()] },
      { nonce: () => nonce.value },
    )
    await flow.requestCode('ada@example.com')
    flow.startOver()
    nonce.value = 'second-attempt-nonce-002'
    await flow.requestCode('ada@example.com')

    expect(calls.map((call) => call.variables.nonce)).toEqual([
      'first-attempt-nonce-0001',
      'second-attempt-nonce-002',
    ])
  })

  it('sends no nonce when the app gives none', async () => {
    const { flow, calls } = useFlow({ RequestOtp: [challenge()] })
    await flow.requestCode('ada@example.com')

    expect(calls[0]?.variables.nonce).toBeUndefined()
    expect(JSON.stringify(calls[0]?.variables)).toBe('{"email":"ada@example.com"}')
  })
})
