import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import {
  appSyncError,
  challenge,
  iso,
  mountSignIn,
  networkFailure,
  outcome,
  scriptedApi,
  settle,
  submitEmail,
  typeCode,
} from './support.js'

let mounted: VueWrapper | undefined
afterEach(() => mounted?.unmount())

function signIn(script: Parameters<typeof scriptedApi>[0]) {
  const api = scriptedApi(script)
  const { wrapper, now } = mountSignIn(api.link)
  mounted = wrapper
  return { wrapper, now, calls: api.calls }
}

const text = (wrapper: VueWrapper): string => wrapper.text().replace(/\s+/g, ' ')

describe('Component: OtpSignIn', () => {
  it('verifies an address from email to code to the verification token', async () => {
    const { wrapper, calls } = signIn({
      RequestOtp: [challenge('ada@example.com')],
      VerifyOtp: [outcome('VERIFIED', 0, 'tok_0123456789abcdef')],
    })

    await submitEmail(wrapper, '  Ada@Example.com ')
    expect(text(wrapper)).toContain('Enter the 6-digit code we sent to')
    expect(wrapper.find('.sent-to .address').text()).toBe('ada@example.com')
    await typeCode(wrapper, '123456')

    expect(calls).toEqual([
      {
        name: 'RequestOtp',
        variables: { email: 'ada@example.com', locale: 'en' },
      },
      { name: 'VerifyOtp', variables: { sessionId: 'session-1', code: '123456' } },
    ])
    expect(wrapper.find('h1').text()).toBe('Email verified')
    expect(wrapper.find('[data-testid="token"]').text()).toBe('tok_0123456789abcdef')
    expect(text(wrapper)).toContain('Single use · expires in 5:00')
    expect(text(wrapper)).toContain('redeemVerification(token)')
  })

  it('shows the attempts remaining after a wrong code and lets the person try again', async () => {
    const { wrapper } = signIn({
      RequestOtp: [challenge()],
      VerifyOtp: [outcome('INVALID_CODE', 4), outcome('VERIFIED', 0, 'tok')],
    })
    await submitEmail(wrapper)

    await typeCode(wrapper, '000000')
    expect(wrapper.find('[data-testid="status"]').text()).toContain(
      'That code isn’t right. 4 attempts left.',
    )
    expect(wrapper.findAll('#code-hint > *').map((part) => part.text())).toContain(
      '4 attempts left',
    )
    expect((wrapper.find('#code').element as HTMLInputElement).value).toBe('')

    await typeCode(wrapper, '123456')
    expect(wrapper.find('h1').text()).toBe('Email verified')
  })

  it.each([
    ['EXPIRED', 'This code has expired. Send a new code to continue.'],
    ['LOCKED', 'Too many wrong codes: this one no longer works. Send a new code to continue.'],
  ])('offers a new code when the session is %s', async (status, message) => {
    const { wrapper, now, calls } = signIn({
      RequestOtp: [
        challenge(),
        challenge('ada@example.com', { sessionId: 'session-2', resendAvailableAt: iso(700) }),
      ],
      VerifyOtp: [outcome(status, 0)],
    })
    await submitEmail(wrapper)
    now.value += 650_000
    await typeCode(wrapper, '123456')
    expect(wrapper.find('[data-testid="status"]').text()).toContain(message)

    await wrapper.find('[data-testid="status"] button').trigger('click')
    await settle()

    expect(calls.at(-1)).toEqual({
      name: 'RequestOtp',
      variables: { email: 'ada@example.com', locale: 'en' },
    })
    expect(wrapper.find('[data-testid="status"]').exists()).toBe(false)
    expect(wrapper.find('#code').exists()).toBe(true)
  })

  it.each([
    ['ALREADY_USED', 'This code has already been used. Start over to verify again.'],
    ['NOT_FOUND', 'This verification has ended or was not found. Start over to get a new code.'],
  ])('offers to start over when the session is %s', async (status, message) => {
    const { wrapper } = signIn({ RequestOtp: [challenge()], VerifyOtp: [outcome(status, 0)] })
    await submitEmail(wrapper)
    await typeCode(wrapper, '123456')
    expect(wrapper.find('[data-testid="status"]').text()).toContain(message)

    await wrapper.find('[data-testid="status"] button').trigger('click')
    await settle()

    expect(wrapper.find('h1').text()).toBe('Sign in with email')
    expect((wrapper.find('#email').element as HTMLInputElement).value).toBe('')
  })

  it('counts down the wait when rate limited, then allows a retry', async () => {
    const { wrapper, now } = signIn({
      RequestOtp: [appSyncError('TooManyRequests', { retryAfterSeconds: 25 }), challenge()],
    })
    await submitEmail(wrapper)
    const status = () => wrapper.find('[data-testid="status"]')
    expect(status().text()).toContain('Too many codes requested for this address.')
    expect(status().text()).toContain('Try again in 25 sec.')

    now.value += 5_000
    await settle()
    expect(status().text()).toContain('Try again in 20 sec.')

    now.value += 20_000
    await settle()
    expect(status().text()).toContain('You can try again now.')
    await wrapper.find('form').trigger('submit')
    await settle()
    expect(wrapper.find('#code').exists()).toBe(true)
  })

  it('explains a network error and retries the same code', async () => {
    const { wrapper, calls } = signIn({
      RequestOtp: [challenge()],
      VerifyOtp: [networkFailure, outcome('VERIFIED', 0, 'tok')],
    })
    await submitEmail(wrapper)
    await typeCode(wrapper, '123456')
    expect(wrapper.find('[data-testid="status"]').text()).toContain('We couldn’t reach the server.')

    await wrapper.find('[data-testid="status"] button').trigger('click')
    await settle()

    expect(
      calls.filter((call) => call.name === 'VerifyOtp').map((call) => call.variables.code),
    ).toEqual(['123456', '123456'])
    expect(wrapper.find('h1').text()).toBe('Email verified')
  })

  it('turns a server error into a human message without its raw text', async () => {
    const { wrapper } = signIn({
      RequestOtp: [
        appSyncError(
          'DynamoDB:ProvisionedThroughputExceededException',
          null,
          'table otp-prod throttled',
        ),
      ],
    })
    await submitEmail(wrapper)
    expect(wrapper.find('[data-testid="status"]').text()).toContain(
      'Something went wrong on our side.',
    )
    expect(wrapper.html()).not.toContain('throttled')
    expect(wrapper.html()).not.toContain('DynamoDB')
  })

  it('explains a bad request', async () => {
    const { wrapper } = signIn({ RequestOtp: [appSyncError('BadRequest')] })
    await submitEmail(wrapper, 'ada@example.com')
    expect(wrapper.find('[data-testid="status"]').text()).toContain('Enter a valid email address')
    expect(wrapper.html()).not.toContain('raw server detail')
  })

  it('explains a refused API key', async () => {
    const refused: Parameters<typeof scriptedApi>[0]['x'] = [
      () => {
        throw Object.assign(new Error('Response not successful: Received status code 401'), {
          name: 'ServerError',
          statusCode: 401,
          result: {
            errors: [
              {
                errorType: 'UnauthorizedException',
                message: 'You are not authorized to make this call.',
              },
            ],
          },
        })
      },
    ]
    const { wrapper } = signIn({ RequestOtp: refused })
    await submitEmail(wrapper)
    expect(wrapper.find('[data-testid="status"]').text()).toContain(
      'This page isn’t allowed to reach the sign-in service.',
    )
    expect(wrapper.find('[data-testid="status"] button').text()).toBe('Reload page')
  })

  it('submits a pasted code with spaces and dashes exactly once', async () => {
    const { wrapper, calls } = signIn({
      RequestOtp: [challenge()],
      VerifyOtp: [outcome('VERIFIED', 0, 'tok')],
    })
    await submitEmail(wrapper)

    const input = wrapper.find('#code')
    const clipboardData = { getData: () => ' 123-456 ' }
    await input.trigger('paste', { clipboardData })
    await input.trigger('input')
    await settle()

    expect(calls.filter((call) => call.name === 'VerifyOtp')).toEqual([
      { name: 'VerifyOtp', variables: { sessionId: 'session-1', code: '123456' } },
    ])
  })

  it('ignores spaces and letters typed into the code field', async () => {
    const { wrapper, calls } = signIn({ RequestOtp: [challenge()] })
    await submitEmail(wrapper)
    await typeCode(wrapper, '12 3-4')
    expect((wrapper.find('#code').element as HTMLInputElement).value).toBe('1234')
    expect(calls.map((call) => call.name)).toEqual(['RequestOtp'])
    expect(wrapper.find('#code').attributes()).toMatchObject({
      maxlength: '6',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
    })
  })

  it('moves focus to the main control of each step', async () => {
    const { wrapper } = signIn({
      RequestOtp: [challenge()],
      VerifyOtp: [outcome('VERIFIED', 0, 'tok')],
    })
    await settle()
    expect(document.activeElement?.id).toBe('email')

    await submitEmail(wrapper)
    expect(document.activeElement?.id).toBe('code')

    await typeCode(wrapper, '123456')
    expect(document.activeElement?.id).toBe('verified-title')
  })

  it('announces errors assertively and progress politely', async () => {
    const { wrapper } = signIn({
      RequestOtp: [challenge()],
      VerifyOtp: [outcome('INVALID_CODE', 2)],
    })
    const polite = () => wrapper.find('[data-testid="live-polite"]')
    const assertive = () => wrapper.find('[data-testid="live-assertive"]')
    expect(polite().attributes('aria-live')).toBe('polite')
    expect(assertive().attributes('aria-live')).toBe('assertive')

    await submitEmail(wrapper)
    expect(polite().text()).toBe('We sent a 6-digit code to ada@example.com.')

    await typeCode(wrapper, '000000')
    expect(assertive().text()).toBe('That code isn’t right. 2 attempts left.')
    expect(polite().text()).toBe('')
  })

  it('announces how long to wait when rate limited, once', async () => {
    const { wrapper, now } = signIn({
      RequestOtp: [appSyncError('TooManyRequests', { retryAfterSeconds: 25 })],
    })
    await submitEmail(wrapper)
    const assertive = () => wrapper.find('[data-testid="live-assertive"]').text()
    expect(assertive()).toBe('Too many codes requested for this address. Try again in 25 seconds.')
    now.value += 3_000
    await settle()
    expect(assertive()).toBe('Too many codes requested for this address. Try again in 25 seconds.')
  })
})
