import { util } from '@aws-appsync/utils'

/** Halts with a `BadRequest` GraphQL error: the caller sent something we refuse to process. */
export function badRequest(message: string, field: string): never {
  return util.error(message, 'BadRequest', null, { field })
}

/** Halts with a `TooManyRequests` GraphQL error telling the caller how long to wait. */
export function tooManyRequests(message: string, retryAfterSeconds: number, reason: string): never {
  return util.error(message, 'TooManyRequests', null, { retryAfterSeconds, reason })
}

/** Halts with a generic error: a storage failure we cannot explain to the caller in more detail. */
export function unavailable(): never {
  return util.error(
    'The service could not complete the request; try again shortly.',
    'ServiceUnavailable',
  )
}

/**
 * Halts for a storage error: a write that collided with a concurrent one on the same session
 * or address (DynamoDB's TransactionConflict) asks the caller to retry in a second; anything
 * else is `ServiceUnavailable`.
 */
export function storageFailure(
  errorType: string | undefined,
  reasons: { type?: string }[] = [],
): never {
  const conflict =
    (errorType ?? '').indexOf('TransactionConflict') >= 0 ||
    reasons.some((reason) => reason?.type === 'TransactionConflict')
  if (conflict) {
    return tooManyRequests(
      'Another request for this address or session was in progress; try again.',
      1,
      'CONCURRENT_REQUEST',
    )
  }
  return unavailable()
}
