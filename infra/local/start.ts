/**
 * `npm start` passes `--build`: bundle the resolvers and build the web app (what `npm run build`
 * does), then start the local stack with defaults and environment overrides and print where
 * everything is. `npm run dev` passes `--dev`: bundle the resolvers, start the stack and serve the
 * web app with hot reload (Vite) at WEB_DEV_PORT (default 5173).
 *
 * SIGINT or SIGTERM stops every part, DynamoDB Local and SES included, and exits 0, also when it
 * arrives during the build or the start; so does losing the process that started us
 * (see run-until-stopped.ts).
 */
import { join } from 'node:path'
import { repoRoot } from '../api.js'
import { buildResolverBundles } from '../bundle.js'
import { buildWebApp } from './build-web.js'
import { runUntilStopped, type LocalRun } from './run-until-stopped.js'
import { startLocalStack, type LocalStack } from './stack.js'
import { startWebDevServer } from './web-dev-server.js'

async function main(run: LocalRun): Promise<void> {
  const dev = process.argv.includes('--dev')
  const buildStarted = process.uptime()
  if (process.argv.includes('--build')) await build()
  else if (dev) await buildResolverBundles()
  const buildSeconds = process.uptime() - buildStarted
  if (run.stopping) return
  const stack = await run.parts.add(
    'local stack',
    // Domain events go to .local/events.jsonl and, one line each, to this output.
    () => startLocalStack({ events: { print: (line) => console.log(line) } }),
    (s) => s.stop(),
  )
  const web =
    dev && !run.stopping
      ? await run.parts.add(
          'web dev server',
          () =>
            startWebDevServer({
              port: Number(process.env.WEB_DEV_PORT ?? 5173),
              apiUrl: stack.urls.api,
              apiKey: stack.apiKey,
            }),
          (server) => server.close(),
        )
      : undefined
  if (!run.stopping) console.log(describeStack(stack, process.uptime() - buildSeconds, web?.url))
}

/** `npm run build` (the resolver bundles, then the web app) in this process. */
async function build(): Promise<void> {
  const bundles = await buildResolverBundles()
  console.log(`Bundled ${bundles.size} resolvers and pipeline steps into dist/resolvers.`)
  await buildWebApp(join(repoRoot, 'web/vite.config.ts'))
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
    ['Domain events', s.events ? `${s.events.file}  (one JSON line per event)` : 'off'],
    ['API key', `${s.apiKey}  (header x-api-key)`],
    ['IAM access key', s.iam.accessKeyId],
    ['IAM secret key', s.iam.secretAccessKey],
    ['IAM region', `${s.iam.region}  (SigV4, service appsync)`],
  ]
  const lines = rows.map(([label, value]) => `  ${label.padEnd(16)}${value}`)
  return ['', ...lines, '', `Ready in ${seconds.toFixed(1)} s. Press Ctrl-C to stop.`].join('\n')
}

runUntilStopped('The local stack', main)
