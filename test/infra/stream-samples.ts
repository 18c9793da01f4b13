/**
 * What the table's stream carries, for tests of the email Lambda's event filter: one record in
 * Lambda's shape for each kind of write the service makes (keys only, as the table streams), and a
 * second, independent reading of a filter pattern to check the local filter engine against.
 */
import { marshall } from '@aws-sdk/util-dynamodb'
import type { DynamoDBRecord } from 'aws-lambda'
import {
  cooldownKey,
  failureWindowKey,
  sendWindowKey,
  sessionKey,
  suppressionKey,
  tokenKey,
  type CooldownItem,
  type SessionItem,
  type SuppressionItem,
  type TokenItem,
  type WindowCounterItem,
} from '../../infra/model.js'

type Item =
  | SessionItem
  | CooldownItem
  | WindowCounterItem
  | TokenItem
  | SuppressionItem
  | Record<string, unknown>

const now = Date.parse('2030-01-01T12:00:00.000Z')
const ttl = now / 1000 + 3600
const email = 'ada@example.com'

const session: SessionItem = {
  pk: sessionKey('0123456789abcdef0123456789abcdef'),
  kind: 'session',
  sessionId: '0123456789abcdef0123456789abcdef',
  email,
  code: '123456',
  codeLength: 6,
  status: 'PENDING',
  attempts: 0,
  maxAttempts: 5,
  createdAt: now,
  expiresAt: now + 600_000,
  ttl,
}
const client = '192.0.2.1'
const address: CooldownItem = {
  pk: cooldownKey(client, email),
  kind: 'cooldown',
  lastSentAt: now,
  ttl,
}
const sends: WindowCounterItem = {
  pk: sendWindowKey({ kind: 'mailbox', mailbox: email }, 1),
  kind: 'sendWindow',
  count: 1,
  ttl,
}
const failures: WindowCounterItem = {
  pk: failureWindowKey({ kind: 'pair', client, mailbox: email }, 1),
  kind: 'failureWindow',
  count: 1,
  ttl,
}
const token: TokenItem = {
  pk: tokenKey('tok_0123456789abcdef'),
  kind: 'token',
  email,
  sessionId: session.sessionId,
  verifiedAt: now,
  expiresAt: now + 300_000,
  ttl,
}

const suppression: SuppressionItem = {
  pk: suppressionKey(email),
  kind: 'suppression',
  reason: 'BOUNCE',
  suppressedAt: now,
}

let sequence = 100

/**
 * The record a KEYS_ONLY stream hands Lambda for one write: the key and nothing of the item (a TTL
 * deletion also names DynamoDB as the remover).
 */
function streamRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', item: Item, byTtl = false) {
  sequence += 1
  const record: DynamoDBRecord = {
    eventID: `event-${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: now / 1000,
      Keys: marshall({ pk: item.pk }) as never,
      SequenceNumber: String(sequence).padStart(21, '0'),
      SizeBytes: 60,
      StreamViewType: 'KEYS_ONLY',
    },
    eventSourceARN:
      'arn:aws:dynamodb:us-east-1:000000000000:table/otp/stream/2030-01-01T00:00:00.000',
    ...(byTtl ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
  }
  return record
}

/** `[what happened, whether the email Lambda must receive it, record]`, one per kind of write. */
export function streamSamples(): [string, boolean, DynamoDBRecord][] {
  return [
    ['requestOtp creates a session', true, streamRecord('INSERT', session)],
    ['verifyOtp reserves an attempt', false, streamRecord('MODIFY', { ...session, attempts: 1 })],
    [
      'the Lambda claims the delivery',
      false,
      streamRecord('MODIFY', { ...session, delivery: 'SENDING', deliveryAttempts: 1 }),
    ],
    [
      'the Lambda records the mail as sent',
      false,
      streamRecord('MODIFY', { ...session, delivery: 'SENT' }),
    ],
    [
      'an SES event moves the delivery state',
      false,
      streamRecord('MODIFY', { ...session, deliveryStatus: 'DELIVERED', deliveryRank: 3 }),
    ],
    ['a hard bounce suppresses a mailbox', false, streamRecord('INSERT', suppression)],
    ['TTL deletes a session', false, streamRecord('REMOVE', session, true)],
    [
      'requestOtp creates the cooldown of a client for a mailbox',
      false,
      streamRecord('INSERT', address),
    ],
    ['requestOtp renews the cooldown', false, streamRecord('MODIFY', address)],
    ['requestOtp opens a send window', false, streamRecord('INSERT', sends)],
    ['verifyOtp opens a failure window', false, streamRecord('INSERT', failures)],
    ['verifyOtp issues a verification token', false, streamRecord('INSERT', token)],
    [
      'redeemVerification redeems the token',
      false,
      streamRecord('MODIFY', { ...token, redeemedAt: now }),
    ],
    ['an item without a kind is written', false, streamRecord('INSERT', { pk: 'OTHER#1' })],
    [
      'an item whose key has SESSION# later than at its start is written',
      false,
      streamRecord('INSERT', { pk: `OTHER#${session.pk}` }),
    ],
  ]
}

/** One rule of a leaf: an exact string, or `{ prefix }`. */
type Allowed = string | { prefix: string }

interface Leaf {
  path: string[]
  allowed: Allowed[]
}

const isAllowed = (value: unknown): value is Allowed =>
  typeof value === 'string' ||
  (typeof value === 'object' &&
    value !== null &&
    Object.keys(value).join() === 'prefix' &&
    typeof (value as { prefix: unknown }).prefix === 'string')

function leavesOf(pattern: unknown, path: string[] = []): Leaf[] {
  if (Array.isArray(pattern)) {
    if (pattern.length === 0 || !pattern.every(isAllowed))
      throw new Error(`no second reading for the rule at ${path.join('.')}: give it one here`)
    return [{ path, allowed: pattern }]
  }
  if (typeof pattern !== 'object' || pattern === null)
    throw new Error(`not a filter pattern at ${path.join('.')}`)
  return Object.entries(pattern).flatMap(([key, inner]) => leavesOf(inner, [...path, key]))
}

/**
 * A second reading of a Lambda filter pattern, written apart from `infra/local/event-filter.ts`,
 * for the only syntax the deployed pattern uses: nested objects whose leaves list exact strings
 * or `{ prefix }` rules. As Lambda documents it, a record matches when, for every leaf, the record
 * holds at the same path a string equal to one listed string or starting with one listed prefix.
 * Throws for other syntax, so a new rule gets a second reading too instead of a silent pass.
 */
export function matchesExactValues(pattern: unknown, event: unknown): boolean {
  return leavesOf(pattern).every(({ path, allowed }) => {
    const value = path.reduce<unknown>(
      (node, key) =>
        typeof node === 'object' && node !== null && !Array.isArray(node)
          ? (node as Record<string, unknown>)[key]
          : undefined,
      event,
    )
    return (
      typeof value === 'string' &&
      allowed.some((rule) =>
        typeof rule === 'string'
          ? rule === value
          : value.slice(0, rule.prefix.length) === rule.prefix,
      )
    )
  })
}
