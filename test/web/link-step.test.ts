import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import { takeCodeLink } from '../../web/src/code-link.js'
import { recallSession, rememberSession } from '../../web/src/session-memory.js'
import {
  appI18n,
  challenge,
  iso,
  mountSignIn,
  outcome,
  scriptedApi,
  settle,
  start,
  submitEmail,
} from './support.js'

const sessionId = '0123456789abcdef0123456789abcdef'
const link = { sessionId, code: '482913' }

let mounted: VueWrapper | undefined
beforeEach(() => localStorage.clear())
afterEach(() => mounted?.unmount())

/** Opens the sign-in flow as the app does for a page reached through the mail's link. */
async function openLink(
  script: Parameters<typeof scriptedApi>[0],
  locale: 'en' | 'de' | 'ar' = 'en',
) {
  const api = scriptedApi(script)
  const { wrapper, now } = mountSignIn(api.link, await appI18n(locale), { link })
  mounted = wrapper
  // The link step arrives in its own chunk.
  await vi.waitFor(() => expect(wrapper.find('h1').exists()).toBe(true))
  return { wrapper, now, calls: api.calls }
}

/** What requestOtp left in this browser's storage for {@link sessionId}. */
async function startInThisBrowser(): Promise<void> {
  const api = scriptedApi({ RequestOtp: [challenge('ada@example.com', { sessionId })] })
  const { wrapper } = mountSignIn(api.link)
  await submitEmail(wrapper)
  wrapper.unmount()
}

describe('Component: OtpSignIn opened from the mail’s link', () => {
  it('in the browser that asked, shows the code filled in and one Confirm button, and verifies nothing before the click', async () => {
    await startInThisBrowser()
    const { wrapper, calls } = await openLink({ VerifyOtp: [outcome('VERIFIED', 0, 'tok')] })

    expect(wrapper.find('h1').text()).toBe('Confirm your email address')
    expect(wrapper.find('.address').text()).toBe('ada@example.com')
    expect((wrapper.find('#link-code').element as HTMLInputElement).value).toBe('482913')
    expect(wrapper.find('#link-code').attributes('readonly')).toBeDefined()
    const buttons = wrapper.findAll('button')
    expect(buttons.map((b) => b.text())).toEqual(['Confirm'])
    await settle()
    expect(calls).toEqual([])

    await buttons[0]!.trigger('click')
    await settle()
    expect(calls).toEqual([{ name: 'VerifyOtp', variables: { sessionId, code: '482913' } }])
    expect(wrapper.find('#verified-title').text()).toBe('Email verified')
    // Verified: this browser no longer offers to confirm that session.
    expect(recallSession(sessionId, start)).toBeNull()
  })

  it('in another browser, shows the code to type where the person started and never calls the API', async () => {
    const { wrapper, calls } = await openLink({})

    expect(wrapper.find('h1').text()).toBe('Type this code where you started')
    expect(wrapper.find('[data-testid="link-code"]').text()).toBe('482913')
    expect(wrapper.find('#link-code').exists()).toBe(false)
    expect(wrapper.findAll('button').map((b) => b.text())).toEqual(['Start over in this browser'])
    await settle()
    expect(calls).toEqual([])

    await wrapper.find('button').trigger('click')
    expect(wrapper.find('#email').exists()).toBe(true)
  })

  it('treats a session this browser started but that has expired as another browser’s', async () => {
    rememberSession({ ...challengeFields(), expiresAt: iso(-1) }, start - 10_000)
    const { wrapper } = await openLink({})

    expect(wrapper.find('h1').text()).toBe('Type this code where you started')
  })

  it('moves to the code step with the notice when the click does not verify', async () => {
    await startInThisBrowser()
    const { wrapper } = await openLink({ VerifyOtp: [outcome('EXPIRED', 0)] })

    await wrapper.find('form').trigger('submit')
    await settle()
    expect(wrapper.find('#code').exists()).toBe(true)
    expect(wrapper.find('[data-testid="status"]').text()).toContain('This code has expired.')
  })

  it.each([
    [
      'de',
      'E-Mail-Adresse bestätigen',
      'Bestätigen',
      'Geben Sie diesen Code dort ein, wo Sie begonnen haben',
    ],
    ['ar', 'تأكيد عنوان بريدك الإلكتروني', 'تأكيد', 'اكتب هذا الرمز حيث بدأت'],
  ] as const)(
    'speaks %s on both versions of the link step',
    async (locale, heading, confirm, elsewhere) => {
      const other = await openLink({}, locale)
      expect(other.wrapper.find('h1').text()).toBe(elsewhere)
      other.wrapper.unmount()

      await startInThisBrowser()
      const same = await openLink({}, locale)
      expect(same.wrapper.find('h1').text()).toBe(heading)
      expect(same.wrapper.find('button').text()).toBe(confirm)
    },
  )
})

function challengeFields() {
  return {
    __typename: 'OtpChallenge' as const,
    sessionId,
    email: 'ada@example.com',
    expiresAt: iso(600),
    codeLength: 6,
    maxAttempts: 5,
    resendAvailableAt: iso(30),
  }
}

describe('Module: session-memory', () => {
  it('remembers a started session until it expires or is forgotten', () => {
    rememberSession(challengeFields(), start)
    expect(recallSession(sessionId, start)?.email).toBe('ada@example.com')
    expect(recallSession(sessionId, start + 600_000)).toBeNull()
    expect(recallSession('ffffffffffffffffffffffffffffffff', start)).toBeNull()
  })

  it('drops the sessions that have expired when it remembers another', () => {
    rememberSession({ ...challengeFields(), expiresAt: iso(1) }, start)
    rememberSession({ ...challengeFields(), sessionId: 'b'.repeat(32) }, start + 2_000)
    expect(localStorage.getItem(`otp-session:${sessionId}`)).toBeNull()
    expect(localStorage.getItem(`otp-session:${'b'.repeat(32)}`)).not.toBeNull()
  })
})

describe('Module: code-link', () => {
  const at = (hash: string) => {
    const replaced: string[] = []
    const found = takeCodeLink(
      { hash, pathname: '/app/', search: '?from=mail' },
      { state: null, replaceState: (_state, _title, url) => replaced.push(String(url)) },
    )
    return { found, replaced }
  }

  it('reads the session and the code, and takes the fragment out of the address bar', () => {
    expect(at(`#s=${sessionId}&c=482913`)).toEqual({
      found: link,
      replaced: ['/app/?from=mail'],
    })
  })

  it('removes a malformed link all the same, and returns nothing', () => {
    expect(at('#s=<script>&c=12')).toEqual({ found: null, replaced: ['/app/?from=mail'] })
    expect(at(`#c=482913`)).toEqual({ found: null, replaced: ['/app/?from=mail'] })
  })

  it('leaves any other fragment alone', () => {
    expect(at('#top')).toEqual({ found: null, replaced: [] })
    expect(at('')).toEqual({ found: null, replaced: [] })
  })
})
