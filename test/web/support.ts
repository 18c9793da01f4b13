/**
 * Helpers for the web app's component tests: a scripted Apollo link standing in for the API
 * (the browser e2e suite covers the real one), a clock the test moves by hand, the app's
 * vue-i18n set up in a language, and a mount of the whole sign-in flow attached to the document
 * so that focus can be observed.
 */
import { ApolloLink, Observable } from '@apollo/client/core'
import type { FetchResult, Operation } from '@apollo/client/core'
import { DefaultApolloClient } from '@vue/apollo-composable'
import { flushPromises, mount } from '@vue/test-utils'
import type { VueWrapper } from '@vue/test-utils'
import { ref } from 'vue'
import type { Ref } from 'vue'
import { createApiClient } from '../../web/src/apollo.js'
import type { CodeLink } from '../../web/src/code-link.js'
import OtpSignIn from '../../web/src/components/OtpSignIn.vue'
import { nowKey } from '../../web/src/composables/useNow.js'
import type { Locale } from '../../web/src/i18n/locales.js'
import type { Message } from '../../web/src/i18n/schema.js'
import { createAppI18n, switchLocale } from '../../web/src/i18n/setup.js'
import { translate } from '../../web/src/i18n/useTranslate.js'

export const start = Date.parse('2030-01-01T12:00:00.000Z')
export const iso = (offsetSeconds: number): string =>
  new Date(start + offsetSeconds * 1000).toISOString()

/** What the fake API answers to one operation: a GraphQL body, or a thrown network failure. */
export type Answer = (operation: Operation) => FetchResult | Promise<FetchResult>

/** Records every operation and answers each with the next scripted answer for its name. */
export function scriptedApi(script: Record<string, Answer[]>) {
  const calls: { name: string; variables: Record<string, unknown> }[] = []
  const link = new ApolloLink(
    (operation) =>
      new Observable<FetchResult>((observer) => {
        calls.push({ name: operation.operationName, variables: operation.variables })
        const answer = script[operation.operationName]?.shift()
        if (!answer) throw new Error(`no scripted answer left for ${operation.operationName}`)
        Promise.resolve()
          .then(() => answer(operation))
          .then(
            (result) => (observer.next(result), observer.complete()),
            (error: unknown) => observer.error(error),
          )
      }),
  )
  return { link, calls }
}

export const challenge =
  (email = 'ada@example.com', overrides: Record<string, unknown> = {}): Answer =>
  () => ({
    data: {
      requestOtp: {
        __typename: 'OtpChallenge',
        sessionId: 'session-1',
        email,
        expiresAt: iso(600),
        codeLength: 6,
        maxAttempts: 5,
        resendAvailableAt: iso(30),
        ...overrides,
      },
    },
  })

export const outcome =
  (status: string, attemptsRemaining: number, token: string | null = null): Answer =>
  () => ({
    data: {
      verifyOtp: {
        __typename: 'OtpVerification',
        status,
        attemptsRemaining,
        verificationToken: token,
        verificationTokenExpiresAt: token ? iso(300) : null,
      },
    },
  })

/** A GraphQL error as AppSync shapes it: `errorType` and `errorInfo` beside `message`. */
export const appSyncError =
  (
    errorType: string,
    errorInfo: Record<string, unknown> | null = null,
    message = 'raw server detail',
  ): Answer =>
  () => ({
    data: null,
    errors: [{ message, errorType, errorInfo, path: ['requestOtp'] }] as never,
  })

export const networkFailure: Answer = () => {
  throw new TypeError('Failed to fetch')
}

/** The app's vue-i18n showing `locale`, its messages loaded as the app loads them. */
export async function appI18n(locale: Locale = 'en') {
  const i18n = createAppI18n(locale)
  await switchLocale(i18n.global, locale)
  return i18n
}

// The sign-in flow imports the steps after the code step lazily; loaded here once, they are ready
// by the time a test reaches them, as they are in the browser.
await Promise.all([
  import('../../web/src/components/VerifiedStep.vue'),
  import('../../web/src/components/DeliveryStatus.vue'),
])

// Most tests read the page in English.
const english = await appI18n('en')

/** `message` as an English reader sees it. */
export const inEnglish = (message: Message | null | undefined): string | undefined =>
  message ? translate(english.global, message) : undefined

/**
 * Mounts the sign-in flow over `link` with a clock at {@link start} that the test advances;
 * `props` as the app passes them (the mail's link).
 */
export function mountSignIn(
  link: ApolloLink,
  i18n = english,
  props: { link?: CodeLink | null } = {},
): { wrapper: VueWrapper; now: Ref<number> } {
  const now = ref(start)
  const wrapper = mount(OtpSignIn, {
    props,
    attachTo: document.body,
    global: {
      plugins: [i18n],
      provide: { [DefaultApolloClient]: createApiClient(link), [nowKey as symbol]: now },
    },
  })
  return { wrapper, now }
}

/** Lets the fake network answer and Vue re-render. */
export async function settle(): Promise<void> {
  await flushPromises()
  await flushPromises()
}

export async function submitEmail(wrapper: VueWrapper, address = 'ada@example.com'): Promise<void> {
  await wrapper.find('#email').setValue(address)
  await wrapper.find('form').trigger('submit')
  await settle()
}

export async function typeCode(wrapper: VueWrapper, code: string): Promise<void> {
  await wrapper.find('#code').setValue(code)
  await settle()
}

/** An answer that waits until the test calls `release`, to observe the busy state. */
export function heldAnswer(answer: Answer): { answer: Answer; release: () => void } {
  let release = (): void => undefined
  const gate = new Promise<void>((resolve) => (release = resolve))
  return { answer: async (operation) => (await gate, answer(operation)), release: () => release() }
}
