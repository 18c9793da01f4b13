/**
 * Groups 1 and 2: the raw DynamoDB flow (the limit) and the product flow through GraphQL, at each
 * concurrency, alternating (raw c=1, product c=1, raw c=8, ...) so that both see the same machine
 * state; then a short sequential pass that counts what one product flow uses on the server.
 */
import type { OtpSettings } from '../infra/settings.js'
import { createLocalDynamoDbClient } from '../infra/local/dynamodb-local.js'
import { ensureTable } from '../infra/local/table.js'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { meterCapacity, type CapacityTally } from './capacity.js'
import {
  callSignedGraphql,
  REDEEM_VERIFICATION,
  type ApiTarget,
  type IamCredentials,
} from './graphql-client.js'
import { runClosedLoop, type LoadResult } from './load.js'
import { dynamoDbLocalPids, cpuSeconds } from './processes.js'
import { createProductFlow } from './product-flow.js'
import { profileWhile, type ProfileSummary } from './profile.js'
import { createRawFlow, lookupCode } from './raw-flow.js'
import { timeRequests, type SpanTimer } from './spans.js'
import { round, summarize, type LatencySummary } from './stats.js'

/** What the bench drives: a local stack it started, or one already running. */
export interface BenchTarget {
  api: ApiTarget
  dynamodbEndpoint: string
  tableName: string
  settings: OtpSettings
  /** The in-process API server's counters; absent for a stack the bench did not start. */
  server?: { consumedCapacity(): { readUnits: number; writeUnits: number }; requestCount(): number }
  /** For the backend's redeemVerification; absent when unknown. */
  iam?: IamCredentials
  /** The API server's DynamoDB client, timed (never changed) to split a flow's time; absent for an external stack. */
  serverDynamodb?: DynamoDBClient
}

/** CPU used during a run, in percent of one core (2 cores: up to 200 in all). */
export interface CpuUse {
  /** This process: the load generator and, for a stack the bench started, the API server. */
  benchProcess: number
  /** The DynamoDB Local JVM, when it runs on this machine. */
  dynamodbLocal?: number
}

/** Where a flow's time went: end to end, and waiting on DynamoDB (every call of the flow, code lookup included). */
export interface FlowTime {
  /** Mean flow time: concurrency x elapsed / flows (each worker is always busy in a closed loop). */
  flowMs: number
  dynamodbMs: number
  dynamodbCalls: number
}

export type MeasuredRun = LoadResult & { cpu: CpuUse; time: FlowTime }

export interface LevelResult {
  concurrency: number
  raw: MeasuredRun
  product: MeasuredRun
  /** Product flows per second over raw flows per second. */
  ratio: number
  latencyMs: { requestOtp: LatencySummary; verifyOtp: LatencySummary }
  /** Where the bench process spent its CPU during the product run (BENCH_PROFILE=<c>). */
  profile?: ProfileSummary
}

/** Units per flow. `billedWriteUnits` prices transaction items one by one, as DynamoDB does. */
export type UnitsPerFlow = Omit<CapacityTally, 'requests'>

export interface ThroughputReport {
  seconds: number
  levels: LevelResult[]
  /** requestOtp + verifyOtp on the raw path, from the SDK responses (code lookup excluded). */
  rawUnitsPerFlow: UnitsPerFlow
  /** Server-side counts for one product flow (request + verify) and one redeem; absent for an external stack. */
  metered?: {
    flows: number
    appsyncRequestsPerFlow: number
    flow: { readUnits: number; writeUnits: number }
    redeem?: { readUnits: number; writeUnits: number }
  }
}

export interface ThroughputOptions {
  seconds: number
  warmupSeconds: number
  concurrencies: readonly number[]
  /** Sequential flows in the metering pass. */
  meteredFlows: number
  /** Makes every address unique to this run. */
  runId: string
  /** Profile the product run at this concurrency, writing the profile to `profileFile`. */
  profileConcurrency?: number
  profileFile?: string
}

const RAW_TABLE = 'otp-bench-raw'

/** Runs both flows at every concurrency and the metering pass. */
export async function measureThroughput(
  target: BenchTarget,
  options: ThroughputOptions,
): Promise<ThroughputReport> {
  const client = createLocalDynamoDbClient(target.dynamodbEndpoint)
  const lookupClient = createLocalDynamoDbClient(target.dynamodbEndpoint)
  try {
    const meter = meterCapacity(client)
    const [rawSpans, lookupSpans] = [timeRequests(client), timeRequests(lookupClient)]
    const serverSpans = target.serverDynamodb ? timeRequests(target.serverDynamodb) : undefined
    await ensureTable(client, RAW_TABLE)
    const raw = createRawFlow(client, lookupClient, RAW_TABLE, target.settings)
    const product = createProductFlow(target.api, (sessionId) =>
      lookupCode(lookupClient, target.tableName, sessionId),
    )
    const email = (kind: string, c: number, worker: number, i: number) =>
      `${kind}-${options.runId}-c${c}-w${worker}-${i}@bench.example.com`

    // Warm the JIT, the JVM and the connection pools before anything is measured.
    await runClosedLoop(4, options.warmupSeconds, (w, i) =>
      raw(email('warm-raw', 0, w, i)).then(() => undefined),
    )
    await runClosedLoop(4, options.warmupSeconds, (w, i) =>
      product.run(email('warm', 0, w, i)).then(() => undefined),
    )

    meter.reset()
    const levels: LevelResult[] = []
    let rawFlows = 0
    const javaPid = dynamoDbLocalPids(Number(new URL(target.dynamodbEndpoint).port))[0]
    for (const c of options.concurrencies) {
      const rawResult = await measureRun(javaPid, [rawSpans, lookupSpans], c, () =>
        runClosedLoop(c, options.seconds, (w, i) =>
          raw(email('raw', c, w, i)).then(() => undefined),
        ),
      )
      rawFlows += rawResult.flows
      product.reset()
      const runProduct = () =>
        measureRun(javaPid, serverSpans ? [serverSpans, lookupSpans] : [], c, () =>
          runClosedLoop(c, options.seconds, (w, i) =>
            product.run(email('p', c, w, i)).then(() => undefined),
          ),
        )
      const profiled =
        c === options.profileConcurrency && options.profileFile
          ? await profileWhile(options.profileFile, runProduct)
          : undefined
      const productResult = profiled?.result ?? (await runProduct())
      const latency = product.latencies()
      levels.push({
        concurrency: c,
        raw: rawResult,
        product: productResult,
        ratio: productResult.flowsPerSecond / rawResult.flowsPerSecond,
        latencyMs: {
          requestOtp: summarize(latency.requestOtp),
          verifyOtp: summarize(latency.verifyOtp),
        },
        ...(profiled ? { profile: profiled.summary } : {}),
      })
    }
    const rawUnits = meter.read()
    const perRawFlow = (units: number) => round(units / Math.max(1, rawFlows), 3)
    const report: ThroughputReport = {
      seconds: options.seconds,
      levels,
      rawUnitsPerFlow: {
        readUnits: perRawFlow(rawUnits.readUnits),
        writeUnits: perRawFlow(rawUnits.writeUnits),
        billedWriteUnits: perRawFlow(rawUnits.billedWriteUnits),
      },
    }
    if (target.server) {
      const flowEmail = (i: number) => email('metered', 1, 0, i)
      report.metered = await meterProductFlow(
        target,
        target.server,
        (e) => product.run(e),
        flowEmail,
        options.meteredFlows,
      )
    }
    return report
  } finally {
    client.destroy()
    lookupClient.destroy()
  }
}

/** Runs `load` and adds the CPU this process and the DynamoDB Local JVM used meanwhile, and the time split. */
async function measureRun(
  javaPid: number | undefined,
  spans: SpanTimer[],
  concurrency: number,
  load: () => Promise<LoadResult>,
): Promise<MeasuredRun> {
  for (const timer of spans) timer.reset()
  const nodeBefore = process.cpuUsage()
  const javaBefore = javaPid === undefined ? undefined : cpuSeconds(javaPid)
  const result = await load()
  const node = process.cpuUsage(nodeBefore)
  const javaAfter = javaPid === undefined ? undefined : cpuSeconds(javaPid)
  const percent = (cpu: number) => round((cpu / result.seconds) * 100, 0)
  const waited = spans.map((timer) => timer.read())
  const flows = Math.max(1, result.flows)
  return {
    ...result,
    cpu: {
      benchProcess: percent((node.user + node.system) / 1e6),
      ...(javaBefore !== undefined && javaAfter !== undefined
        ? { dynamodbLocal: percent(javaAfter - javaBefore) }
        : {}),
    },
    time: {
      flowMs: round((concurrency * result.seconds * 1000) / flows, 1),
      dynamodbMs: round(waited.reduce((sum, t) => sum + t.totalMs, 0) / flows, 1),
      dynamodbCalls: round(waited.reduce((sum, t) => sum + t.calls, 0) / flows, 1),
    },
  }
}

/** Counts, on the server, what `count` sequential flows and their redeems use. */
async function meterProductFlow(
  target: BenchTarget,
  server: NonNullable<BenchTarget['server']>,
  run: (email: string) => Promise<string>,
  emailFor: (i: number) => string,
  count: number,
): Promise<NonNullable<ThroughputReport['metered']>> {
  const snapshot = () => ({ ...server.consumedCapacity(), requests: server.requestCount() })
  const before = snapshot()
  const tokens: string[] = []
  for (let i = 0; i < count; i += 1) tokens.push(await run(emailFor(i)))
  const afterFlows = snapshot()
  const iam = target.iam
  if (iam) {
    for (const token of tokens) {
      const redeemed = await callSignedGraphql<{ email: string } | null>(
        target.api.url,
        iam,
        'redeemVerification',
        REDEEM_VERIFICATION,
        { token },
      )
      if (!redeemed) throw new Error('redeemVerification returned null for a fresh token')
    }
  }
  const afterRedeems = snapshot()
  const per = (a: number, b: number) => round((b - a) / count, 3)
  return {
    flows: count,
    appsyncRequestsPerFlow: per(before.requests, afterRedeems.requests),
    flow: {
      readUnits: per(before.readUnits, afterFlows.readUnits),
      writeUnits: per(before.writeUnits, afterFlows.writeUnits),
    },
    ...(iam
      ? {
          redeem: {
            readUnits: per(afterFlows.readUnits, afterRedeems.readUnits),
            writeUnits: per(afterFlows.writeUnits, afterRedeems.writeUnits),
          },
        }
      : {}),
  }
}
