import type { DynamoDBRecord } from 'aws-lambda'
import { SESSION_KEY_PREFIX, sessionKey, type SessionItem } from '../../infra/model.js'
import { assertPlainAddress } from './send-email.js'

// The ids requestOtp makes: 32 hex digits (128 bits). Anything else is not one of our sessions.
const SESSION_ID = /^[0-9a-f]{32}$/

/**
 * The session a stream record announces: the id in the key of a session INSERT. The stream carries
 * keys only (no code, no address); the claim reads the rest. Undefined for any other record.
 */
export function sessionIdOf(record: DynamoDBRecord): string | undefined {
  const key = record.dynamodb?.Keys?.pk?.S
  if (record.eventName !== 'INSERT' || !key?.startsWith(SESSION_KEY_PREFIX)) return undefined
  const sessionId = key.slice(SESSION_KEY_PREFIX.length)
  return SESSION_ID.test(sessionId) && sessionKey(sessionId) === key ? sessionId : undefined
}

/** Why a claimed session must not be mailed, or undefined when it may. */
export function refusal(
  session: SessionItem,
  attempt: number,
  now: number,
  maxAttempts: number,
): string | undefined {
  if (session.status !== 'PENDING' || typeof session.code !== 'string') return 'NOT_PENDING'
  if (session.expiresAt <= now) return 'EXPIRED'
  if (attempt > maxAttempts) return 'MAX_ATTEMPTS'
  if (!/^\d{4,10}$/.test(session.code)) return 'MALFORMED_SESSION'
  try {
    assertPlainAddress(session.email)
  } catch {
    return 'INVALID_RECIPIENT'
  }
  return undefined
}
