/**
 * The domain events other systems subscribe to, and the one mapping from what the table holds to
 * them. Pure functions: the events Lambda (AWS) and the local stack (infra/local/domain-events.ts)
 * both call `domainEventsFor`, so local and AWS cannot drift. See docs/events.md for the schema.
 *
 * No event carries the code, the address or a verification token: the address appears only as
 * `addressHash`, HMAC-SHA256 of the canonical mailbox under a deploy-time secret salt.
 */
import { createHmac } from 'node:crypto'
import type { DynamoDBRecord } from 'aws-lambda'
import { canonicalMailbox } from '../../infra/mailbox.js'
import { SESSION_KEY_PREFIX, type SessionItem, type TokenItem } from '../../infra/model.js'

/** EventBridge `source` of every domain event. */
export const DOMAIN_EVENT_SOURCE = 'otp.email'

export const DOMAIN_EVENT_TYPES = [
  'OtpRequested',
  'OtpDelivered',
  'OtpBounced',
  'OtpVerified',
  'OtpLocked',
  'OtpExpired',
  'VerificationRedeemed',
] as const

export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number]

/** Fields every event's detail has. */
export interface DomainEventDetail {
  /** `<sessionId>:<detail-type>`: the same for every publication of one event (delivery is at least once). */
  eventId: string
  sessionId: string
  /** ISO 8601: when it happened (not when it was published). */
  time: string
  /** HMAC-SHA256(salt, canonical mailbox), hex; stable per mailbox for one deployment. */
  addressHash: string
  schemaVersion: 1
  [field: string]: string | number | boolean | null
}

/** One event as EventBridge's PutEvents takes it. */
export interface DomainEvent {
  source: typeof DOMAIN_EVENT_SOURCE
  detailType: DomainEventType
  detail: DomainEventDetail
}

/** What the events Lambda remembers per session (`EVENTS#<sessionId>`): what it has announced. */
export interface EventLedger {
  announced: ReadonlySet<DomainEventType>
  addressHash?: string
  /** Epoch ms. */
  expiresAt?: number
}

/** `addressHash` of an address: HMAC-SHA256 of its canonical mailbox under `salt`, hex. */
export function hashAddress(salt: string, email: string): string {
  return createHmac('sha256', salt).update(canonicalMailbox(email)).digest('hex')
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString()

function event(
  detailType: DomainEventType,
  sessionId: string,
  at: number,
  addressHash: string,
  fields: Record<string, string | number | boolean | null> = {},
): DomainEvent {
  return {
    source: DOMAIN_EVENT_SOURCE,
    detailType,
    detail: {
      eventId: `${sessionId}:${detailType}`,
      sessionId,
      time: iso(at),
      addressHash,
      schemaVersion: 1,
      ...fields,
    },
  }
}

/** Every event a session's current state implies, in the order they happened. */
export function sessionEvents(session: SessionItem, salt: string): DomainEvent[] {
  const { sessionId } = session
  const hash = hashAddress(salt, session.email)
  const events = [
    event('OtpRequested', sessionId, session.createdAt, hash, {
      expiresAt: iso(session.expiresAt),
      codeLength: session.codeLength,
      maxAttempts: session.maxAttempts,
      locale: session.locale ?? null,
    }),
  ]
  const at = session.deliveryStatusAt ?? session.createdAt
  // A complaint (or a late bounce) may have moved the state on before this read: the delivery
  // stays on record in `deliveredAt`.
  const deliveredAt =
    session.deliveredAt ?? (session.deliveryStatus === 'DELIVERED' ? at : undefined)
  if (deliveredAt !== undefined)
    events.push(
      event('OtpDelivered', sessionId, deliveredAt, hash, {
        timeToInboxMs: deliveredAt - session.createdAt,
      }),
    )
  if (session.deliveryStatus === 'BOUNCED')
    events.push(
      event('OtpBounced', sessionId, at, hash, { reason: session.deliveryReason ?? null }),
    )
  const attempts = { attemptsUsed: session.attempts, maxAttempts: session.maxAttempts }
  if (session.status === 'VERIFIED' && session.verifiedAt !== undefined)
    events.push(
      event('OtpVerified', sessionId, session.verifiedAt, hash, {
        ...attempts,
        secondsToVerify: Math.round((session.verifiedAt - session.createdAt) / 1000),
      }),
    )
  if (session.status === 'LOCKED' && session.lockedAt !== undefined)
    events.push(event('OtpLocked', sessionId, session.lockedAt, hash, attempts))
  return events.sort((a, b) => a.detail.time.localeCompare(b.detail.time))
}

/** `VerificationRedeemed` once the token is redeemed; nothing before. */
export function tokenEvents(token: TokenItem, salt: string): DomainEvent[] {
  if (token.redeemedAt === undefined) return []
  return [
    event(
      'VerificationRedeemed',
      token.sessionId,
      token.redeemedAt,
      hashAddress(salt, token.email),
      {
        verifiedAt: iso(token.verifiedAt),
      },
    ),
  ]
}

/**
 * `OtpExpired` when DynamoDB's TTL removed a session that never verified or locked. Known only when
 * the ledger remembers the session (TTL on a keys-only stream leaves nothing else to read).
 */
export function expiryEvents(
  sessionId: string,
  ledger: EventLedger,
  removedAt: number,
): DomainEvent[] {
  const ended = ledger.announced.has('OtpVerified') || ledger.announced.has('OtpLocked')
  if (ended || !ledger.announced.has('OtpRequested') || !ledger.addressHash) return []
  return [
    event('OtpExpired', sessionId, ledger.expiresAt ?? removedAt, ledger.addressHash, {
      delivered: ledger.announced.has('OtpDelivered'),
    }),
  ]
}

/** What a stream record is about: a session or a token (by key), and whether TTL removed it. */
export type StreamSubject =
  | { kind: 'session'; sessionId: string; removedByTtl: boolean; removedAt: number }
  | { kind: 'token'; key: string }

/** The subject of a keys-only stream record, or undefined for any other item. */
export function subjectOf(record: DynamoDBRecord): StreamSubject | undefined {
  const key = record.dynamodb?.Keys?.pk?.S ?? ''
  if (key.startsWith(SESSION_KEY_PREFIX)) {
    const identity = record.userIdentity as { type?: string; principalId?: string } | undefined
    return {
      kind: 'session',
      sessionId: key.slice(SESSION_KEY_PREFIX.length),
      removedByTtl:
        record.eventName === 'REMOVE' &&
        identity?.type === 'Service' &&
        identity.principalId === 'dynamodb.amazonaws.com',
      removedAt: (record.dynamodb?.ApproximateCreationDateTime ?? 0) * 1000,
    }
  }
  if (key.startsWith('TOKEN#') && record.eventName === 'MODIFY') return { kind: 'token', key }
  return undefined
}

/**
 * The events a stream record announces that the ledger has not: from the item as it is now
 * (`item`, read after the record, since the stream carries keys only) or, for a TTL removal, from
 * the ledger. Events already announced are left out, so records that repeat a state add nothing.
 */
export function domainEventsFor(input: {
  subject: StreamSubject
  item: SessionItem | TokenItem | undefined
  ledger: EventLedger
  salt: string
}): DomainEvent[] {
  const { subject, item, ledger, salt } = input
  let events: DomainEvent[] = []
  if (subject.kind === 'session' && subject.removedByTtl)
    events = expiryEvents(subject.sessionId, ledger, subject.removedAt)
  else if (item?.kind === 'session') events = sessionEvents(item, salt)
  else if (item?.kind === 'token') events = tokenEvents(item, salt)
  return events.filter((e) => !ledger.announced.has(e.detailType))
}
