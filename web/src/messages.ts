/**
 * The one place that decides what to tell the person about API outcomes. Statuses and errors
 * become a {@link FlowNotice}: a message (a key of the message files, see `i18n/`) plus the next
 * action to offer. No raw GraphQL error text ever reaches the page; unknown errors read as a
 * generic server problem.
 */
import type { OtpStatus } from './graphql/generated.js'
import type { Message } from './i18n/schema.js'

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
  message: Message
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

const errorNotice = (action: NextAction, message: Message): FlowNotice => ({
  tone: 'error',
  action,
  message,
})

/** The notice for a `verifyOtp` outcome, or `null` when it needs none (`VERIFIED` moves on instead). */
export function noticeForStatus(status: OtpStatus, attemptsRemaining: number): FlowNotice | null {
  switch (status) {
    case 'VERIFIED':
      return null
    case 'INVALID_CODE':
      return attemptsRemaining > 0
        ? errorNotice('try-again', { key: 'notice.wrongCode', count: attemptsRemaining })
        : errorNotice('resend', { key: 'notice.wrongCodeNoneLeft' })
    case 'EXPIRED':
      return errorNotice('resend', { key: 'notice.expired' })
    case 'LOCKED':
      return errorNotice('resend', { key: 'notice.locked' })
    case 'ALREADY_USED':
      return errorNotice('restart', { key: 'notice.alreadyUsed' })
    case 'NOT_FOUND':
      return errorNotice('restart', { key: 'notice.notFound' })
  }
}

/** The resolvers' `errorInfo.reason` for a refusal, and what it means to the person. */
const rateLimitReasons: Record<string, Message> = {
  RESEND_COOLDOWN: { key: 'notice.resendCooldown' },
  SEND_QUOTA: { key: 'notice.sendQuota' },
  FAILURE_BUDGET: { key: 'notice.failureBudget' },
  CONCURRENT_REQUEST: { key: 'notice.concurrentRequest' },
  SERVICE_BUSY: { key: 'notice.serviceBusy' },
}

/** Why the API refused, from `errorInfo.reason`, else from the operation. */
function rateLimitMessage(reason: unknown, operation: Operation): Message {
  if (typeof reason === 'string' && Object.hasOwn(rateLimitReasons, reason))
    return rateLimitReasons[reason] as Message
  return { key: operation === 'request' ? 'notice.sendQuota' : 'notice.failureBudget' }
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
      return { ...errorNotice('retry', what), retryAt: now + seconds * 1000 }
    }
    case 'BadRequest':
    case 'ValidationError':
      return operation === 'request'
        ? errorNotice('fix-input', {
            // Mail to it bounced or was reported as spam: nothing is sent there any more.
            key:
              first?.errorInfo?.reason === 'ADDRESS_UNDELIVERABLE'
                ? 'notice.undeliverable'
                : 'notice.badEmail',
          })
        : errorNotice('fix-input', { key: 'notice.badCode', values: { length: codeLength } })
    case 'Unauthorized':
    case 'UnauthorizedException':
      return errorNotice('reload', { key: 'notice.unauthorized' })
  }
  if (failure.networkError && failure.networkError.statusCode === undefined && !first) {
    return errorNotice('retry', { key: 'notice.offline' })
  }
  return errorNotice('retry', { key: 'notice.serverError' })
}
