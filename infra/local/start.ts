/**
 * `npm start` passes `--build`: bundle the resolvers and build the web app (what `npm run build`
 * does), then start the local stack with defaults and environment overrides and print where
 * everything is. `npm run dev` passes `--dev`: bundle the resolvers, start the stack and serve the
 * web app with hot reload (Vite) at WEB_DEV_PORT (default 5173).
 *
 * Stopping: SIGINT or SIGTERM stops every part, DynamoDB Local and SES included, and exits 0, also
 * when it arrives during the build or the start. The npm scripts `exec` this process, so npm hands
 * a signal it receives straight to us and exits only after we have stopped. Should whoever started
 * us go away without a word (npm killed with SIGKILL, a shell that does not pass signals on), we
 * stop as well: nobody would be left to stop us.
 */
import { constants } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from '../api.js'
import { buildResolverBundles } from '../bundle.js'
import { startLocalStack, type LocalStack } from './stack.js'
import { startWebDevServer, type WebDevServer } from './web-dev-server.js'

/** Under npm one Ctrl-C arrives twice (from the terminal and forwarded by npm) within this time. */
const REPEATED_SIGNAL_MS = 1_000
/** How often we look whether the process that started us is still our parent. */
const PARENT_CHECK_MS = 500

let starting: Promise<LocalStack> | undefined
let webDev: Promise<WebDevServer> | undefined
let stopping = false
let stopRequestedAt = 0

async function main(): Promise<void> {
  process.on('SIGINT', onStopSignal)
  process.on('SIGTERM', onStopSignal)
  process.on('uncaughtException', fail)
  process.on('unhandledRejection', fail)
  stopWhenOrphaned()

  // The SDK's notice that its 2027 releases need Node 22 is not news to someone starting the stack.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const dev = process.argv.includes('--dev')
  const buildStarted = process.uptime()
  if (process.argv.includes('--build')) await build()
  else if (dev) await buildResolverBundles()
  const buildSeconds = process.uptime() - buildStarted
  if (stopping) return
  starting = startLocalStack()
  const stack = await starting
  if (dev && !stopping) {
    const port = Number(process.env.WEB_DEV_PORT ?? 5173)
    webDev = startWebDevServer({ port, apiUrl: stack.urls.api, apiKey: stack.apiKey })
  }
  const web = await webDev
  if (!stopping) console.log(describeStack(stack, process.uptime() - buildSeconds, web?.url))
}

/**
 * `npm run build` (the resolver bundles, then the web app) in this process, so that a signal
 * during the build ends it: a build in a process of its own would run on after npm was stopped.
 */
async function build(): Promise<void> {
  const bundles = await buildResolverBundles()
  console.log(`Bundled ${bundles.size} resolvers and pipeline steps into dist/resolvers.`)
  const vite = await import('vite')
  // Vite sets NODE_ENV=production for its build; the stack that runs next is no production.
  const nodeEnv = process.env.NODE_ENV
  await vite.build({ configFile: join(repoRoot, 'web/vite.config.ts') })
  if (nodeEnv === undefined) delete process.env.NODE_ENV
  else process.env.NODE_ENV = nodeEnv
}

/**
 * The first SIGINT or SIGTERM stops the stack. Another one a moment later is someone insisting:
 * exit at once (the exit hook still kills the process groups of DynamoDB Local and SES). The
 * listeners stay: without one, a second signal would kill us before the exit hook could run.
 */
function onStopSignal(signal: NodeJS.Signals): void {
  if (!stopping) return void shutdown(0)
  if (performance.now() - stopRequestedAt > REPEATED_SIGNAL_MS) {
    process.exit(128 + constants.signals[signal])
  }
}

/** Stops the stack when our parent changes: it has gone, and we were handed to init. */
function stopWhenOrphaned(): void {
  const parent = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parent) return
    clearInterval(timer)
    void shutdown(0)
  }, PARENT_CHECK_MS)
  timer.unref()
}

/**
 * The banner printed once the stack answers; benchmarks read its `Ready in <s> s` line, the time
 * to start without the build.
 */
function describeStack(s: LocalStack, seconds: number, webDevUrl?: string): string {
  const rows: [string, string][] = [
    ['GraphQL API', s.urls.api],
    ['Real-time', `${s.urls.realtime}  (subscriptions, graphql-ws)`],
    ['GraphiQL', `${s.urls.graphiql}  (open in a browser)`],
    ['Web app', s.urls.web ?? 'not built: run npm run build:web'],
    ...(webDevUrl ? [['Web app (dev)', `${webDevUrl}  (hot reload)`] as [string, string]] : []),
    ['DynamoDB Local', `${s.urls.dynamodb}  (table ${s.tableName})`],
    ['SES inbox', s.urls.ses ? `${s.urls.ses}  (mail as JSON: ${s.urls.ses}/store)` : 'off'],
    ['API key', `${s.apiKey}  (header x-api-key)`],
    ['IAM access key', s.iam.accessKeyId],
    ['IAM secret key', s.iam.secretAccessKey],
    ['IAM region', `${s.iam.region}  (SigV4, service appsync)`],
  ]
  const lines = rows.map(([label, value]) => `  ${label.padEnd(16)}${value}`)
  return ['', ...lines, '', `Ready in ${seconds.toFixed(1)} s. Press Ctrl-C to stop.`].join('\n')
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return
  stopping = true
  stopRequestedAt = performance.now()
  try {
    // Also when a signal arrives mid-start: wait for the parts to come up, then stop them all.
    const web = await webDev?.catch(() => undefined)
    await web?.close()
    const stack = await starting?.catch(() => undefined)
    await stack?.stop()
  } catch (error) {
    console.error(`Stopping the local stack failed: ${errorMessage(error)}`)
    code = 1
  }
  process.exit(code)
}

function fail(error: unknown): void {
  console.error(`\nThe local stack could not run: ${errorMessage(error)}`)
  if (!isExpected(error) && error instanceof Error && error.stack) console.error(error.stack)
  void shutdown(1)
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

const expectedErrors = new Set([
  'PortInUseError',
  'InvalidPortError',
  'JavaMissingError',
  'InvalidSettingError',
  'DynamoDbLocalStartError',
  'MissingBuildError',
])

function isExpected(error: unknown): boolean {
  return error instanceof Error && expectedErrors.has(error.name)
}

main().catch(fail)
