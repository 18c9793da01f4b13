import type { OtpStatus, OtpVerification } from '../../generated/graphql'
import type { SessionItem } from '../../infra/model'

/**
 * The outcome of a check that needs no (further) write, from the session as read:
 * null while the session can still evaluate a code. Expiry is checked here on every
 * read (S5): DynamoDB TTL only cleans up, days late.
 */
export function settledOutcome(
  session: SessionItem | null | undefined,
  now: number,
): OtpVerification | null {
  const over = (status: OtpStatus): OtpVerification => ({ status, attemptsRemaining: 0 })
  if (!session) return over('NOT_FOUND')
  if (session.status === 'VERIFIED') return over('ALREADY_USED')
  if (session.status === 'LOCKED' || session.attempts >= session.maxAttempts) return over('LOCKED')
  if (session.expiresAt <= now) return over('EXPIRED')
  return null
}
