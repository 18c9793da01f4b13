/**
 * The burst scenario (`BENCH_BURST=1 npm run bench`): `count` requestOtp at once through the local
 * GraphQL API, the email Lambda's handler fed by the local stream consumer with the deployed event
 * source settings, and local SES behind the rate limiter that answers as SES does when throttling.
 * It reports whether every mail went out exactly once and none was dead-lettered, the time from
 * the first request to the last mail SES accepted against the bound count ÷ rate, and how many
 * Lambda invocations were spent on retries. With `sesRate` Infinity it measures the sender's own
 * ceiling instead.
 *
 * Every request comes from this one machine (one client IP) with its own address: the bench stack
 * raises the per-client, per-mailbox and global send limits (run.ts BENCH_SETTINGS), otherwise
 * `maxSendsPerClientPerHour` (20) would refuse all but the first twenty.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { Logger } from '@aws-lambda-powertools/logger'
import { readEmailSenderConfig } from '../functions/send-otp-email/config.js'
import { createDependencies } from '../functions/send-otp-email/dependencies.js'
import { createHandler } from '../functions/send-otp-email/handler.js'
import { isThrottling } from '../functions/send-otp-email/ses-errors.js'
import { emailSender } from '../infra/api.js'
import { localEmailSenderEnv } from '../infra/local/email-delivery.js'
import { readInbox, startSesLocal } from '../infra/local/ses-local.js'
import { startSesRateLimit } from '../infra/local/ses-rate-limit.js'
import type { LocalStack } from '../infra/local/stack.js'
import { startStreamConsumer, type StreamHandler } from '../infra/local/stream-consumer.js'
import { callGraphql, REQUEST_OTP } from './graphql-client.js'
import { round } from './stats.js'

export interface BurstOptions {
  /** A running local stack with its own email path off (`email: false`). */
  stack: LocalStack
  count: number
  /** What local SES accepts per second; Infinity for no limit. */
  sesRate: number
  /** The sender's `sesMaxSendRate`. */
  sendRate: number
  /** Requests in flight at once while the burst is fired. */
  requestConcurrency: number
  emailFor(index: number): string
}

export interface BurstReport {
  requests: number
  sesRate: number | 'unlimited'
  sendRate: number
  accepted: number
  mailsInInbox: number
  addressesMailedOnce: number
  addressesMailedTwice: number
  deadLetters: number
  requestSeconds: number
  secondsToLastMail: number
  /** count ÷ SES rate, when limited. */
  boundSeconds?: number
  /** secondsToLastMail ÷ boundSeconds (goal ≤ 1.15). */
  ofBound?: number
  mailsPerSecond: number
  /** Mails SES accepted after the last request was answered, per second until the last mail. */
  mailsPerSecondAfterRequests: number
  invocations: number
  /** Invocations that carried only records an earlier invocation had already been given. */
  retryInvocations: number
  retryShare: number
  /** Invocations that met at least one throttling answer from SES (and retried it with backoff). */
  throttledInvocations: number
  throttledShare: number
  /** Of all invocation time, the share spent in invocations that met throttling. */
  throttledTimeShare: number
  recordsReportedForRetry: number
  sesThrottlingAnswers: number
}

const LOCAL = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
}

/** Runs one burst on `stack` and reports it; stops everything it started. */
export async function measureBurst(options: BurstOptions): Promise<BurstReport> {
  const { stack, count } = options
  const ses = await startSesLocal({ port: 0 })
  const limit = await startSesRateLimit(ses.url, options.sesRate)
  const deadLetters: unknown[] = []
  const deps = createDependencies({
    config: {
      ...readEmailSenderConfig(localEmailSenderEnv(stack.settings, stack.tableName)),
      sesMaxSendRate: Number.isFinite(options.sendRate) ? options.sendRate : 100_000,
    },
    dynamodb: { ...LOCAL, endpoint: stack.urls.dynamodb },
    ses: { ...LOCAL, endpoint: limit.url },
    deadLetter: async (message) => void deadLetters.push(message),
    logger: new Logger({ serviceName: 'send-otp-email', logLevel: 'ERROR' }),
  })
  // Each invocation notes the throttling answers its own SES calls meet.
  const invocation = new AsyncLocalStorage<{ throttled: number }>()
  const send = deps.ses.send.bind(deps.ses) as (...args: unknown[]) => Promise<unknown>
  ;(deps.ses as { send: unknown }).send = async (...args: unknown[]) => {
    try {
      return await send(...args)
    } catch (error) {
      const store = invocation.getStore()
      if (store && isThrottling(error)) store.throttled += 1
      throw error
    }
  }
  const handler = createHandler(deps)
  const seen = new Set<string>()
  let invocations = 0
  let retryInvocations = 0
  let throttledInvocations = 0
  let invocationMs = 0
  let throttledInvocationMs = 0
  let reportedForRetry = 0
  const counted: StreamHandler = async (event, context) => {
    invocations += 1
    const ids = event.Records.map((r) => r.dynamodb?.SequenceNumber ?? '')
    if (ids.every((id) => seen.has(id))) retryInvocations += 1
    for (const id of ids) seen.add(id)
    const store = { throttled: 0 }
    const began = Date.now()
    const result = await invocation.run(store, () => handler(event, context))
    const ms = Date.now() - began
    invocationMs += ms
    if (store.throttled > 0) {
      throttledInvocations += 1
      throttledInvocationMs += ms
    }
    reportedForRetry += result.batchItemFailures.length
    return result
  }
  const consumer = await startStreamConsumer({
    ...emailSender,
    client: { ...LOCAL, endpoint: stack.urls.dynamodb },
    tableName: stack.tableName,
    handler: counted,
    onFailure: (record) => void deadLetters.push(record),
  })
  try {
    const started = Date.now()
    let next = 0
    const fire = async () => {
      while (next < count) {
        const index = next
        next += 1
        await callGraphql(
          { url: stack.urls.api, apiKey: stack.apiKey },
          'requestOtp',
          REQUEST_OTP,
          {
            email: options.emailFor(index),
          },
        )
      }
    }
    await Promise.all(Array.from({ length: options.requestConcurrency }, fire))
    const requested = Date.now()
    const acceptedWhileRequesting = limit.accepted()
    await consumer.drained()
    const last = limit.lastAcceptedAt() ?? Date.now()
    const inbox = await readInbox(ses.url)
    const perAddress = new Map<string, number>()
    for (const mail of inbox)
      for (const to of mail.destination.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1)
    const seconds = (last - started) / 1000
    const bound = Number.isFinite(options.sesRate) ? count / options.sesRate : undefined
    return {
      requests: count,
      sesRate: Number.isFinite(options.sesRate) ? options.sesRate : 'unlimited',
      sendRate: deps.config.sesMaxSendRate,
      accepted: limit.accepted(),
      mailsInInbox: inbox.length,
      addressesMailedOnce: [...perAddress.values()].filter((n) => n === 1).length,
      addressesMailedTwice: [...perAddress.values()].filter((n) => n > 1).length,
      deadLetters: deadLetters.length,
      requestSeconds: round((requested - started) / 1000, 2),
      secondsToLastMail: round(seconds, 2),
      ...(bound ? { boundSeconds: round(bound, 2), ofBound: round(seconds / bound, 3) } : {}),
      mailsPerSecond: round(inbox.length / seconds, 1),
      mailsPerSecondAfterRequests: round(
        (limit.accepted() - acceptedWhileRequesting) / Math.max(0.001, (last - requested) / 1000),
        1,
      ),
      invocations,
      retryInvocations,
      retryShare: round(retryInvocations / Math.max(1, invocations), 3),
      throttledInvocations,
      throttledShare: round(throttledInvocations / Math.max(1, invocations), 3),
      throttledTimeShare: round(throttledInvocationMs / Math.max(1, invocationMs), 3),
      recordsReportedForRetry: reportedForRetry,
      sesThrottlingAnswers: limit.throttled(),
    }
  } finally {
    await consumer.stop()
    deps.dynamodb.destroy()
    deps.ses.destroy()
    await limit.stop()
    await ses.stop()
  }
}

/** Prints one burst as the bench's other groups print: a few aligned lines. */
export function printBurst(report: BurstReport): void {
  const rows: [string, string][] = [
    ['requests', `${report.requests} requestOtp (fired in ${report.requestSeconds} s)`],
    ['SES limit / sender pace', `${report.sesRate} / ${report.sendRate} mails per second`],
    [
      'mails',
      `${report.mailsInInbox} in the inbox, ${report.addressesMailedOnce} addresses once, ${report.addressesMailedTwice} more than once, ${report.deadLetters} dead-lettered`,
    ],
    [
      'time to last mail',
      report.boundSeconds
        ? `${report.secondsToLastMail} s vs bound ${report.boundSeconds} s = ${report.ofBound}x (goal <= 1.15x)`
        : `${report.secondsToLastMail} s`,
    ],
    [
      'send rate reached',
      `${report.mailsPerSecond} mails per second overall, ${report.mailsPerSecondAfterRequests} once every request was answered`,
    ],
    [
      'invocations',
      `${report.invocations}, of which ${report.retryInvocations} only retries (${round(
        report.retryShare * 100,
        1,
      )}%); ${report.recordsReportedForRetry} records reported for retry; ${
        report.sesThrottlingAnswers
      } throttling answers from SES`,
    ],
    [
      'throttled retries',
      `${report.throttledInvocations} of ${report.invocations} invocations (${round(
        report.throttledShare * 100,
        1,
      )}%) met throttling and retried with backoff: ${round(
        report.throttledTimeShare * 100,
        1,
      )}% of invocation time`,
    ],
  ]
  for (const [label, value] of rows) console.log(`  ${label.padEnd(26)}${value}`)
}

/**
 * The bench group: off unless BENCH_BURST=1 (twice about count ÷ rate seconds and a shorter run).
 * First `BENCH_BURST_COUNT` (1000) requests against SES limited to `BENCH_BURST_RATE` (14) mails
 * per second, the sender paced to the same rate; then the same with the sender not paced (it
 * learns the rate from SES's throttling answers); then as many against an unlimited SES with the
 * sender unpaced, for the sender's own ceiling. Each on a fresh stack from `withStack`.
 */
export async function runBurstGroup(
  env: Record<string, string | undefined>,
  withStack: <T>(run: (stack: LocalStack) => Promise<T>) => Promise<T>,
  emailFor: (kind: string) => (index: number) => string,
): Promise<{ limited: BurstReport; unpaced: BurstReport; unlimited: BurstReport }> {
  if (env.BENCH_BURST !== '1') throw new Error('off (BENCH_BURST=1 runs it, about 4 minutes)')
  const count = Number(env.BENCH_BURST_COUNT ?? 1000)
  const rate = Number(env.BENCH_BURST_RATE ?? 14)
  const run = (kind: string, sesRate: number, sendRate: number) =>
    withStack((stack) =>
      measureBurst({
        stack,
        count,
        sesRate,
        sendRate,
        requestConcurrency: 50,
        emailFor: emailFor(kind),
      }),
    )
  console.log(`  SES limited to ${rate} mails per second:`)
  const limited = await run('burst', rate, rate)
  printBurst(limited)
  console.log(`  SES limited to ${rate} mails per second, the sender not paced (the old way):`)
  const unpaced = await run('burst-unpaced', rate, Infinity)
  printBurst(unpaced)
  console.log('  SES unlimited (the sender alone):')
  const unlimited = await run('burst-free', Infinity, Infinity)
  printBurst(unlimited)
  return { limited, unpaced, unlimited }
}
