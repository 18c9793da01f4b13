import { describe, expect, it } from 'vitest'
import {
  DOMAIN_EVENT_SOURCE,
  domainEventsFor,
  expiryEvents,
  hashAddress,
  sessionEvents,
  subjectOf,
  tokenEvents,
  type DomainEvent,
} from '../../functions/publish-domain-events/domain-events.js'
import { sessionKey, type SessionItem, type TokenItem } from '../../infra/model.js'

const SALT = 'test-salt'
const EMAIL = 'Ada.Lovelace+news@example.com'
const CODE = '493817'
const TOKEN = 'f'.repeat(32)
const SESSION_ID = 'a'.repeat(32)
const T0 = Date.parse('2026-01-01T10:00:00.000Z')

function session(overrides: Partial<SessionItem> = {}): SessionItem {
  return {
    pk: sessionKey(SESSION_ID),
    kind: 'session',
    sessionId: SESSION_ID,
    email: EMAIL.toLowerCase(),
    code: CODE,
    codeLength: 6,
    status: 'PENDING',
    attempts: 0,
    maxAttempts: 5,
    createdAt: T0,
    expiresAt: T0 + 600_000,
    ttl: T0 / 1000 + 3600,
    locale: 'en',
    ...overrides,
  }
}

const token: TokenItem = {
  pk: `TOKEN#${TOKEN}`,
  kind: 'token',
  email: EMAIL.toLowerCase(),
  sessionId: SESSION_ID,
  verifiedAt: T0 + 60_000,
  expiresAt: T0 + 360_000,
  redeemedAt: T0 + 70_000,
  ttl: T0 / 1000 + 3600,
}

const everyEvent = (): DomainEvent[] => [
  ...sessionEvents(
    session({
      status: 'VERIFIED',
      verifiedAt: T0 + 60_000,
      attempts: 2,
      deliveryStatus: 'DELIVERED',
      deliveryStatusAt: T0 + 4_000,
    }),
    SALT,
  ),
  ...sessionEvents(
    session({
      status: 'LOCKED',
      lockedAt: T0 + 90_000,
      attempts: 5,
      deliveryStatus: 'BOUNCED',
      deliveryReason: 'MAILBOX_DOES_NOT_EXIST',
      deliveryStatusAt: T0 + 2_000,
    }),
    SALT,
  ),
  ...tokenEvents(token, SALT),
  ...expiryEvents(
    SESSION_ID,
    {
      announced: new Set(['OtpRequested', 'OtpDelivered']),
      addressHash: 'h',
      expiresAt: T0 + 600_000,
    },
    T0 + 4_000_000,
  ),
]

describe('Domain events', () => {
  it('names every event with source otp.email, a detail-type and the common detail fields', () => {
    const events = everyEvent()
    expect(new Set(events.map((e) => e.detailType))).toEqual(
      new Set([
        'OtpRequested',
        'OtpDelivered',
        'OtpBounced',
        'OtpVerified',
        'OtpLocked',
        'OtpExpired',
        'VerificationRedeemed',
      ]),
    )
    for (const e of events) {
      expect(e.source).toBe(DOMAIN_EVENT_SOURCE)
      expect(e.detail).toMatchObject({
        eventId: `${SESSION_ID}:${e.detailType}`,
        sessionId: SESSION_ID,
        schemaVersion: 1,
      })
      expect(e.detail.addressHash).toMatch(/^([0-9a-f]{64}|h)$/)
      expect(new Date(e.detail.time).toISOString()).toBe(e.detail.time)
    }
  })

  it('gives each event its outcome fields', () => {
    const byType = Object.fromEntries(everyEvent().map((e) => [e.detailType, e.detail]))
    expect(byType.OtpRequested).toMatchObject({
      codeLength: 6,
      maxAttempts: 5,
      locale: 'en',
      expiresAt: '2026-01-01T10:10:00.000Z',
      time: '2026-01-01T10:00:00.000Z',
    })
    expect(byType.OtpDelivered).toMatchObject({
      timeToInboxMs: 4_000,
      time: '2026-01-01T10:00:04.000Z',
    })
    expect(byType.OtpBounced).toMatchObject({ reason: 'MAILBOX_DOES_NOT_EXIST' })
    expect(byType.OtpVerified).toMatchObject({
      attemptsUsed: 2,
      maxAttempts: 5,
      secondsToVerify: 60,
    })
    expect(byType.OtpLocked).toMatchObject({ attemptsUsed: 5, maxAttempts: 5 })
    expect(byType.OtpExpired).toMatchObject({ delivered: true, time: '2026-01-01T10:10:00.000Z' })
    expect(byType.VerificationRedeemed).toMatchObject({
      verifiedAt: '2026-01-01T10:01:00.000Z',
      time: '2026-01-01T10:01:10.000Z',
    })
  })

  it('still announces OtpDelivered, at the delivery time, when a complaint moved the state on before the read', () => {
    const events = sessionEvents(
      session({
        deliveryStatus: 'COMPLAINED',
        deliveryStatusAt: T0 + 9_000,
        deliveryReason: 'MARKED_AS_SPAM',
        deliveredAt: T0 + 4_000,
      }),
      SALT,
    )
    expect(events.map((e) => e.detailType)).toEqual(['OtpRequested', 'OtpDelivered'])
    expect(events[1]?.detail).toMatchObject({
      timeToInboxMs: 4_000,
      time: '2026-01-01T10:00:04.000Z',
    })
  })

  it('carries neither the code, the address, its local part nor the token in any event', () => {
    const text = JSON.stringify(everyEvent()).toLowerCase()
    for (const secret of [
      CODE,
      EMAIL.toLowerCase(),
      'ada.lovelace',
      'adalovelace@example.com',
      TOKEN,
    ])
      expect(text).not.toContain(secret)
  })

  it('hashes the canonical mailbox with the salt: one hash per mailbox, another under another salt', () => {
    expect(hashAddress(SALT, 'Ada.Lovelace+news@example.com')).toBe(
      hashAddress(SALT, 'ada.lovelace@example.com'),
    )
    expect(hashAddress(SALT, 'ada@example.com')).not.toBe(hashAddress(SALT, 'bob@example.com'))
    expect(hashAddress('other', 'ada@example.com')).not.toBe(hashAddress(SALT, 'ada@example.com'))
  })

  it('leaves out what the ledger has announced, and says nothing for a pending session it announced', () => {
    const subject = {
      kind: 'session' as const,
      sessionId: SESSION_ID,
      removedByTtl: false,
      removedAt: 0,
    }
    const fresh = domainEventsFor({
      subject,
      item: session(),
      ledger: { announced: new Set() },
      salt: SALT,
    })
    expect(fresh.map((e) => e.detailType)).toEqual(['OtpRequested'])
    const again = domainEventsFor({
      subject,
      item: session(),
      ledger: { announced: new Set(['OtpRequested']) },
      salt: SALT,
    })
    expect(again).toEqual([])
  })

  it('announces OtpExpired for a TTL removal of a session that never verified or locked, and only then', () => {
    const record = {
      eventName: 'REMOVE' as const,
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
      dynamodb: {
        Keys: { pk: { S: sessionKey(SESSION_ID) } },
        ApproximateCreationDateTime: T0 / 1000 + 5000,
      },
    }
    const subject = subjectOf(record)
    expect(subject).toMatchObject({ kind: 'session', removedByTtl: true })
    if (!subject) return
    const pending = {
      announced: new Set(['OtpRequested'] as const),
      addressHash: 'h',
      expiresAt: T0,
    }
    expect(
      domainEventsFor({ subject, item: undefined, ledger: pending, salt: SALT }).map(
        (e) => e.detailType,
      ),
    ).toEqual(['OtpExpired'])
    const verified = { ...pending, announced: new Set(['OtpRequested', 'OtpVerified'] as const) }
    expect(domainEventsFor({ subject, item: undefined, ledger: verified, salt: SALT })).toEqual([])
    const deleted = subjectOf({ ...record, userIdentity: undefined })
    expect(deleted).toMatchObject({ removedByTtl: false })
  })
})
