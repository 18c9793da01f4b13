/**
 * Which SES failures are worth retrying. SES v1 names its errors after the Query API codes
 * (https://docs.aws.amazon.com/ses/latest/APIReference/API_SendEmail.html#API_SendEmail_Errors and
 * CommonErrors): throttling and server-side faults pass, a rejected message or a paused account
 * does not get better by asking again.
 */

export type FailureKind = 'transient' | 'permanent'

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestThrottled',
])

const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'ConfigurationSetDoesNotExistException',
  'ConfigurationSetSendingPausedException',
  'AccountSendingPausedException',
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'MissingParameter',
  'ValidationError',
  'AccessDenied',
  'AccessDeniedException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'InvalidRecipientError',
])

interface ErrorShape {
  name?: unknown
  code?: unknown
  $retryable?: unknown
  $metadata?: { httpStatusCode?: unknown }
}

/** The short, address-free name of an error, fit for a log line or the session's `deliveryError`. */
export function errorName(error: unknown): string {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape
  const name = typeof shape.code === 'string' && shape.name === 'Error' ? shape.code : shape.name
  return typeof name === 'string' && /^[A-Za-z0-9_.:-]{1,80}$/.test(name) ? name : 'UnknownError'
}

/**
 * Transient: throttling, HTTP 5xx, anything the SDK marks retryable, and failures that never got
 * an HTTP answer (refused or reset connections, timeouts). Permanent: the known SES refusals and
 * any other 4xx answer.
 */
export function classifySesError(error: unknown): FailureKind {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape
  const name = errorName(error)
  if (THROTTLING.has(name)) return 'transient'
  if (PERMANENT.has(name)) return 'permanent'
  if (shape.$retryable) return 'transient'
  const status = shape.$metadata?.httpStatusCode
  if (typeof status !== 'number') return 'transient'
  return status >= 500 || status === 429 ? 'transient' : 'permanent'
}

/** Whether SES answered that the send rate was exceeded. */
export function isThrottling(error: unknown): boolean {
  return THROTTLING.has(errorName(error))
}
