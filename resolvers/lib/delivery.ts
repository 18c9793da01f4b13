import { util } from '@aws-appsync/utils'
import type { OtpDelivery, OtpDeliveryStatus } from '../../generated/graphql'
import type { SessionItem } from '../../infra/model'
import { badRequest } from './errors'

/**
 * The delivery fields of a session item, as the email Lambda and the SES event handler write
 * them. Declared here until `infra/model.ts` carries them on `SessionItem` (same names).
 */
export interface SessionDeliveryFields {
  deliveryStatus?: OtpDeliveryStatus
  /** Epoch milliseconds of the last transition. */
  deliveryStatusAt?: number
  deliveryReason?: string
}

/** The session attributes `otpDelivery` reads; never the address or the code. */
export const DELIVERY_ATTRIBUTES = [
  'sessionId',
  'createdAt',
  'deliveryStatus',
  'deliveryStatusAt',
  'deliveryReason',
]

/** Longest session id we look up; ours are 32 hex characters. */
export const MAX_SESSION_ID_LENGTH = 128

/** Refuses an empty or over-long session id (BadRequest). */
export function checkSessionIdLength(sessionId: string): void {
  if (sessionId.trim() === '' || sessionId.length > MAX_SESSION_ID_LENGTH) {
    badRequest('The session id is empty or too long.', 'sessionId')
  }
}

/** True for an id this service could have issued: 128 random bits as 32 lower-case hex digits. */
export function isIssuedSessionId(sessionId: string): boolean {
  return util.matches('^[0-9a-f]{32}$', sessionId)
}

/** A short machine word: an upper-case letter, then at most 63 upper-case letters, digits or `_`. */
export function isMachineWord(value: string): boolean {
  return util.matches('^[A-Z][A-Z0-9_]{0,63}$', value)
}

/** A session's delivery state; a session the sender has not touched yet is `QUEUED` since it was created. */
export function deliveryOf(
  session: Pick<SessionItem, 'sessionId' | 'createdAt'> & SessionDeliveryFields,
): OtpDelivery {
  const status = session.deliveryStatus ?? 'QUEUED'
  const at = session.deliveryStatus
    ? session.deliveryStatusAt ?? session.createdAt
    : session.createdAt
  return {
    sessionId: session.sessionId,
    status,
    at: util.time.epochMilliSecondsToISO8601(at),
    reason: session.deliveryReason ?? null,
  }
}
