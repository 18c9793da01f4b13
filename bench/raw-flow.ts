/**
 * The limit: the DynamoDB operations one full flow performs, exactly as the resolvers issue them
 * (resolvers/steps/<field>/*.ts), sent straight to DynamoDB with the SDK. No GraphQL, no sandbox, no mail
 * (the table is a separate one, so nothing consumes its stream).
 */
import { randomBytes, randomInt } from 'node:crypto'
import {
  GetItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { canonicalMailbox } from '../infra/mailbox.js'
import {
  cooldownKey,
  sessionKey,
  suppressionKey,
  tokenKey,
  type SessionItem,
  type TokenItem,
} from '../infra/model.js'
import { toResolverEnv, type OtpSettings } from '../infra/settings.js'
import {
  failureLimits,
  globalSendLimit,
  sendLimits,
  type WindowLimit,
} from '../resolvers/lib/limits.js'
import { readPolicy, ttlAfter, type Policy } from '../resolvers/lib/policy.js'

/** The client every raw flow counts as (the resolvers read it from `x-forwarded-for`). */
const CLIENT = '127.0.0.1'

/** One count on a fixed-window counter, refused at its cap (resolvers/lib/window-counter.ts). */
function count(TableName: string, limit: WindowLimit, kind: 'sendWindow' | 'failureWindow') {
  return {
    TableName,
    Key: values({ pk: limit.pk }),
    UpdateExpression: 'SET #kind = :kind, #ttl = :ttl ADD #count :one',
    ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
    ExpressionAttributeNames: { '#kind': 'kind', '#ttl': 'ttl', '#count': 'count' },
    ExpressionAttributeValues: values({
      ':kind': kind,
      ':ttl': ttlAfter(limit.endsAt),
      ':one': 1,
      ':max': limit.max,
    }),
  }
}

/** One count taken back, never below zero. */
function uncount(TableName: string, limit: WindowLimit) {
  return {
    TableName,
    Key: values({ pk: limit.pk }),
    UpdateExpression: 'ADD #count :minusOne',
    ConditionExpression: '#count > :zero',
    ExpressionAttributeNames: { '#count': 'count' },
    ExpressionAttributeValues: values({ ':minusOne': -1, ':zero': 0 }),
  }
}

const values = (record: object) => marshall(record, { removeUndefinedValues: true })

/**
 * The code a user would read from the email: one strongly consistent GetItem of the session.
 * Both flows look the code up with this same call, so it weighs the same in each.
 */
export async function lookupCode(
  client: DynamoDBClient,
  tableName: string,
  sessionId: string,
): Promise<string> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: values({ pk: sessionKey(sessionId) }),
      ConsistentRead: true,
    }),
  )
  const code = Item?.code?.S
  if (code === undefined) throw new Error(`session ${sessionId} has no code to look up`)
  return code
}

/**
 * The requestOtp steps on their success path: the global send budget, then one transaction of the
 * suppression check, the cooldown, the three send limits and the new session.
 * Resolves with the new session id.
 */
export async function requestSession(
  client: DynamoDBClient,
  policy: Policy,
  email: string,
): Promise<string> {
  const now = Date.now()
  const sessionId = randomBytes(16).toString('hex')
  const code = String(randomInt(0, 10 ** policy.codeLength)).padStart(policy.codeLength, '0')
  const mailbox = canonicalMailbox(email)
  const expiresAt = now + policy.codeTtlMs
  const session: SessionItem = {
    pk: sessionKey(sessionId),
    kind: 'session',
    sessionId,
    email,
    code,
    codeLength: policy.codeLength,
    status: 'PENDING',
    attempts: 0,
    maxAttempts: policy.maxAttempts,
    createdAt: now,
    expiresAt,
    ttl: ttlAfter(expiresAt),
  }
  const TableName = policy.tableName
  await client.send(
    new UpdateItemCommand(count(TableName, globalSendLimit(policy, now), 'sendWindow')),
  )
  await client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          ConditionCheck: {
            TableName,
            Key: values({ pk: suppressionKey(mailbox) }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName,
            Key: values({ pk: cooldownKey(CLIENT, mailbox) }),
            UpdateExpression: 'SET #kind = :kind, lastSentAt = :now, #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(pk) OR lastSentAt <= :cooldownEdge',
            ExpressionAttributeNames: { '#kind': 'kind', '#ttl': 'ttl' },
            ExpressionAttributeValues: values({
              ':kind': 'cooldown',
              ':now': now,
              ':ttl': ttlAfter(now + policy.cooldownMs),
              ':cooldownEdge': now - policy.cooldownMs,
            }),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        ...sendLimits(policy, CLIENT, mailbox, now).map((limit) => ({
          Update: count(TableName, limit, 'sendWindow'),
        })),
        {
          Put: {
            TableName,
            Item: values(session),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  )
  return sessionId
}

/** The verifyOtp pipeline on its success path: load, reserve the failure limits, reserve the attempt, settle, refund the limits. */
async function verifyOtp(
  client: DynamoDBClient,
  policy: Policy,
  sessionId: string,
  code: string,
): Promise<string> {
  const now = Date.now()
  const TableName = policy.tableName
  const key = values({ pk: sessionKey(sessionId) })
  const loaded = await client.send(
    new GetItemCommand({ TableName, Key: key, ConsistentRead: true }),
  )
  if (!loaded.Item) throw new Error('session not found')
  const loadedEmail = unmarshall(loaded.Item).email as string
  const limits = failureLimits(policy, CLIENT, canonicalMailbox(loadedEmail), now)
  await client.send(
    new TransactWriteItemsCommand({
      TransactItems: limits.map((limit) => ({ Update: count(TableName, limit, 'failureWindow') })),
    }),
  )
  const reserved = await client.send(
    new UpdateItemCommand({
      TableName,
      Key: key,
      UpdateExpression: 'SET attempts = attempts + :one',
      ConditionExpression: '#status = :pending AND attempts < maxAttempts AND expiresAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values({ ':one': 1, ':pending': 'PENDING', ':now': now }),
      ReturnValues: 'ALL_NEW',
    }),
  )
  const session = unmarshall(reserved.Attributes ?? {}) as SessionItem
  if (session.code !== code) throw new Error('the looked-up code did not match')
  const token = randomBytes(16).toString('hex')
  const tokenExpiresAt = now + policy.tokenTtlMs
  const tokenItem: TokenItem = {
    pk: tokenKey(token),
    kind: 'token',
    email: session.email,
    sessionId,
    verifiedAt: now,
    expiresAt: tokenExpiresAt,
    ttl: ttlAfter(tokenExpiresAt),
  }
  await client.send(
    new TransactWriteItemsCommand({
      TransactItems: [
        {
          Update: {
            TableName,
            Key: key,
            UpdateExpression: 'SET #status = :verified, verifiedAt = :now REMOVE code',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: values({
              ':verified': 'VERIFIED',
              ':now': now,
              ':pending': 'PENDING',
            }),
          },
        },
        {
          Put: {
            TableName,
            Item: values(tokenItem),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  )
  await client.send(
    new TransactWriteItemsCommand({
      TransactItems: limits.map((limit) => ({ Update: uncount(TableName, limit) })),
    }),
  )
  return token
}

/** One raw flow per call: request, look the code up, verify. Resolves with the verification token. */
export type RawFlow = (email: string) => Promise<string>

/**
 * The raw flow over `tableName`, with the same policy the resolvers read from `ctx.env`.
 * The code lookup goes through `lookupClient`, so that its units can be kept apart from the flow's.
 */
export function createRawFlow(
  client: DynamoDBClient,
  lookupClient: DynamoDBClient,
  tableName: string,
  settings: OtpSettings,
): RawFlow {
  const policy = readPolicy(toResolverEnv(settings, tableName))
  return async (email) => {
    const sessionId = await requestSession(client, policy, email)
    const code = await lookupCode(lookupClient, tableName, sessionId)
    return verifyOtp(client, policy, sessionId, code)
  }
}
