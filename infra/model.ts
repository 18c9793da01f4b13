/**
 * The DynamoDB item shapes: one table, one partition key `pk`, six kinds of item.
 *
 * Used by the resolvers (bundled into APPSYNC_JS, so this file must stay within that
 * runtime: plain functions, no regex, no classes), the email Lambda and the local stack.
 */

/** Partition key attribute of the table. */
export const PARTITION_KEY = 'pk'
/** Epoch-seconds attribute DynamoDB TTL deletes by (clean-up only; expiry is checked on every read). */
export const TTL_ATTRIBUTE = 'ttl'
/** Attribute that tells item kinds apart; the stream filter selects `kind = session`. */
export const KIND_ATTRIBUTE = 'kind'

export type SessionStatus = 'PENDING' | 'VERIFIED' | 'LOCKED'
/** Email delivery state of a session, written only by the email Lambda. */
export type DeliveryStatus = 'SENDING' | 'RETRY' | 'SENT' | 'FAILED'

/** One code sent to one address. Created by requestOtp; the stream INSERT triggers the email. */
export interface SessionItem {
  pk: string
  kind: 'session'
  sessionId: string
  email: string
  /** The code; removed once the session is VERIFIED or LOCKED. */
  code?: string
  codeLength: number
  status: SessionStatus
  /** Code checks reserved so far (reserved before comparing, so concurrency cannot exceed the budget). */
  attempts: number
  maxAttempts: number
  createdAt: number
  /** Epoch milliseconds. */
  expiresAt: number
  verifiedAt?: number
  lockedAt?: number
  ttl: number
  delivery?: DeliveryStatus
  /** Epoch milliseconds until which a SENDING claim belongs to the invocation that made it. */
  deliveryLeaseUntil?: number
  deliveryAttempts?: number
  deliveryMessageId?: string
  deliveryError?: string
  /** The relying app's nonce for its sign-in attempt (requestOtp's `nonce`); never mailed. */
  nonce?: string
}

/** Per-address resend cooldown. */
export interface AddressItem {
  pk: string
  kind: 'address'
  lastSentAt: number
  ttl: number
}

/** Sends (or failed checks) counted for one address in one fixed window. */
export interface WindowCounterItem {
  pk: string
  kind: 'sendWindow' | 'failureWindow'
  count: number
  ttl: number
}

/**
 * A mailbox that must not be mailed again (S13): a hard bounce or a complaint reported by SES.
 * Keyed by the canonical mailbox (`infra/mailbox.ts`); written by the SES event handler, read by
 * requestOtp, which refuses it with `ADDRESS_UNDELIVERABLE` without sending.
 */
export interface SuppressionItem {
  pk: string
  kind: 'suppression'
  /** Why: a permanent bounce or a complaint. */
  reason: 'BOUNCE' | 'COMPLAINT'
  /** Epoch milliseconds of the SES event. */
  suppressedAt: number
}

/** Proof of a verification, redeemed once by a backend with IAM auth. */
export interface TokenItem {
  pk: string
  kind: 'token'
  email: string
  sessionId: string
  verifiedAt: number
  expiresAt: number
  redeemedAt?: number
  ttl: number
  /** The session's nonce, returned by redeemVerification so the backend can match its attempt. */
  nonce?: string
}

export function sessionKey(sessionId: string): string {
  return `SESSION#${sessionId}`
}

export function addressKey(email: string): string {
  return `ADDRESS#${email}`
}

export function sendWindowKey(email: string, windowIndex: number): string {
  return `SENDS#${email}#${windowIndex}`
}

export function failureWindowKey(email: string, windowIndex: number): string {
  return `FAILURES#${email}#${windowIndex}`
}

export function tokenKey(token: string): string {
  return `TOKEN#${token}`
}

/** The suppression item of a canonical mailbox (see `canonicalMailbox`). */
export function suppressionKey(mailbox: string): string {
  return `SUPPRESSED#${mailbox}`
}
