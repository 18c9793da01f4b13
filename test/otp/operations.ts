/** GraphQL documents and small helpers shared by the OTP suites. */
import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import type { SessionItem } from '../../infra/model.js'
import { sessionKey } from '../../infra/model.js'
import type { LocalStack } from '../../infra/local/stack.js'

export const REQUEST_OTP = /* GraphQL */ `
  mutation Request($email: AWSEmail!) {
    requestOtp(email: $email) {
      sessionId
      email
      expiresAt
      codeLength
      maxAttempts
      resendAvailableAt
    }
  }
`
export const VERIFY_OTP = /* GraphQL */ `
  mutation Verify($sessionId: ID!, $code: String!) {
    verifyOtp(sessionId: $sessionId, code: $code) {
      status
      attemptsRemaining
      verificationToken
      verificationTokenExpiresAt
    }
  }
`
export const REDEEM = /* GraphQL */ `
  mutation Redeem($token: String!) {
    redeemVerification(token: $token) {
      email
      sessionId
      verifiedAt
    }
  }
`

/** A fresh address per test so quotas never leak between tests. */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`
}

/** Reads a session straight from DynamoDB Local (strongly consistent), as an operator would. */
export async function readSession(
  stack: LocalStack,
  sessionId: string,
): Promise<SessionItem | undefined> {
  const { Item } = await stack.dynamodb.send(
    new GetItemCommand({
      TableName: stack.tableName,
      Key: { pk: { S: sessionKey(sessionId) } },
      ConsistentRead: true,
    }),
  )
  return Item ? (unmarshall(Item) as SessionItem) : undefined
}

/** Every item of the table whose key starts with `prefix` (tests only: a scan). */
export async function itemsWithPrefix(
  stack: Pick<LocalStack, 'dynamodb' | 'tableName'>,
  prefix: string,
): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await stack.dynamodb.send(
    new ScanCommand({
      TableName: stack.tableName,
      FilterExpression: 'begins_with(pk, :prefix)',
      ExpressionAttributeValues: { ':prefix': { S: prefix } },
      ConsistentRead: true,
    }),
  )
  return Items.map((item) => unmarshall(item))
}

/** A code that differs from `code` in every digit. */
export function wrongCode(code: string): string {
  return code
    .split('')
    .map((digit) => String((Number(digit) + 1) % 10))
    .join('')
}

/** Runs `count` calls at once and waits for all of them. */
export function inParallel<T>(count: number, call: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => call(index)))
}

/**
 * Waits, if needed, until at least `marginMs` remain in the current fixed window of `windowMs`
 * (the limits count in windows aligned to the epoch): a test that fills a window must not see
 * it end half-way and a fresh one open.
 */
export async function clearOfWindowEdge(windowMs: number, marginMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs)
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50))
}
