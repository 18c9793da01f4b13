/**
 * The public reason of a `FAILED` delivery (`deliveryReason`): a few stable words a page can act
 * on, rather than our internal reasons or SES's error names.
 */
const PUBLIC_REASONS: Readonly<Record<string, string>> = {
  EXPIRED: 'CODE_EXPIRED',
  MAX_ATTEMPTS: 'SEND_RETRIES_EXHAUSTED',
  INVALID_RECIPIENT: 'INVALID_ADDRESS',
  InvalidParameterValue: 'INVALID_ADDRESS',
  NOT_PENDING: 'SESSION_CLOSED',
  MALFORMED_SESSION: 'INTERNAL_ERROR',
  MessageRejected: 'MESSAGE_REJECTED',
  AccountSendingPausedException: 'SENDING_PAUSED',
  ConfigurationSetSendingPausedException: 'SENDING_PAUSED',
}

/** Maps the reason the handler gave up with (its own word or an SES error name) to the public one. */
export function publicFailureReason(reason: string): string {
  return PUBLIC_REASONS[reason] ?? 'SEND_REFUSED'
}
