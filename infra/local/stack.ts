/**
 * The local stack: DynamoDB Local with the OTP table, the GraphQL API that runs the resolver
 * bundles CDK deploys (also serving the web app and GraphiQL), local SES, and the email delivery
 * (the stream consumer calling the email Lambda's handler). If a part fails to start, those
 * already started are stopped before the error is rethrown.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { table } from '../api.js'
import { loadSettings, toResolverEnv, toWebConfig, type OtpSettings } from '../settings.js'
import { startGraphqlServer, type GraphqlServer } from './appsync/graphql-server.js'
import { createLocalDynamoDbClient, startDynamoDbLocal } from './dynamodb-local.js'
import { startLocalEmailDelivery } from './email-delivery.js'
import { startLocalDomainEvents } from './domain-events.js'
import { createPartList } from './processes.js'
import { choosePort, claimPort, portSpecs } from './ports.js'
import { startSesLocal } from './ses-local.js'
import {
  DEFAULT_LOCAL_API_KEY,
  assertBundlesBuilt,
  chooseWebDir,
  localIamCredentials,
  nonEmpty,
  type LocalIamCredentials,
} from './stack-config.js'
import { ensureTable } from './table.js'

export {
  DEFAULT_LOCAL_API_KEY,
  DEFAULT_LOCAL_IAM,
  MissingBuildError,
  localIamCredentials,
  type LocalIamCredentials,
} from './stack-config.js'

export interface LocalStackOptions {
  /** Ports; 0 picks a free one. Defaults: env `API_PORT`/`PORT`, `DYNAMODB_PORT`, `SES_PORT`, else 4000, 8000, 8005. */
  ports?: { api?: number; dynamodb?: number; ses?: number }
  /** Default: env `API_KEY`, else {@link DEFAULT_LOCAL_API_KEY}. */
  apiKey?: string
  /** Merged over `loadSettings(env)`. */
  settings?: Partial<OtpSettings>
  /** Start local SES and the stream consumer that sends the mail. Default true. */
  email?: boolean
  /** Built web app served at `/`; default `web/dist` when it exists; false for none. */
  webDir?: string | false
  /** DynamoDB Local database directory; default env `DYNAMODB_LOCAL_PATH`, else in memory. */
  dynamodbPath?: string
  /** Print no request log. */
  quiet?: boolean
  /** Where variables are read from; default `process.env`. */
  env?: Record<string, string | undefined>
  /** How often the real-time endpoint sends `ka`; default 60 s, as AppSync. Tests shorten it. */
  keepAliveIntervalMs?: number
  /** Publish domain events to a JSON-lines file (infra/local/domain-events.ts). Default: off. */
  events?: { file?: string; print?: (line: string) => void }
}

export interface LocalStack {
  urls: {
    /** `http://localhost:<port>/graphql` */
    api: string
    /** `ws://localhost:<port>/graphql/realtime`: AppSync's real-time endpoint (subscriptions). */
    realtime: string
    /** GraphiQL explorer (GET on the API URL). */
    graphiql: string
    /** The web app, when one is served. */
    web: string | undefined
    dynamodb: string
    ses?: string
  }
  ports: { api: number; dynamodb: number; ses?: number }
  apiKey: string
  /** What a backend signs `redeemVerification` calls with (SigV4, service `appsync`). */
  iam: LocalIamCredentials
  tableName: string
  streamArn: string
  settings: OtpSettings
  /** A client for DynamoDB Local (the same one the API's data source uses). */
  dynamodb: DynamoDBClient
  graphql: GraphqlServer
  /** The domain events, when `options.events` asked for them. */
  events?: { file: string; drained(): Promise<void> }
  /** Stops every part in reverse order of start. Idempotent. */
  stop(): Promise<void>
}

/**
 * Starts the local stack and resolves when every part answers.
 * @throws PortInUseError, JavaMissingError, InvalidSettingError, MissingBuildError, or the error of
 *   the part that failed; in every case whatever had started is stopped first.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const env = options.env ?? process.env
  const settings = loadSettings(env, options.settings)
  const apiKey = options.apiKey ?? nonEmpty(env.API_KEY) ?? DEFAULT_LOCAL_API_KEY
  const iam = localIamCredentials(env)
  const webDir = chooseWebDir(options.webDir)
  const dbPath = options.dynamodbPath ?? nonEmpty(env.DYNAMODB_LOCAL_PATH)
  const email = options.email !== false
  assertBundlesBuilt()
  // Ports are checked up front, so a taken one fails before the slow part (Java) starts. The API
  // port is also fixed here because the web app's config needs the API URL before the server exists.
  const apiPort = await claimPort(portSpecs.api, choosePort(portSpecs.api, options.ports?.api, env))
  const dynamodbPort = await checkPort('dynamodb', options.ports?.dynamodb, env)
  const sesPort = email ? await checkPort('ses', options.ports?.ses, env) : 0
  const api = `http://localhost:${apiPort}/graphql`

  const parts = createPartList()
  try {
    // Java and local SES are both slow to start and independent: start them together.
    const [ddb, ses] = await Promise.all([
      parts.add(
        'DynamoDB Local',
        () => startDynamoDbLocal({ port: dynamodbPort, dbPath }),
        (d) => d.stop(),
      ),
      email
        ? parts.add(
            'local SES',
            () => startSesLocal({ port: sesPort }),
            (server) => server.stop(),
          )
        : undefined,
    ])
    const dynamodb = await parts.add(
      'DynamoDB client',
      async () => createLocalDynamoDbClient(ddb.endpoint),
      async (client) => client.destroy(),
    )
    const { tableName, streamArn } = await ensureTable(dynamodb, table.localName)
    const graphql = await parts.add(
      'GraphQL API',
      () =>
        startGraphqlServer({
          port: apiPort,
          apiKey,
          iam,
          resolverEnv: toResolverEnv(settings, tableName),
          dynamodb,
          staticDir: webDir,
          webConfig: { ...toWebConfig(settings), apiUrl: api, apiKey },
          log: options.quiet ? undefined : printRequest,
          keepAliveIntervalMs: options.keepAliveIntervalMs,
        }),
      (server) => server.close(),
    )
    if (ses) {
      await parts.add(
        'email delivery (stream consumer, Lambda handlers, SES events)',
        () =>
          startLocalEmailDelivery({
            dynamodbEndpoint: ddb.endpoint,
            sesUrl: ses.url,
            tableName,
            settings,
            quiet: options.quiet === true,
            publish: {
              apiUrl: api,
              region: iam.region,
              credentials: { accessKeyId: iam.accessKeyId, secretAccessKey: iam.secretAccessKey },
            },
            // LOCAL_SES_MAX_SEND_RATE: local SES throttles past this many sends per second.
            ...(Number(env.LOCAL_SES_MAX_SEND_RATE) > 0
              ? { sesMaxSendRate: Number(env.LOCAL_SES_MAX_SEND_RATE) }
              : {}),
          }),
        (delivery) => delivery.stop(),
      )
    }
    const events = options.events
      ? await parts.add(
          'domain events (second stream reader)',
          () =>
            startLocalDomainEvents({
              dynamodbEndpoint: ddb.endpoint,
              tableName,
              ...options.events,
            }),
          (consumer) => consumer.stop(),
        )
      : undefined
    return {
      ...(events ? { events } : {}),
      urls: {
        api,
        realtime: `ws://localhost:${apiPort}${new URL(graphql.realtimeUrl).pathname}`,
        graphiql: api,
        web: webDir ? `http://localhost:${apiPort}/` : undefined,
        dynamodb: `http://localhost:${ddb.port}`,
        ...(ses ? { ses: `http://localhost:${ses.port}` } : {}),
      },
      ports: { api: apiPort, dynamodb: ddb.port, ...(ses ? { ses: ses.port } : {}) },
      apiKey,
      iam,
      tableName,
      streamArn,
      settings,
      dynamodb,
      graphql,
      stop: parts.stopAll,
    }
  } catch (error) {
    await parts.stopAll().catch(() => undefined)
    throw error
  }
}

/** The port a part asked for; a fixed one must be free now (0 stays 0: the part picks one). */
async function checkPort(
  name: 'dynamodb' | 'ses',
  explicit: number | undefined,
  env: Record<string, string | undefined>,
): Promise<number> {
  const port = choosePort(portSpecs[name], explicit, env)
  if (port !== 0) await claimPort(portSpecs[name], port)
  return port
}

function printRequest(entry: Record<string, unknown>): void {
  console.log(JSON.stringify(entry))
}
