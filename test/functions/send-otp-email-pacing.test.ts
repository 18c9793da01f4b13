import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import type { DynamoDBRecord } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHandler, type EmailHandler } from '../../functions/send-otp-email/handler.js'
import { emailSender } from '../../infra/api.js'
import { sendRateGate } from '../../functions/send-otp-email/send-rate.js'
import { startSesRateLimit, type SesRateLimit } from '../../infra/local/ses-rate-limit.js'
import { sendRateKey, type SessionItem } from '../../infra/model.js'
import {
  insertRecord,
  mailTo,
  newSession,
  putSession,
  readSession,
  testDependencies,
  useEmailEnv,
  type EmailEnv,
} from './fixtures/email-env.js'

const env = useEmailEnv()
const RATE = 4
let limit: SesRateLimit

beforeAll(async () => {
  limit = await startSesRateLimit(env().ses.url, RATE)
})
afterAll(async () => {
  await limit?.stop()
})

/** An invocation as Lambda makes it: a context whose remaining time runs out `budgetMs` from now. */
async function invoke(handler: EmailHandler, records: DynamoDBRecord[], budgetMs: number) {
  const end = Date.now() + budgetMs
  const result = await handler(
    { Records: records },
    { getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) },
  )
  return {
    failed: result.batchItemFailures.map((f) => f.itemIdentifier),
    end,
    returnedAt: Date.now(),
  }
}

async function sessions(count: number): Promise<SessionItem[]> {
  const made = Array.from({ length: count }, () => newSession())
  await Promise.all(made.map((s) => putSession(env(), s)))
  return made
}

async function expectEachMailedOnce(e: EmailEnv, made: SessionItem[]): Promise<void> {
  for (const session of made) {
    expect(await mailTo(e, session.email)).toHaveLength(1)
    expect((await readSession(e, session.sessionId))?.delivery).toBe('SENT')
  }
}

describe('Function: send-otp-email, paced to the SES send rate', () => {
  it('grants at most the rate per second to gates in separate processes, in the seconds they were reserved for', async () => {
    // Prepare: two gates, as two execution environments would hold them.
    const clock = {
      now: () => Date.now(),
      sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
    }
    const gates = [1, 2].map(() => sendRateGate(env().dynamodb, env().tableName, RATE, clock))
    const first = Math.floor(Date.now() / 1000)

    // Act
    const grantedAt = await Promise.all(
      Array.from({ length: 3 * RATE }, async (_, i) => {
        expect(await gates[i % 2]?.acquire(Date.now() + 10_000)).toBe(true)
        return Math.floor(Date.now() / 1000)
      }),
    )

    // Assess
    const perSecond = new Map<number, number>()
    for (const second of grantedAt) perSecond.set(second, (perSecond.get(second) ?? 0) + 1)
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(RATE)
    let counted = 0
    for (let second = first; second <= Math.max(...grantedAt); second += 1) {
      const { Item } = await env().dynamodb.send(
        new GetItemCommand({
          TableName: env().tableName,
          Key: { pk: { S: sendRateKey(second) } },
          ConsistentRead: true,
        }),
      )
      const count = Number(Item?.count?.N ?? 0)
      expect(count).toBeLessThanOrEqual(RATE)
      counted += count
    }
    // A place whose answer came back after its second ended is void and taken again: never fewer.
    expect(counted).toBeGreaterThanOrEqual(3 * RATE)
  })

  it('mails every session once when three invocations meet a throttling SES, none past its deadline', async () => {
    // Prepare
    const deps = testDependencies(env(), {
      sesUrl: limit.url,
      config: { sesMaxSendRate: RATE },
      retry: { maxTries: 10, baseDelayMs: 50, maxDelayMs: 400 },
    })
    const handler = createHandler(deps)
    const made = await sessions(18)
    let pending = made.map(insertRecord)

    // Act: the event source retries what each invocation reports as failed.
    const invocations: { end: number; returnedAt: number }[] = []
    for (let round = 0; round < 8 && pending.length > 0; round += 1) {
      const batches = [0, 1, 2].map((i) => pending.filter((_, j) => j % 3 === i))
      const results = await Promise.all(batches.map((b) => invoke(handler, b, 5_000)))
      invocations.push(...results)
      const failed = new Set(results.flatMap((r) => r.failed))
      pending = pending.filter((r) => failed.has(r.dynamodb?.SequenceNumber ?? ''))
    }

    // Assess
    expect(pending).toEqual([])
    expect(deps.deadLetters).toEqual([])
    await expectEachMailedOnce(env(), made)
    for (const { end, returnedAt } of invocations) expect(returnedAt).toBeLessThanOrEqual(end)
  })

  it('leaves a record it finds no send place for unclaimed and returns before its deadline', async () => {
    // Prepare: more records than places before the deadline.
    const deps = testDependencies(env(), { sesUrl: limit.url, config: { sesMaxSendRate: RATE } })
    const handler = createHandler(deps)
    const made = await sessions(4 * RATE)

    const records = made.map(insertRecord)

    // Act: 4.5 s of remaining time leaves 1.5 s before the send deadline, 0.5 s to claim.
    const first = await invoke(handler, records, 4_500)

    // Assess
    expect(first.returnedAt).toBeLessThanOrEqual(first.end)
    expect(first.failed.length).toBeGreaterThan(0)
    expect(first.failed.length).toBeLessThan(made.length)
    const states = await Promise.all(made.map((s) => readSession(env(), s.sessionId)))
    const unclaimed = states.filter((s) => s?.delivery === undefined)
    expect(unclaimed).toHaveLength(first.failed.length)
    expect(unclaimed.every((s) => s?.deliveryAttempts === undefined)).toBe(true)

    // Act again: the event source hands the rest back until all went out.
    let pending = records.filter((r) => first.failed.includes(r.dynamodb?.SequenceNumber ?? ''))
    for (let round = 0; round < 8 && pending.length > 0; round += 1) {
      const next = await invoke(handler, pending, 8_000)
      expect(next.returnedAt).toBeLessThanOrEqual(next.end)
      pending = pending.filter((r) => next.failed.includes(r.dynamodb?.SequenceNumber ?? ''))
    }
    expect(pending).toEqual([])
    expect(deps.deadLetters).toEqual([])
    await expectEachMailedOnce(env(), made)
  })

  it('counts the outcomes of each invocation as metrics: mails handed to SES and records left for retry', async () => {
    // Prepare
    const counts: Record<string, number> = {}
    const metrics = {
      addMetric: (name: string, _unit: unknown, value: number) => {
        counts[name] = (counts[name] ?? 0) + value
      },
      publishStoredMetrics: () => undefined,
    }
    const deps = {
      ...testDependencies(env(), { sesUrl: limit.url, config: { sesMaxSendRate: RATE } }),
      metrics,
    }
    const made = await sessions(3 * RATE)

    // Act
    const result = await invoke(createHandler(deps), made.map(insertRecord), 4_500)

    // Assess
    expect(counts[emailSender.metrics.retried] ?? 0).toBe(result.failed.length)
    expect(counts[emailSender.metrics.sent] ?? 0).toBe(made.length - result.failed.length)
    expect(JSON.stringify(counts)).not.toMatch(/@|\d{6}/)
  })
})
