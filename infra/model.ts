/**
 * The DynamoDB item shapes: one table, one partition key `pk`, six kinds of item.
 *
 * Limits are counted per scope (see `limitScope`): a client and a mailbox together, a client alone,
 * a mailbox alone, or the whole service. A client is the requester's IP address as AppSync appends
 * it (an IPv6 client by its /64), a mailbox the canonical form of an address (`canonicalMailbox`).
 *
 * Used by the resolvers (bundled into APPSYNC_JS, so this file must stay within that
 * runtime: plain functions, no regex, no classes), the email Lambda and the local stack.
 */

/** Partition key attribute of the table. */
export const PARTITION_KEY = 'pk'
/** Epoch-seconds attribute DynamoDB TTL deletes by (clean-up only; expiry is checked on every read). */
export const TTL_ATTRIBUTE = 'ttl'
/** Attribute that tells item kinds apart. */
export const KIND_ATTRIBUTE = 'kind'
/** Every session key starts with this; the stream filter selects INSERTs of keys with this prefix. */
export const SESSION_KEY_PREFIX = 'SESSION#'

export type SessionStatus = 'PENDING' | 'VERIFIED' | 'LOCKED'
/** The email Lambda's claim on a session's mail (S8), written only by that Lambda. */
export type DeliveryStatus = 'SENDING' | 'RETRY' | 'SENT' | 'FAILED'

/**
 * What became of a session's mail, as the public `otpDelivery` shows it (S14): our own sending
 * (`SENT`, `FAILED`), then what SES reports. A session without `deliveryStatus` is `QUEUED`
 * since its `createdAt`.
 */
export type OtpDeliveryStatus =
  | 'QUEUED'
  | 'SENT'
  | 'DELIVERED'
  | 'DELAYED'
  | 'BOUNCED'
  | 'COMPLAINED'
  | 'FAILED'

/**
 * The order delivery states move in: a status is written only over a lower rank (stored as
 * `deliveryRank`), so a late or repeated event never moves a session back. `DELAYED` may still
 * become `DELIVERED`; a delivered mail may still bounce or draw a complaint; the outcomes of rank
 * 4 are final.
 */
export const DELIVERY_STATUS_RANK: Readonly<Record<OtpDeliveryStatus, number>> = {
  QUEUED: 0,
  SENT: 1,
  DELAYED: 2,
  DELIVERED: 3,
  BOUNCED: 4,
  COMPLAINED: 4,
  FAILED: 4,
}

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
  /** The shipped language (`infra/locales.ts`) requestOtp chose for the mail; absent on older items. */
  locale?: string
  /** Public delivery state (see `OtpDeliveryStatus`); absent means `QUEUED`. */
  deliveryStatus?: OtpDeliveryStatus
  /** Epoch milliseconds at which `deliveryStatus` was reached (the SES event's time for SES states). */
  deliveryStatusAt?: number
  /**
   * Epoch milliseconds at which the mail was DELIVERED, kept when a complaint or a late bounce
   * moves `deliveryStatus` on, so the domain events and the funnel still count the delivery.
   */
  deliveredAt?: number
  /** A short machine word (`MAILBOX_DOES_NOT_EXIST`, `MAILBOX_FULL`, ...); never the address or the code. */
  deliveryReason?: string
  /** `DELIVERY_STATUS_RANK` of `deliveryStatus`: the conditional writes compare it. */
  deliveryRank?: number
  /** The relying app's nonce for its sign-in attempt (requestOtp's `nonce`); never mailed. */
  nonce?: string
}

/** Resend cooldown of one client for one mailbox. */
export interface CooldownItem {
  pk: string
  kind: 'cooldown'
  lastSentAt: number
  ttl: number
}

/** Sends (or failed checks) counted for one scope in one fixed window. */
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
  return `${SESSION_KEY_PREFIX}${sessionId}`
}

/**
 * Who a limit counts: one client for one mailbox (`pair`), one client across all mailboxes
 * (`client`), all clients for one mailbox (`mailbox`), or everyone (`global`). Client keys hold no
 * `#`, so `PAIR#<client>#<mailbox>` names one pair, whatever the mailbox holds.
 */
export type LimitScope =
  | { kind: 'pair'; client: string; mailbox: string }
  | { kind: 'client'; client: string }
  | { kind: 'mailbox'; mailbox: string }
  | { kind: 'global' }

/** The text that names a scope inside a key. */
export function limitScope(scope: LimitScope): string {
  if (scope.kind === 'pair') return `PAIR#${scope.client}#${scope.mailbox}`
  if (scope.kind === 'client') return `CLIENT#${scope.client}`
  if (scope.kind === 'mailbox') return `MAILBOX#${scope.mailbox}`
  return 'GLOBAL'
}

/** The resend cooldown of one client for one mailbox. */
export function cooldownKey(client: string, mailbox: string): string {
  return `COOLDOWN#${client}#${mailbox}`
}

/** The send counter of `scope` in window `windowIndex`. */
export function sendWindowKey(scope: LimitScope, windowIndex: number): string {
  return `SENDS#${limitScope(scope)}#${windowIndex}`
}

/** The failed-check counter of `scope` in window `windowIndex`. */
export function failureWindowKey(scope: LimitScope, windowIndex: number): string {
  return `FAILURES#${limitScope(scope)}#${windowIndex}`
}

export function tokenKey(token: string): string {
  return `TOKEN#${token}`
}

export const SEND_RATE_KEY_PREFIX = 'SENDRATE#'

/**
 * The counter of mails the email Lambda may hand SES in one epoch second, across all its
 * invocations (see functions/send-otp-email/send-rate.ts). Not a session key: the stream filter
 * drops its records.
 */
export function sendRateKey(epochSecond: number): string {
  return `${SEND_RATE_KEY_PREFIX}${epochSecond}`
}

/** What the events Lambda has announced about a session (functions/publish-domain-events). */
export function eventLedgerKey(sessionId: string): string {
  return `EVENTS#${sessionId}`
}

/** The suppression item of a canonical mailbox (see `canonicalMailbox`). */
export function suppressionKey(mailbox: string): string {
  return `SUPPRESSED#${mailbox}`
}
