/**
 * Time to DELIVERED (issue 13): from sending `requestOtp` to a subscribed client holding the
 * session's DELIVERED state, with the whole path running locally (stream consumer, email Lambda,
 * local SES, the SES mailbox simulator's events, the event Lambda, `publishOtpDelivery`, the
 * real-time endpoint). The client is AWS's own (aws-appsync-subscription-link, API key) over one
 * WebSocket, as the web app uses it: subscribe as soon as the session id is known, read
 * `otpDelivery` once when the subscription is acknowledged, take whichever shows DELIVERED first.
 * Also counts what one flow costs on AWS's real-time side (operations, messages, connection).
 *
 *   npx tsx bench/time-to-delivered.ts     # this group alone, on a fresh local stack
 */
import { createRequire } from 'node:module'
import type * as ApolloCore from '@apollo/client/core'
import { AUTH_TYPE, createAuthLink } from 'aws-appsync-auth-link'
import { CONTROL_EVENTS_KEY, createSubscriptionHandshakeLink } from 'aws-appsync-subscription-link'
import { WebSocket } from 'ws'
import { callGraphql, REQUEST_OTP, type ApiTarget } from './graphql-client.js'
import type { RealtimeUsage } from './cost.js'
import { formatTable, round, summarize, type LatencySummary } from './stats.js'
import type { LocalStack } from '../infra/local/stack.js'
import type { OtpSettings } from '../infra/settings.js'

// Apollo's ES build does not load in plain Node (tsx); its CommonJS build does.
const { ApolloClient, ApolloLink, InMemoryCache, gql } = createRequire(import.meta.url)(
  '@apollo/client/core',
) as typeof ApolloCore

const ON_DELIVERY = gql`
  subscription OnDelivery($sessionId: ID!) {
    onOtpDelivery(sessionId: $sessionId) {
      sessionId
      status
    }
  }
`
const OTP_DELIVERY = /* GraphQL */ `
  query Delivery($sessionId: ID!) {
    otpDelivery(sessionId: $sessionId) {
      status
    }
  }
`

export interface DeliveredOptions {
  api: ApiTarget
  /** Flows to time, one after another. */
  count: number
  /** A flow whose DELIVERED has not arrived after this long counts as lost. */
  timeoutMs: number
  /**
   * Minutes a browser holds its WebSocket per flow (the code step stays open while the person
   * reads the mail and types the code): an assumption, not a measurement. AppSync bills whole
   * connection minutes.
   */
  connectionMinutesPerFlow: number
}

export interface DeliveredReport {
  flows: number
  delivered: number
  /** Milliseconds from sending requestOtp to the client holding DELIVERED. */
  latency: LatencySummary
  /** Of those, milliseconds from sending requestOtp to its answer. */
  requestLatency: LatencySummary
  /** Flows whose DELIVERED came pushed over the subscription, not from the read after the ack. */
  pushed: number
  /** Subscription messages received per flow (one per published transition after the start). */
  messagesPerFlow: number
  /** What one flow costs on AppSync's real-time side; see `RealtimeUsage`. */
  usage: RealtimeUsage
  samples: number[]
}

/** Every flow mails the simulator's success address (SES reports Delivery for it). */
const SUCCESS = 'success@simulator.amazonses.com'

/** Limits out of the way: every flow mails the same mailbox from the same client. */
export const deliveredBenchSettings: Partial<OtpSettings> = {
  resendCooldownSeconds: 0,
  maxSendsPerWindow: 1000,
  maxSendsPerMailboxPerHour: 100_000,
  maxSendsPerClientPerHour: 100_000,
  maxSendsPerMinute: 100_000,
}

/** Times `count` flows to DELIVERED over one subscription client. */
export async function measureTimeToDelivered(options: DeliveredOptions): Promise<DeliveredReport> {
  const globals = globalThis as { WebSocket?: unknown }
  const saved = globals.WebSocket
  globals.WebSocket = WebSocket
  const config = {
    url: options.api.url,
    region: 'us-east-1',
    auth: { type: AUTH_TYPE.API_KEY, apiKey: options.api.apiKey } as const,
  }
  const client = new ApolloClient({
    link: ApolloLink.from([createAuthLink(config), createSubscriptionHandshakeLink(config)]),
    cache: new InMemoryCache(),
  })
  const samples: number[] = []
  const requestSamples: number[] = []
  let pushed = 0
  let messages = 0
  // The page holds its socket for the whole code step; here one idle subscription holds it for the
  // whole run, so that no flow's subscription races the link closing an emptied socket.
  const held = client
    .subscribe({ query: ON_DELIVERY, variables: { sessionId: '0'.repeat(32) } })
    .subscribe({ error: () => undefined })
  try {
    for (let i = 0; i < options.count; i += 1) {
      const flow = await timeOneFlow(client, options)
      if (!flow) continue
      samples.push(flow.ms)
      requestSamples.push(flow.requestMs)
      messages += flow.messages
      if (flow.pushed) pushed += 1
    }
  } finally {
    held.unsubscribe()
    client.stop()
    globals.WebSocket = saved
  }
  const flows = Math.max(1, samples.length)
  const messagesPerFlow = round(messages / flows, 2)
  return {
    flows: options.count,
    delivered: samples.length,
    latency: summarize(samples),
    requestLatency: summarize(requestSamples),
    pushed,
    messagesPerFlow,
    usage: {
      // AppSync counts WebSocket operations as real-time updates too: counted here, to be safe,
      // are the connection, the subscription's start and stop, and every message delivered.
      realtimeOperationsPerFlow: round(3 + messagesPerFlow, 2),
      connectionMinutesPerFlow: options.connectionMinutesPerFlow,
      // The Lambdas' publishOtpDelivery calls (one per transition: as many as messages reach
      // a subscriber from the start) and the page's one otpDelivery read.
      appsyncRequestsPerFlow: round(messagesPerFlow + 1, 2),
    },
    samples: samples.map((s) => round(s, 1)),
  }
}

async function timeOneFlow(
  client: ApolloCore.ApolloClient<unknown>,
  options: DeliveredOptions,
): Promise<{ ms: number; requestMs: number; pushed: boolean; messages: number } | undefined> {
  const started = performance.now()
  const { sessionId } = await callGraphql<{ sessionId: string }>(
    options.api,
    'requestOtp',
    REQUEST_OTP,
    { email: SUCCESS },
  )
  const requestMs = performance.now() - started
  let messages = 0
  return new Promise((resolve) => {
    let done = false
    const finish = (pushedHere: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      const ms = performance.now() - started
      // Let a message already on its way arrive before counting them.
      setTimeout(() => {
        subscription.unsubscribe()
        resolve({ ms, requestMs, pushed: pushedHere, messages })
      }, 200)
    }
    const timer = setTimeout(() => {
      done = true
      subscription.unsubscribe()
      resolve(undefined)
    }, options.timeoutMs)
    const subscription = client
      .subscribe({
        query: ON_DELIVERY,
        variables: { sessionId },
        fetchPolicy: 'no-cache',
        context: { controlMessages: { [CONTROL_EVENTS_KEY]: true } },
      })
      .subscribe({
        next: (result) => {
          if (result.extensions?.controlMsgType === 'CONNECTED') {
            void callGraphql<{ status: string } | null>(options.api, 'otpDelivery', OTP_DELIVERY, {
              sessionId,
            }).then((state) => state?.status === 'DELIVERED' && finish(false))
            return
          }
          messages += 1
          const update = (result.data as { onOtpDelivery?: { status: string } }).onOtpDelivery
          if (update?.status === 'DELIVERED') finish(true)
        },
        error: () => undefined,
      })
  })
}

export function printTimeToDelivered(report: DeliveredReport): void {
  const { latency, requestLatency } = report
  console.log(
    formatTable(
      ['ms', 'p50', 'p95', 'p99', 'max', 'mean'],
      [
        [
          'requestOtp sent -> DELIVERED held',
          latency.p50,
          latency.p95,
          latency.p99,
          latency.max,
          latency.mean,
        ],
        [
          '  of which requestOtp',
          requestLatency.p50,
          requestLatency.p95,
          requestLatency.p99,
          requestLatency.max,
          requestLatency.mean,
        ],
      ],
    ),
  )
  console.log(
    `${report.delivered} of ${report.flows} flows reached DELIVERED; ${report.pushed} of them pushed over ` +
      `the subscription (the rest read by otpDelivery right after the ack); ` +
      `${report.messagesPerFlow} subscription messages per flow.`,
  )
  console.log(
    `Per flow on AWS: ${report.usage.realtimeOperationsPerFlow} real-time operations (connection, start, stop, messages), ` +
      `${report.usage.connectionMinutesPerFlow} connection minute(s) (assumed), ` +
      `${report.usage.appsyncRequestsPerFlow} extra AppSync requests (publishes, one read).`,
  )
}

/**
 * The group as `npm run bench` runs it (and `npx tsx bench/time-to-delivered.ts` alone): a fresh
 * local stack with the email path, `BENCH_DELIVERED_COUNT` flows (default 20), one connection
 * minute per flow assumed (`BENCH_CONNECTION_MINUTES`).
 */
export async function runTimeToDelivered(
  start: (settings: Partial<OtpSettings>) => Promise<LocalStack>,
  env: Record<string, string | undefined> = process.env,
): Promise<DeliveredReport> {
  const stack = await start(deliveredBenchSettings)
  try {
    const report = await measureTimeToDelivered({
      api: { url: stack.urls.api, apiKey: stack.apiKey },
      count: Number(env.BENCH_DELIVERED_COUNT ?? 20),
      timeoutMs: 15_000,
      connectionMinutesPerFlow: Number(env.BENCH_CONNECTION_MINUTES ?? 1),
    })
    printTimeToDelivered(report)
    return report
  } finally {
    await stack.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN'
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const { startLocalStack } = await import('../infra/local/stack.js')
  await runTimeToDelivered((settings) =>
    startLocalStack({
      env: {},
      quiet: true,
      webDir: false,
      ports: { api: 0, dynamodb: 0, ses: 0 },
      settings,
    }),
  )
}
