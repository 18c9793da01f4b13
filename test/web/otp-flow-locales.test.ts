import { afterEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import {
  appI18n,
  appSyncError,
  challenge,
  mountSignIn,
  outcome,
  scriptedApi,
  settle,
  submitEmail,
  typeCode,
} from './support.js'

let mounted: VueWrapper | undefined
afterEach(() => mounted?.unmount())

async function signIn(locale: 'de' | 'ar', script: Parameters<typeof scriptedApi>[0]) {
  const api = scriptedApi(script)
  const { wrapper, now } = mountSignIn(api.link, await appI18n(locale))
  mounted = wrapper
  return { wrapper, now }
}

const status = (wrapper: VueWrapper) => wrapper.find('[data-testid="status"]').text()
const live = (wrapper: VueWrapper) => wrapper.find('[data-testid="live-assertive"]').text()

describe('Component: OtpSignIn in German and Arabic', () => {
  it('words a rate limit by its reason and counts the wait down in German', async () => {
    const { wrapper, now } = await signIn('de', {
      RequestOtp: [
        appSyncError('TooManyRequests', { retryAfterSeconds: 125, reason: 'RESEND_COOLDOWN' }),
      ],
    })
    await submitEmail(wrapper)
    expect(status(wrapper)).toContain('An diese Adresse wurde gerade ein Code gesendet.')
    expect(status(wrapper)).toContain('Erneut versuchen in 2 Min., 5 Sek.')
    expect(live(wrapper)).toContain('Erneut versuchen in 125 Sekunden.')

    now.value += 125_000
    await settle()
    expect(status(wrapper)).toContain('Sie können es jetzt erneut versuchen.')
  })

  it.each([
    [4, 'هذا الرمز غير صحيح. تتبقّى 4 محاولات.'],
    [2, 'هذا الرمز غير صحيح. تتبقّى محاولتان.'],
    [1, 'هذا الرمز غير صحيح. تتبقّى محاولة واحدة.'],
  ])('says %i attempts left with the Arabic plural form that fits', async (left, message) => {
    const { wrapper } = await signIn('ar', {
      RequestOtp: [challenge()],
      VerifyOtp: [outcome('INVALID_CODE', left)],
    })
    await submitEmail(wrapper)
    await typeCode(wrapper, '000000')
    expect(status(wrapper)).toContain(message)
  })

  it('keeps an address in an Arabic sentence left to right', async () => {
    const { wrapper } = await signIn('ar', { RequestOtp: [challenge('ada@example.com')] })
    await submitEmail(wrapper)
    expect(wrapper.find('[data-testid="live-polite"]').text()).toContain(
      '\u2068ada@example.com\u2069',
    )
    expect(wrapper.find('.sent-to .address').attributes('dir')).toBe('ltr')
  })

  it('accepts a code typed with Arabic-Indic digits', async () => {
    const api = scriptedApi({
      RequestOtp: [challenge()],
      VerifyOtp: [outcome('VERIFIED', 0, 'tok')],
    })
    const { wrapper } = mountSignIn(api.link, await appI18n('ar'))
    mounted = wrapper
    await submitEmail(wrapper)
    await typeCode(wrapper, '٤٨٢٩١٣')
    expect(api.calls.at(-1)).toEqual({
      name: 'VerifyOtp',
      variables: { sessionId: 'session-1', code: '482913' },
    })
  })
  it.each(['en', 'de', 'ar'] as const)(
    'asks requestOtp for the mail in the page’s language (%s), and follows a switch',
    async (locale) => {
      const api = scriptedApi({ RequestOtp: [challenge(), challenge()] })
      const i18n = await appI18n(locale)
      const { wrapper } = mountSignIn(api.link, i18n)
      mounted = wrapper
      await submitEmail(wrapper)
      expect(api.calls).toEqual([
        { name: 'RequestOtp', variables: { email: 'ada@example.com', locale } },
      ])

      i18n.global.locale.value = locale === 'de' ? 'ar' : 'de'
      await wrapper
        .findAll('button')
        .find((b) => b.classes('link'))!
        .trigger('click')
      await settle()
      await submitEmail(wrapper)
      expect(api.calls.at(-1)?.variables).toEqual({
        email: 'ada@example.com',
        locale: locale === 'de' ? 'ar' : 'de',
      })
    },
  )
})
