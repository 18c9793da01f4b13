/**
 * The one place that turns API outcomes into words. Statuses and errors become a
 * {@link FlowNotice}: a human message plus the next action to offer. No raw GraphQL error
 * text ever reaches the page; unknown errors read as a generic server problem.
 */
import type { OtpStatus } from './graphql/generated.js'

/** What the person can do next; the UI renders a button for `retry`, `resend`, `restart` and `reload`. */
export type NextAction =
  | 'retry'
  | 'resend'
  | 'restart'
  | 'reload'
  | 'fix-input'
  | 'try-again'
  | 'none'

export interface FlowNotice {
  tone: 'info' | 'success' | 'error'
  message: string
  action: NextAction
  /** Epoch ms before which the API will refuse another try (rate limiting). */
  retryAt?: number
}

export type Operation = 'request' | 'verify'

type AppSyncError = {
  errorType?: unknown
  errorInfo?: { retryAfterSeconds?: unknown; reason?: unknown } | null
}
type ApolloLikeError = {
  graphQLErrors?: readonly AppSyncError[]
  networkError?: {
    statusCode?: number
    result?: { errors?: readonly AppSyncError[] } | string
  } | null
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

/** "25 s", "2 min 05 s": a wait, for sentences like "Try again in 25 s". */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} s`
  const rest = seconds % 60
  return rest === 0
    ? `${seconds / 60} min`
    : `${Math.floor(seconds / 60)} min ${String(rest).padStart(2, '0')} s`
}

/** "9:41": time left on a running clock. */
export function formatClock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}

/** The notice for a `verifyOtp` outcome, or `null` when it needs none (`VERIFIED` moves on instead). */
export function noticeForStatus(status: OtpStatus, attemptsRemaining: number): FlowNotice | null {
  switch (status) {
    case 'VERIFIED':
      return null
    case 'INVALID_CODE':
      return attemptsRemaining > 0
        ? {
            tone: 'error',
            action: 'try-again',
            message: `That code isn’t right. ${plural(
              attemptsRemaining,
              'attempt',
              'attempts',
            )} left.`,
          }
        : {
            tone: 'error',
            action: 'resend',
            message: 'That code isn’t right and no attempts are left. Send a new code to continue.',
          }
    case 'EXPIRED':
      return {
        tone: 'error',
        action: 'resend',
        message: 'This code has expired. Send a new code to continue.',
      }
    case 'LOCKED':
      return {
        tone: 'error',
        action: 'resend',
        message: 'Too many wrong codes: this one no longer works. Send a new code to continue.',
      }
    case 'ALREADY_USED':
      return {
        tone: 'error',
        action: 'restart',
        message: 'This code has already been used. Start over to verify again.',
      }
    case 'NOT_FOUND':
      return {
        tone: 'error',
        action: 'restart',
        message: 'This verification has ended or was not found. Start over to get a new code.',
      }
  }
}

/** Why the API refused, from `errorInfo.reason` (the resolvers' reasons), else from the operation. */
function rateLimitMessage(reason: unknown, operation: Operation): string {
  switch (reason) {
    case 'RESEND_COOLDOWN':
      return 'A code was just sent to this address. You can ask for a new one shortly.'
    case 'SEND_QUOTA':
      return 'Too many codes requested for this address.'
    case 'FAILURE_BUDGET':
      return 'Too many wrong codes for this address.'
    case 'CONCURRENT_REQUEST':
      return 'Another request for this address is still in progress.'
  }
  return operation === 'request'
    ? 'Too many codes requested for this address.'
    : 'Too many wrong codes for this address.'
}

function firstAppSyncError(error: ApolloLikeError): AppSyncError | undefined {
  const body = error.networkError?.result
  return error.graphQLErrors?.[0] ?? (typeof body === 'object' ? body.errors?.[0] : undefined)
}

/**
 * The notice for a failed call to `operation`, from the `errorType` AppSync puts on each
 * GraphQL error (also inside a non-2xx response body) or the lack of any response.
 * `now` (epoch ms) anchors the rate-limit wait.
 */
export function noticeForError(
  error: unknown,
  operation: Operation,
  now: number,
  codeLength = 6,
): FlowNotice {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as ApolloLikeError
  const first = firstAppSyncError(failure)
  // GraphQL validation (an argument the schema refuses, such as a malformed AWSEmail) has no errorType.
  const errorType = first && first.errorType == null ? 'BadRequest' : first?.errorType
  switch (errorType) {
    case 'TooManyRequests': {
      const wait = Number(first?.errorInfo?.retryAfterSeconds)
      const seconds = Number.isFinite(wait) && wait > 0 ? Math.ceil(wait) : 30
      const what = rateLimitMessage(first?.errorInfo?.reason, operation)
      return { tone: 'error', action: 'retry', message: what, retryAt: now + seconds * 1000 }
    }
    case 'BadRequest':
    case 'ValidationError':
      return operation === 'request'
        ? {
            tone: 'error',
            action: 'fix-input',
            message: 'Enter a valid email address, like name@example.com.',
          }
        : {
            tone: 'error',
            action: 'fix-input',
            message: `Enter the ${codeLength}-digit code from the email.`,
          }
    case 'Unauthorized':
    case 'UnauthorizedException':
      return {
        tone: 'error',
        action: 'reload',
        message:
          'This page isn’t allowed to reach the sign-in service. Reload the page; if it keeps happening, contact support.',
      }
  }
  if (failure.networkError && failure.networkError.statusCode === undefined && !first) {
    return {
      tone: 'error',
      action: 'retry',
      message: 'We couldn’t reach the server. Check your connection and try again.',
    }
  }
  return {
    tone: 'error',
    action: 'retry',
    message: 'Something went wrong on our side. Please try again in a moment.',
  }
}
