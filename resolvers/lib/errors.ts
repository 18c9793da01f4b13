import { util } from '@aws-appsync/utils'

/**
 * A GraphQL error decided in one step and raised later (after the steps that clean up behind a
 * refused request have run): `util.error`'s message, `errorType` and `errorInfo`.
 */
export interface Refusal {
  message: string
  errorType: string
  errorInfo: Record<string, unknown> | null
}

/** Halts with `refusal` as the field's GraphQL error. */
export function raise(refusal: Refusal): never {
  return util.error(refusal.message, refusal.errorType, null, refusal.errorInfo)
}

/** Halts with a `BadRequest` GraphQL error: the caller sent something we refuse to process. */
export function badRequest(message: string, field: string): never {
  return util.error(message, 'BadRequest', null, { field })
}

/** A `TooManyRequests` refusal telling the caller how long to wait and which limit refused. */
export function rateLimited(message: string, retryAfterSeconds: number, reason: string): Refusal {
  return { message, errorType: 'TooManyRequests', errorInfo: { retryAfterSeconds, reason } }
}

/** Halts with a `TooManyRequests` GraphQL error telling the caller how long to wait. */
export function tooManyRequests(message: string, retryAfterSeconds: number, reason: string): never {
  return raise(rateLimited(message, retryAfterSeconds, reason))
}

const UNAVAILABLE: Refusal = {
  message: 'The service could not complete the request; try again shortly.',
  errorType: 'ServiceUnavailable',
  errorInfo: null,
}

/** Halts with a generic error: a storage failure we cannot explain to the caller in more detail. */
export function unavailable(): never {
  return raise(UNAVAILABLE)
}

/**
 * The refusal for a storage error: a write that collided with a concurrent one on the same item
 * (DynamoDB's TransactionConflict) asks the caller to retry in a second; anything else is
 * `ServiceUnavailable`.
 */
export function storageRefusal(
  errorType: string | undefined,
  reasons: { type?: string }[] = [],
): Refusal {
  const conflict =
    (errorType ?? '').indexOf('TransactionConflict') >= 0 ||
    reasons.some((reason) => reason?.type === 'TransactionConflict')
  if (!conflict) return UNAVAILABLE
  return rateLimited(
    'Another request for this address or session was in progress; try again.',
    1,
    'CONCURRENT_REQUEST',
  )
}

/** Halts for a storage error (see {@link storageRefusal}). */
export function storageFailure(
  errorType: string | undefined,
  reasons?: { type?: string }[],
): never {
  return raise(storageRefusal(errorType, reasons))
}
