/**
 * The events Lambda's memory per session, `EVENTS#<sessionId>`: which domain events it announced,
 * and the address hash and expiry an `OtpExpired` needs once TTL has removed the session. Its key
 * is neither a session's nor a token's, so the stream filter never hands its writes back.
 */
import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { eventLedgerKey } from '../../infra/model.js'
import { DOMAIN_EVENT_TYPES, type DomainEventType, type EventLedger } from './domain-events.js'

// TTL may lag by days: keep the ledger well past the session's own removal.
const KEEP_AFTER_SESSION_SECONDS = 14 * 86_400

export interface LedgerStore {
  read(sessionId: string): Promise<EventLedger>
  /** Adds `types` to what was announced; remembers the hash and expiry the first time. */
  record(
    sessionId: string,
    types: readonly DomainEventType[],
    facts: { addressHash: string; expiresAt?: number; sessionTtl?: number },
  ): Promise<void>
}

export function ledgerStore(db: DynamoDBClient, tableName: string): LedgerStore {
  const key = (sessionId: string) => ({ pk: { S: eventLedgerKey(sessionId) } })
  return {
    async read(sessionId) {
      const { Item } = await db.send(
        new GetItemCommand({ TableName: tableName, Key: key(sessionId), ConsistentRead: true }),
      )
      const announced = new Set(
        (Item?.announced?.SS ?? []).filter((t): t is DomainEventType =>
          (DOMAIN_EVENT_TYPES as readonly string[]).includes(t),
        ),
      )
      return {
        announced,
        ...(Item?.addressHash?.S ? { addressHash: Item.addressHash.S } : {}),
        ...(Item?.expiresAt?.N ? { expiresAt: Number(Item.expiresAt.N) } : {}),
      }
    },
    async record(sessionId, types, facts) {
      if (types.length === 0) return
      const ttl = (facts.sessionTtl ?? Math.floor(Date.now() / 1000)) + KEEP_AFTER_SESSION_SECONDS
      await db.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(sessionId),
          UpdateExpression:
            'ADD announced :types SET kind = :kind, addressHash = if_not_exists(addressHash, :hash), #ttl = if_not_exists(#ttl, :ttl)' +
            (facts.expiresAt !== undefined
              ? ', expiresAt = if_not_exists(expiresAt, :expires)'
              : ''),
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':types': { SS: [...types] },
            ':kind': { S: 'eventLedger' },
            ':hash': { S: facts.addressHash },
            ':ttl': { N: String(ttl) },
            ...(facts.expiresAt !== undefined
              ? { ':expires': { N: String(facts.expiresAt) } }
              : {}),
          },
        }),
      )
    },
  }
}
