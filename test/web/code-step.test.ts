import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import {
  appSyncError,
  challenge,
  heldAnswer,
  iso,
  mountSignIn,
  outcome,
  scriptedApi,
  settle,
  submitEmail,
  typeCode,
} from './support.js'

let mounted: VueWrapper | undefined
afterEach(() => mounted?.unmount())

function codeStep(script: Parameters<typeof scriptedApi>[0]) {
  const api = scriptedApi(script)
  const { wrapper, now } = mountSignIn(api.link)
  mounted = wrapper
  return { wrapper, now, calls: api.calls }
}

const resendButton = (wrapper: VueWrapper) =>
  wrapper.findAll('button').find((b) => b.text().startsWith('Send a new code'))

/** The parts of the hint under the code field (not the status notice, which also counts attempts). */
const codeHint = (wrapper: VueWrapper): string[] =>
  wrapper.findAll('#code-hint > *').map((part) => part.text().replace(/\s+/g, ' '))
const attemptsHint = (wrapper: VueWrapper): string[] =>
  codeHint(wrapper).filter((part) => part.includes('left'))

describe('Component: CodeStep', () => {
  it('counts down to the resend and to the expiry of the code', async () => {
    const { wrapper, now } = codeStep({ RequestOtp: [challenge()] })
    await submitEmail(wrapper)
    expect(resendButton(wrapper)?.text()).toBe('Send a new code in 30 sec')
    expect(resendButton(wrapper)?.attributes('disabled')).toBeDefined()
    expect(wrapper.find('#code-hint').text()).toContain('Expires in 10:00')

    now.value += 31_000
    await settle()
    expect(resendButton(wrapper)?.text()).toBe('Send a new code')
    expect(resendButton(wrapper)?.attributes('disabled')).toBeUndefined()
    expect(wrapper.find('#code-hint').text()).toContain('Expires in 9:29')

    now.value += 570_000
    await settle()
    expect(wrapper.find('#code-hint').text()).toContain('This code has expired')
  })

  it('goes back to the address step, address kept, when a new code is refused because mail to it bounced', async () => {
    const { wrapper, now } = codeStep({
      RequestOtp: [challenge(), appSyncError('BadRequest', { reason: 'ADDRESS_UNDELIVERABLE' })],
    })
    await submitEmail(wrapper)
    now.value += 31_000
    await settle()

    await resendButton(wrapper)?.trigger('click')
    await settle()

    expect(wrapper.find('#code').exists()).toBe(false)
    expect((wrapper.find('#email').element as HTMLInputElement).value).toBe('ada@example.com')
    expect(wrapper.find('[data-testid="status"]').text()).toContain(
      'This address can’t receive our mail. Check it or use another.',
    )
  })

  it('sends a new code for the same address once the cooldown has passed', async () => {
    const { wrapper, now, calls } = codeStep({
      RequestOtp: [
        challenge(),
        challenge('ada@example.com', { sessionId: 'session-2', resendAvailableAt: iso(60) }),
      ],
      VerifyOtp: [outcome('VERIFIED', 0, 'tok')],
    })
    await submitEmail(wrapper)
    now.value += 30_000
    await settle()
    await resendButton(wrapper)?.trigger('click')
    await settle()

    expect(calls.at(-1)).toEqual({
      name: 'RequestOtp',
      variables: { email: 'ada@example.com', locale: 'en' },
    })
    expect(resendButton(wrapper)?.text()).toBe('Send a new code in 30 sec')
    await typeCode(wrapper, '654321')
    expect(calls.at(-1)).toEqual({
      name: 'VerifyOtp',
      variables: { sessionId: 'session-2', code: '654321' },
    })
  })

  it('goes back to the address form with "Use a different address", keeping the address', async () => {
    const { wrapper } = codeStep({ RequestOtp: [challenge()] })
    await submitEmail(wrapper)
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Use a different address')
      ?.trigger('click')

    expect(wrapper.find('h1').text()).toBe('Sign in with email')
    expect((wrapper.find('#email').element as HTMLInputElement).value).toBe('ada@example.com')
    expect(document.activeElement?.id).toBe('email')
  })

  it('asks for every digit when an incomplete code is submitted', async () => {
    const { wrapper, calls } = codeStep({ RequestOtp: [challenge()] })
    await submitEmail(wrapper)
    await typeCode(wrapper, '123')
    await wrapper.find('form').trigger('submit')

    expect(wrapper.text()).toContain('Enter all 6 digits.')
    const describedBy = wrapper.find('#code').attributes('aria-describedby')?.split(' ') ?? []
    expect(describedBy.map((id) => wrapper.find(`#${id}`).text()).join(' ')).toContain(
      'Enter all 6 digits.',
    )
    expect(calls.map((call) => call.name)).toEqual(['RequestOtp'])
  })

  it('keeps the code field focused and read-only while checking', async () => {
    const held = heldAnswer(outcome('INVALID_CODE', 4))
    const { wrapper } = codeStep({ RequestOtp: [challenge()], VerifyOtp: [held.answer] })
    await submitEmail(wrapper)
    await typeCode(wrapper, '111111')

    expect(wrapper.find('#code').attributes('readonly')).toBeDefined()
    expect(wrapper.find('button[type="submit"]').text()).toBe('Checking…')
    expect(document.activeElement?.id).toBe('code')
    held.release()
    await settle()
    expect(wrapper.find('#code').attributes('readonly')).toBeUndefined()
    expect(document.activeElement?.id).toBe('code')
  })

  it('sizes the code field from the challenge', async () => {
    const { wrapper } = codeStep({ RequestOtp: [challenge('ada@example.com', { codeLength: 8 })] })
    await submitEmail(wrapper)
    expect(wrapper.find('#code').attributes('maxlength')).toBe('8')
    expect(wrapper.text()).toContain('Enter the 8-digit code')
  })

  it('says under the code field how many attempts the server has left, in the singular at one', async () => {
    const { wrapper } = codeStep({
      RequestOtp: [challenge()],
      VerifyOtp: [outcome('INVALID_CODE', 3), outcome('INVALID_CODE', 1)],
    })
    await submitEmail(wrapper)
    expect(codeHint(wrapper)).toEqual(['Expires in 10:00'])

    await typeCode(wrapper, '000000')
    expect(attemptsHint(wrapper)).toEqual(['3 attempts left'])

    await typeCode(wrapper, '111111')
    expect(attemptsHint(wrapper)).toEqual(['1 attempt left'])
    expect(wrapper.find('#code').attributes('aria-describedby')?.split(' ')).toContain('code-hint')
  })

  it('drops the attempts hint when a new code is sent', async () => {
    const { wrapper, now } = codeStep({
      RequestOtp: [challenge(), challenge('ada@example.com', { sessionId: 'session-2' })],
      VerifyOtp: [outcome('INVALID_CODE', 2)],
    })
    await submitEmail(wrapper)
    await typeCode(wrapper, '000000')
    expect(attemptsHint(wrapper)).toEqual(['2 attempts left'])

    now.value += 31_000
    await settle()
    await resendButton(wrapper)?.trigger('click')
    await settle()

    expect(attemptsHint(wrapper)).toEqual([])
  })
})
