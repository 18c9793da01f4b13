/**
 * `npm start`: builds nothing itself (the npm script builds first), starts the local stack with
 * defaults and environment overrides, prints where everything is, and stops it all on Ctrl-C.
 * `npm run dev` passes `--dev`: bundle the resolvers first, so no prior build is needed, and serve
 * the web app with hot reload (Vite) at WEB_DEV_PORT (default 5173).
 */
import { buildResolverBundles } from '../bundle.js'
import { startLocalStack, type LocalStack } from './stack.js'
import { startWebDevServer, type WebDevServer } from './web-dev-server.js'

let starting: Promise<LocalStack> | undefined
let webDev: Promise<WebDevServer> | undefined
let stopping = false

async function main(): Promise<void> {
  process.once('SIGINT', () => void shutdown(0))
  process.once('SIGTERM', () => void shutdown(0))
  process.on('uncaughtException', fail)
  process.on('unhandledRejection', fail)

  // The SDK's notice that its 2027 releases need Node 22 is not news to someone starting the stack.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const dev = process.argv.includes('--dev')
  if (dev) await buildResolverBundles()
  starting = startLocalStack()
  const stack = await starting
  if (dev && !stopping) {
    const port = Number(process.env.WEB_DEV_PORT ?? 5173)
    webDev = startWebDevServer({ port, apiUrl: stack.urls.api, apiKey: stack.apiKey })
  }
  const web = await webDev
  if (!stopping) console.log(describeStack(stack, process.uptime(), web?.url))
}

/** The banner printed once the stack answers; benchmarks read its `Ready in <s> s` line. */
function describeStack(s: LocalStack, seconds: number, webDevUrl?: string): string {
  const rows: [string, string][] = [
    ['GraphQL API', s.urls.api],
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
  // A second Ctrl-C while stopping exits at once; the exit hook still kills the Java process group.
  process.once('SIGINT', () => process.exit(130))
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
