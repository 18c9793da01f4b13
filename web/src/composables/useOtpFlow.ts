import { computed, ref, shallowRef, toValue } from 'vue'
import type { MaybeRefOrGetter, Ref } from 'vue'
import { useMutation } from '@vue/apollo-composable'
import type { CodeLink } from '../code-link.js'
import { RequestOtpDocument, VerifyOtpDocument } from '../graphql/generated.js'
import type { RequestOtpMutation } from '../graphql/generated.js'
import { noticeForError, noticeForStatus } from '../messages.js'
import type { FlowNotice } from '../messages.js'
import { forgetSession, recallSession, rememberSession } from '../session-memory.js'
import { useNow } from './useNow.js'

/** `link`: the page was opened from the mail's link (see `openLink`). */
export type OtpStep = 'email' | 'code' | 'link' | 'verified'
export type OtpChallenge = RequestOtpMutation['requestOtp']
export interface OtpVerificationProof {
  token: string
  expiresAt: string
}
export interface OtpFlowOptions {
  /**
   * The nonce of the relying app's sign-in attempt, from its server, sent with every requestOtp
   * of this flow (resends too); its backend then accepts the token only for that attempt.
   */
  nonce?: MaybeRefOrGetter<string | undefined>
  /** The page's language (a vue-i18n locale), sent with every requestOtp so the mail is written in it. */
  locale?: MaybeRefOrGetter<string | undefined>
}

/** Normalised as the API does it (trimmed, lower-cased), so the page shows what the server uses. */
export const normaliseEmail = (address: string): string => address.trim().toLowerCase()

/**
 * The whole email-code flow as reactive state plus actions, independent of any markup:
 * step (`email` → `code` → `verified`), the challenge, attempts left, the proof, the current
 * notice, whole-second countdowns, and the two mutations. Call it in a component's setup
 * under an Apollo client provided as `DefaultApolloClient`. Actions never throw: every
 * failure becomes a `notice` (see `messages.ts`). `options.locale`, the page's language, goes
 * with every request, so the mail is written in it.
 */
export function useOtpFlow(now: Readonly<Ref<number>> = useNow(), options: OtpFlowOptions = {}) {
  const step = ref<OtpStep>('email')
  const email = ref('')
  const challenge = shallowRef<OtpChallenge | null>(null)
  const attemptsRemaining = ref<number | null>(null)
  const proof = shallowRef<OtpVerificationProof | null>(null)
  /** The code the mail's link carried. */
  const linkCode = ref('')
  const notice = shallowRef<FlowNotice | null>(null)
  const request = useMutation(RequestOtpDocument, { throws: 'always' })
  const verify = useMutation(VerifyOtpDocument, { throws: 'always' })
  const sending = request.loading
  const verifying = verify.loading
  const busy = computed(() => sending.value || verifying.value)
  let lastCall: (() => Promise<void>) | null = null
  // Bumped when the person leaves the session, so that a late answer cannot drag them back.
  let attempt = 0

  const msUntil = (at: string | number | null | undefined): number =>
    at == null ? 0 : Math.max(0, (typeof at === 'number' ? at : Date.parse(at)) - now.value)
  // Round lifetimes down and waits up: never overstate how long a code lasts or understate a wait.
  const lifetime = (at: string | null | undefined): number => Math.floor(msUntil(at) / 1000)
  const wait = (at: string | number | null | undefined): number => Math.ceil(msUntil(at) / 1000)
  const expiresIn = computed(() => lifetime(challenge.value?.expiresAt))
  const resendIn = computed(() => wait(challenge.value?.resendAvailableAt))
  const retryIn = computed(() => wait(notice.value?.retryAt))
  const proofExpiresIn = computed(() => lifetime(proof.value?.expiresAt))

  async function requestCode(address: string = email.value): Promise<void> {
    if (busy.value) return
    email.value = normaliseEmail(address)
    lastCall = () => requestCode(address)
    const current = attempt
    try {
      const result = await request.mutate({
        email: email.value,
        locale: toValue(options.locale),
        nonce: toValue(options.nonce),
      })
      if (current !== attempt) return
      const started = result?.data?.requestOtp
      if (!started) throw new Error('requestOtp returned no data')
      challenge.value = started
      rememberSession(started, now.value)
      email.value = started.email
      attemptsRemaining.value = started.maxAttempts
      step.value = 'code'
      notice.value = {
        tone: 'info',
        action: 'none',
        message: {
          key: 'notice.codeSent',
          values: { length: started.codeLength, email: started.email },
        },
      }
    } catch (error) {
      if (current !== attempt) return
      notice.value = noticeForError(error, 'request', now.value)
      // A resend refused for the address (it bounced, say) is fixed on the address step.
      if (notice.value.action === 'fix-input') step.value = 'email'
    }
  }

  async function verifyCode(code: string): Promise<void> {
    const session = challenge.value
    if (busy.value || !session) return
    lastCall = () => verifyCode(code)
    const current = attempt
    try {
      const result = await verify.mutate({ sessionId: session.sessionId, code })
      if (current !== attempt) return
      const outcome = result?.data?.verifyOtp
      if (!outcome) throw new Error('verifyOtp returned no data')
      attemptsRemaining.value = outcome.attemptsRemaining
      if (outcome.status !== 'VERIFIED') {
        notice.value = noticeForStatus(outcome.status, outcome.attemptsRemaining)
        // From the link, what comes next (another code, a new one) happens on the code step.
        if (step.value === 'link') step.value = 'code'
        return
      }
      forgetSession(session.sessionId)
      const { verificationToken: token, verificationTokenExpiresAt: expiresAt } = outcome
      if (!token || !expiresAt) throw new Error('VERIFIED without a token')
      proof.value = { token, expiresAt }
      step.value = 'verified'
      notice.value = {
        tone: 'success',
        action: 'none',
        message: { key: 'notice.verified', values: { email: session.email } },
      }
    } catch (error) {
      if (current === attempt)
        notice.value = noticeForError(error, 'verify', now.value, session.codeLength)
    }
  }

  /**
   * Opens the page from the mail's link. In the browser that requested the code (it remembered the
   * session) the `link` step offers to confirm `linkCode` with one click; elsewhere it only shows
   * the code, to type where the person started. Nothing is verified here.
   */
  function openLink(link: CodeLink): void {
    const known = recallSession(link.sessionId, now.value)
    linkCode.value = link.code
    if (known) {
      challenge.value = known
      email.value = known.email
    }
    step.value = 'link'
  }

  /** Back to the address form, keeping what was typed. */
  function changeEmail(): void {
    attempt += 1
    step.value = 'email'
    challenge.value = null
    proof.value = null
    attemptsRemaining.value = null
    notice.value = null
    lastCall = null
  }

  function startOver(): void {
    changeEmail()
    email.value = ''
  }

  /** Repeats the last call (after a network or server error, or once a rate limit has passed). */
  const retry = (): Promise<void> => lastCall?.() ?? Promise.resolve()
  const resendCode = (): Promise<void> => requestCode(email.value)

  return {
    step,
    email,
    challenge,
    attemptsRemaining,
    proof,
    linkCode,
    notice,
    busy,
    sending,
    verifying,
    expiresIn,
    resendIn,
    retryIn,
    proofExpiresIn,
    requestCode,
    verifyCode,
    openLink,
    resendCode,
    changeEmail,
    startOver,
    retry,
  }
}

export type OtpFlow = ReturnType<typeof useOtpFlow>
