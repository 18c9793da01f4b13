/**
 * `npm run bench`: starts the local stack on free ports (or uses a running one given by
 * BENCH_API_URL and BENCH_API_KEY), runs every group, prints a table per group and writes the
 * figures to bench/results/latest.json and a dated copy. A group that cannot run prints
 * "not available: <reason>"; the bench still exits 0 and stops everything it started.
 */
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from '../infra/api.js'
import { createLocalDynamoDbClient } from '../infra/local/dynamodb-local.js'
import { startLocalStack, type LocalStack } from '../infra/local/stack.js'
import { loadSettings, type OtpSettings } from '../infra/settings.js'
import {
  priceReferenceDesign,
  priceThisDesign,
  priceTwilioVerify,
  loadPrices,
  type FlowUsage,
} from './cost.js'
import { runBurstGroup } from './burst.js'
import { measureMailPath, type MailPathReport } from './mail-path.js'
import {
  printCost,
  printInbox,
  printMailPath,
  printSizes,
  printStartup,
  printThroughput,
  writeResults,
} from './report.js'
import { measureLighthouse, printLighthouse } from './lighthouse.js'
import { measureSizes } from './sizes.js'
import { round } from './stats.js'
import { measureStartup } from './startup.js'
import { measureThroughput, type BenchTarget, type ThroughputReport } from './throughput.js'
import { measureTimeToInbox } from './time-to-inbox.js'
import { runTimeToDelivered } from './time-to-delivered.js'

/** Rate limits out of the way: every flow uses a fresh address anyway, these make sure. */
const BENCH_SETTINGS: Partial<OtpSettings> = {
  resendCooldownSeconds: 0,
  maxSendsPerWindow: 1000,
  maxFailuresPerWindow: 10_000,
  // Every flow comes from this one machine: the per-client caps and the global budget must not bind.
  maxSendsPerClientPerHour: 100_000,
  maxFailuresPerClientPerHour: 100_000,
  maxSendsPerMinute: 100_000,
}

const env = process.env
const config = {
  seconds: Number(env.BENCH_SECONDS ?? 4),
  warmupSeconds: Number(env.BENCH_WARMUP_SECONDS ?? 1.5),
  concurrencies: (env.BENCH_CONCURRENCY ?? '1,8,32').split(',').map(Number),
  meteredFlows: 20,
  inboxCount: Number(env.BENCH_INBOX_COUNT ?? 40),
  inboxSpacingMs: Number(env.BENCH_INBOX_SPACING_MS ?? 100),
  startup: env.BENCH_STARTUP !== '0',
  /** BENCH_PROFILE=<c>: CPU-profile the product run at concurrency c. */
  profileConcurrency: env.BENCH_PROFILE ? Number(env.BENCH_PROFILE) : undefined,
}
const runId = Date.now().toString(36)
const external =
  env.BENCH_API_URL && env.BENCH_API_KEY
    ? { url: env.BENCH_API_URL, apiKey: env.BENCH_API_KEY }
    : undefined

export type Outcome<T> = T | { notAvailable: string }

/** Runs one group; a failure becomes "not available" with its reason instead of ending the bench. */
async function group<T>(name: string, run: () => Promise<T>): Promise<Outcome<T>> {
  console.log(`\n== ${name}`)
  try {
    return await run()
  } catch (error) {
    const reason =
      error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error)
    console.log(`not available: ${reason}`)
    return { notAvailable: reason }
  }
}

const available = <T extends object>(outcome: Outcome<T> | undefined): T | undefined =>
  outcome && !('notAvailable' in outcome) ? outcome : undefined

async function withStack<T>(email: boolean, run: (stack: LocalStack) => Promise<T>): Promise<T> {
  const stack = await startLocalStack({
    env: {},
    quiet: true,
    email,
    webDir: false,
    settings: BENCH_SETTINGS,
    ports: { api: 0, dynamodb: 0, ses: 0 },
  })
  try {
    return await run(stack)
  } finally {
    await stack.stop()
  }
}

function targetOf(stack: LocalStack): BenchTarget {
  return {
    api: { url: stack.urls.api, apiKey: stack.apiKey },
    dynamodbEndpoint: stack.urls.dynamodb,
    tableName: stack.tableName,
    settings: stack.settings,
    server: stack.graphql,
    iam: stack.iam,
    serverDynamodb: stack.dynamodb,
  }
}

async function main(): Promise<void> {
  // The email Lambda logs one JSON line per mail; the bench's own tables are what should show.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN'
  // The SDK's notice that Node 20 support ends in 2027 says nothing about this run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const settings = loadSettings({}, BENCH_SETTINGS)
  const loadAtStart = loadavg()[0] ?? 0
  console.log(
    `Bench ${new Date().toISOString()} on ${cpus().length} cores, Node ${
      process.version
    }, load average ${loadAtStart.toFixed(1)}`,
  )
  if (loadAtStart > cpus().length) {
    console.log(
      '  attention: the machine is already busy; throughput and latency figures will be noisy',
    )
  }
  console.log(
    `Settings: resend cooldown ${settings.resendCooldownSeconds} s, ${settings.maxSendsPerWindow} sends per window, ` +
      `${settings.maxFailuresPerWindow} failures per window, a fresh address per flow: rate limits stay out of the way.`,
  )
  const emailFor = (kind: string) => (i: number) => `${kind}-${runId}-${i}@bench.example.com`

  let mailPath: Outcome<MailPathReport> | undefined
  const throughput = await group(
    '1-2. Throughput: raw DynamoDB flow (the limit) vs the product through GraphQL',
    async () => {
      const run = async (target: BenchTarget): Promise<ThroughputReport> => {
        const profileFile = join(
          repoRoot,
          'bench/results',
          `product-c${config.profileConcurrency}.cpuprofile`,
        )
        const report = await measureThroughput(target, { ...config, runId, profileFile })
        printThroughput(report)
        mailPath = await group(
          'Email path counts (for the cost): stream consumer + email Lambda handler + local SES',
          async () => {
            const client = createLocalDynamoDbClient(target.dynamodbEndpoint)
            try {
              const mail = await measureMailPath({
                dynamodbEndpoint: target.dynamodbEndpoint,
                client,
                tableName: 'otp-bench-mail',
                settings: target.settings,
                count: config.inboxCount,
                spacingMs: config.inboxSpacingMs,
                emailFor: emailFor('mail'),
              })
              printMailPath(mail)
              return mail
            } finally {
              client.destroy()
            }
          },
        )
        return report
      }
      if (!external) return withStack(false, (stack) => run(targetOf(stack)))
      return run({
        api: external,
        dynamodbEndpoint: env.BENCH_DYNAMODB_URL ?? 'http://localhost:8000',
        tableName: env.BENCH_TABLE ?? 'otp',
        settings: loadSettings(env),
      })
    },
  )

  const timeToInbox = await group(
    '3. Time to inbox: requestOtp answered -> mail in GET <ses>/store',
    async () => {
      const run = async (api: { url: string; apiKey: string }, sesUrl: string | undefined) => {
        if (!sesUrl)
          throw new Error(
            'the stack has no local SES URL (email path off, or BENCH_SES_URL not given)',
          )
        const report = await measureTimeToInbox({
          api,
          sesUrl,
          count: config.inboxCount,
          spacingMs: config.inboxSpacingMs,
          pollMs: 15,
          timeoutMs: 30_000,
          emailFor: emailFor('inbox'),
        })
        printInbox(report)
        return report
      }
      if (external) return run(external, env.BENCH_SES_URL)
      return withStack(true, (stack) =>
        run({ url: stack.urls.api, apiKey: stack.apiKey }, stack.urls.ses),
      )
    },
  )

  const timeToDelivered = await group(
    '3b. Time to DELIVERED: requestOtp sent -> DELIVERED held by a subscribed client',
    async () => {
      if (external) throw new Error('needs its own local stack (the simulator addresses)')
      return runTimeToDelivered((settings) =>
        startLocalStack({
          env: {},
          quiet: true,
          webDir: false,
          settings: { ...BENCH_SETTINGS, ...settings },
          ports: { api: 0, dynamodb: 0, ses: 0 },
        }),
      )
    },
  )

  const cost = await group('4. Cost per million verifications on AWS (us-east-1)', async () => {
    const book = await loadPrices()
    const measured = available(throughput)
    if (!measured) throw new Error('the throughput group did not run, so nothing was counted')
    const flow = flowUsage(measured)
    const mail = available(mailPath)?.usage
    const result = {
      pricesTakenOn: book.takenOn,
      perFlow: flow,
      perMail: mail ?? { notAvailable: 'the email path was not measured' },
      thisDesign: priceThisDesign(book, flow, mail, available(timeToDelivered)?.usage),
      referenceDesign: priceReferenceDesign(book, mail),
      twilioVerify: priceTwilioVerify(book),
    }
    printCost(result)
    return result
  })

  const sizes = await group('5. Sizes: resolver bundles and the web app', async () => {
    const report = await measureSizes()
    printSizes(report)
    return report
  })

  const pageSpeed = await group('6. Page speed: Lighthouse on the built web app', async () => {
    const report = await measureLighthouse()
    printLighthouse(report)
    return report
  })

  const startup = await group(
    '7. Start-up: npm start (build, then start) to the ready line',
    async () => {
      if (!config.startup) throw new Error('skipped (BENCH_STARTUP=0)')
      const report = await measureStartup()
      printStartup(report)
      return report
    },
  )

  const burst = await group('8. Burst: requestOtp at once against the SES send rate', () =>
    runBurstGroup(env, (run) => withStack(false, run), emailFor),
  )

  const files = await writeResults({
    date: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: { start: round(loadAtStart, 2), end: round(loadavg()[0] ?? 0, 2) },
    },
    config: { ...config, external: Boolean(external) },
    settings: BENCH_SETTINGS,
    throughput,
    mailPath: mailPath ?? { notAvailable: 'the throughput group did not run' },
    timeToInbox,
    timeToDelivered,
    cost,
    sizes,
    pageSpeed,
    startup,
    burst,
  })
  console.log(`\nWrote ${files.join(' and ')}`)
}

/**
 * What one verified flow uses. AppSync requests and read units come from the server's tally;
 * write units from the raw flow's per-item figure (DynamoDB Local under-reports transactions, and
 * the raw flow issues the very same operations), plus the redeem's.
 */
function flowUsage(report: ThroughputReport): FlowUsage & { source: string } {
  const metered = report.metered
  const redeemWrites = metered?.redeem?.writeUnits ?? 1
  return {
    appsyncRequests: metered?.appsyncRequestsPerFlow ?? 3,
    readUnits:
      (metered?.flow.readUnits ?? report.rawUnitsPerFlow.readUnits) +
      (metered?.redeem?.readUnits ?? 0),
    writeUnits: report.rawUnitsPerFlow.billedWriteUnits + redeemWrites,
    source: metered
      ? 'requests and reads: server tally; writes: raw flow priced per transaction item, plus the redeem'
      : 'external stack: raw flow counts; 3 requests and 1 redeem write assumed',
  }
}

main()
  .catch((error: unknown) => {
    console.error(`The bench failed: ${error instanceof Error ? error.message : String(error)}`)
  })
  .finally(() => process.exit(0))
