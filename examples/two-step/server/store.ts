/**
 * The example's own DynamoDB table (here in the local stack's DynamoDB Local, beside the OTP
 * table): its users and its web sessions, under one partition key `pk`. A relying app keeps these
 * wherever it already does; what matters is that the attempt (address and nonce) stays server-side.
 */
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ResourceInUseException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { createHash, randomBytes } from 'node:crypto'

export interface User {
  /** Normalised as the OTP API normalises addresses: trimmed, lower-case. */
  email: string
  passwordHash: string
}

/** A sign-in attempt waiting for the emailed code, or a person signed in. */
export type WebSession =
  | { stage: 'awaiting-code'; email: string; nonce: string; expiresAt: number }
  | { stage: 'signed-in'; email: string; expiresAt: number }

export interface ExampleStore {
  /** Creates the table unless it exists. */
  createTable(): Promise<void>
  putUser(user: User): Promise<void>
  findUser(email: string): Promise<User | undefined>
  /** Stores `session` under a fresh random id (256 bits) and returns the id: the cookie's value. */
  createSession(session: WebSession): Promise<string>
  /** The session with this id; undefined when there is none or it has expired. */
  readSession(id: string): Promise<WebSession | undefined>
  /** Deletes the session; false when it was already gone (a concurrent request ended it first). */
  endSession(id: string): Promise<boolean>
}

type StoredKeys = { pk: string; ttl: number }

/** Addresses compare as the OTP API returns them. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase()

export function createExampleStore(dynamodb: DynamoDBClient, tableName: string): ExampleStore {
  const userKey = (email: string) => ({ pk: { S: `USER#${normaliseEmail(email)}` } })
  // Only a digest of the id is stored: a copy of the table holds no cookie that signs anyone in.
  const sessionKey = (id: string) => ({
    pk: { S: `SESSION#${createHash('sha256').update(id).digest('hex')}` },
  })

  return {
    async createTable() {
      try {
        await dynamodb.send(
          new CreateTableCommand({
            TableName: tableName,
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
          }),
        )
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error
      }
    },
    async putUser(user) {
      const item = {
        ...userKey(user.email),
        ...marshall({ ...user, email: normaliseEmail(user.email) }),
      }
      await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: item }))
    },
    async findUser(email) {
      const { Item } = await dynamodb.send(
        new GetItemCommand({ TableName: tableName, Key: userKey(email), ConsistentRead: true }),
      )
      return Item ? (unmarshall(Item) as User) : undefined
    },
    async createSession(session) {
      const id = randomBytes(32).toString('base64url')
      // DynamoDB TTL only cleans up, late: expiry is checked on every read.
      const ttl = Math.ceil(session.expiresAt / 1000)
      await dynamodb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...sessionKey(id), ...marshall({ ...session, ttl }) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      return id
    },
    async readSession(id) {
      const { Item } = await dynamodb.send(
        new GetItemCommand({ TableName: tableName, Key: sessionKey(id), ConsistentRead: true }),
      )
      if (!Item) return undefined
      const { pk: _pk, ttl: _ttl, ...session } = unmarshall(Item) as WebSession & StoredKeys
      return session.expiresAt > Date.now() ? (session as WebSession) : undefined
    },
    async endSession(id) {
      try {
        await dynamodb.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: sessionKey(id),
            ConditionExpression: 'attribute_exists(pk)',
          }),
        )
        return true
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false
        throw error
      }
    },
  }
}
