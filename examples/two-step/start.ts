/**
 * `npm run example:two-step`: the two-step sign-in of examples/two-step (a password, then the
 * emailed code) against the local stack. With `--build` (as the npm script passes it) it first
 * bundles the resolvers and builds the example's page. Then it starts the local stack, creates the
 * example's table beside the OTP table, seeds a demo user, serves the example and prints where
 * everything is. Ctrl-C or SIGTERM stops it all (infra/local/run-until-stopped.ts).
 *
 * Variables: EXAMPLE_PORT (default 4100); the local stack's own (API_PORT, DYNAMODB_PORT, SES_PORT,
 * OTP_*, ...) as for `npm start`.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildResolverBundles } from '../../infra/bundle.js'
import { buildWebApp } from '../../infra/local/build-web.js'
import { choosePort, claimPort, type PortSpec } from '../../infra/local/ports.js'
import { runUntilStopped, type LocalRun } from '../../infra/local/run-until-stopped.js'
import { MissingBuildError, startLocalStack } from '../../infra/local/stack.js'
import { redeemVerification } from '../redeem-verification.js'
import { startTwoStepApp } from './server/app.js'
import { hashPassword } from './server/passwords.js'
import { createExampleStore } from './server/store.js'

const DEMO_USER = { email: 'ada@example.com', password: 'correct horse battery staple' }
const TABLE_NAME = 'two-step-example'
const PORT: PortSpec = { label: 'two-step example', variables: ['EXAMPLE_PORT'], default: 4100 }
const webRoot = fileURLToPath(new URL('web/', import.meta.url))

async function main(run: LocalRun): Promise<void> {
  const started = process.uptime()
  if (process.argv.includes('--build')) {
    await buildResolverBundles()
    await buildWebApp(`${webRoot}vite.config.ts`)
  }
  if (run.stopping) return
  if (!existsSync(`${webRoot}dist/index.html`)) {
    throw new MissingBuildError('the example page is not built: run npm run example:two-step')
  }
  // Checked before the stack starts, so that a taken port fails before the slow part (Java).
  const port = await claimPort(PORT, choosePort(PORT, undefined))
  const stack = await run.parts.add(
    'local stack',
    () => startLocalStack({ webDir: false, quiet: true }),
    (s) => s.stop(),
  )
  const store = createExampleStore(stack.dynamodb, TABLE_NAME)
  await store.createTable()
  await store.putUser({
    email: DEMO_USER.email,
    passwordHash: await hashPassword(DEMO_USER.password),
  })
  if (run.stopping) return
  const app = await run.parts.add(
    'two-step example',
    () =>
      startTwoStepApp({
        port,
        store,
        redeem: (token) =>
          redeemVerification(token, {
            apiUrl: stack.urls.api,
            region: stack.iam.region,
            credentials: stack.iam,
          }),
        pageConfig: { apiUrl: stack.urls.api, apiKey: stack.apiKey, appName: 'Two-step sign-in' },
        webDir: `${webRoot}dist`,
      }),
    (server) => server.close(),
  )
  const rows = [
    ['Sign in at', app.url],
    ['Demo user', `${DEMO_USER.email}  password: ${DEMO_USER.password}`],
    ['Codes arrive in', `${stack.urls.ses}  (the local SES inbox)`],
    ['OTP API', stack.urls.api],
  ]
  console.log(
    [
      '',
      ...rows.map(([label, value]) => `  ${label?.padEnd(17)}${value}`),
      '',
      `Ready in ${(process.uptime() - started).toFixed(1)} s. Press Ctrl-C to stop.`,
    ].join('\n'),
  )
}

runUntilStopped('The two-step example', main)
