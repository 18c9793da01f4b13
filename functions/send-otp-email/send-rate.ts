/**
 * Paces the email Lambda to SES's maximum send rate across all its concurrent invocations, so that
 * the sender respects the rate instead of discovering it through throttling. One counter item per
 * epoch second (`SENDRATE#<second>`, removed by TTL) counts the sends granted in that second; a
 * send reserves a place with a conditional `ADD` in the earliest second that still has room, gets
 * ready (claim, render), then waits for that second to begin. Reserving ahead (rather than polling the current second) serves
 * waiting invocations in the order they asked, tells at once whether a place exists before the
 * invocation's deadline, and never busy-waits.
 */
import {
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { sendRateKey } from '../../infra/model.js'

// A counter is kept this long after its second, then DynamoDB TTL removes it (clean-up only).
const COUNTER_TTL_SECONDS = 3_600
// A place in the current second is taken, and used, only with this much of it left: the call
// must reach SES within the second it was counted in. Longer wastes the places of the second's
// end whenever a batch arrives then (the burst bench lost about a tenth of the rate at 200 ms).
const LATE_IN_SECOND_MS = 50

export interface SendRateGate {
  /**
   * Reserves one send in the earliest epoch second, from now on, that has room and begins no later
   * than `latest` (epoch ms). Resolves with that second (epoch seconds), or undefined at once, with
   * nothing reserved, when every such second is full.
   */
  reserve(latest: number): Promise<number | undefined>
  /**
   * Waits until the reserved `second` begins. False, without waiting, when it is (about to be)
   * over: the place is void and a send now would count against a later second.
   */
  waitFor(second: number): Promise<boolean>
  /** `reserve`, then `waitFor`, again while places turn out void. True when the send may go. */
  acquire(latest: number): Promise<boolean>
}

/** Thrown (and retried as transient) when no send place was free before the deadline. */
export class SendRateFullError extends Error {
  override name = 'SendRateFullError'
}

/**
 * The gate over `tableName` for `maxPerSecond` sends per second.
 * @throws from `acquire` only when DynamoDB fails.
 */
export function sendRateGate(
  db: DynamoDBClient,
  tableName: string,
  maxPerSecond: number,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> },
): SendRateGate {
  // Counts only grow, so a second found full stays full: later reservations start after it.
  let fullThrough = 0
  const reserveIn = async (second: number): Promise<boolean> => {
    try {
      await db.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: sendRateKey(second) } },
          UpdateExpression: 'SET kind = :kind, #ttl = :ttl ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
          ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':kind': { S: 'sendRate' },
            ':ttl': { N: String(second + COUNTER_TTL_SECONDS) },
            ':one': { N: '1' },
            ':max': { N: String(maxPerSecond) },
          },
        }),
      )
      return true
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false
      throw error
    }
  }
  const earliest = () => Math.floor((clock.now() + LATE_IN_SECOND_MS) / 1000)
  const gate: SendRateGate = {
    async reserve(latest) {
      const lastSecond = Math.floor(latest / 1000)
      let second = Math.max(earliest(), fullThrough + 1)
      while (second <= lastSecond) {
        if (!(await reserveIn(second))) {
          fullThrough = Math.max(fullThrough, second)
          second += 1
        } else if (clock.now() >= (second + 1) * 1000 - LATE_IN_SECOND_MS) {
          // The answer came back as its second ended: that place is void, take a later one.
          second = Math.max(second + 1, earliest())
        } else return second
      }
      return undefined
    },
    async waitFor(second) {
      if (clock.now() >= (second + 1) * 1000 - LATE_IN_SECOND_MS) return false
      // Timers may fire a millisecond early: sleep again until the second has begun.
      for (let wait = second * 1000 - clock.now(); wait > 0; wait = second * 1000 - clock.now())
        await clock.sleep(wait)
      return true
    },
    async acquire(latest) {
      for (;;) {
        const second = await gate.reserve(latest)
        if (second === undefined) return false
        if (await gate.waitFor(second)) return true
      }
    },
  }
  return gate
}
