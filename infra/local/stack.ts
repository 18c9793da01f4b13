/**
 * The local stack: DynamoDB Local with the OTP table, and the GraphQL API that runs the
 * resolver bundles CDK deploys (also serving the web app and GraphiQL). Parts start in
 * order; if one fails, those already started are stopped before the error is rethrown.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { bundleDir, bundleNames, repoRoot, table } from '../api.js'
import { loadSettings, toResolverEnv, type OtpSettings } from '../settings.js'
import { startGraphqlServer, type GraphqlServer } from './appsync/graphql-server.js'
import { createLocalDynamoDbClient, startDynamoDbLocal } from './dynamodb-local.js'
import { createPartList } from './processes.js'
import { choosePort, claimPort, portSpecs } from './ports.js'
import { ensureTable } from './table.js'
import { startSesLocal } from './ses-local.js'
import { startLocalEmailDelivery } from './email-delivery.js'
import { Logger } from '@aws-lambda-powertools/logger'

/** The API key the local API accepts unless `API_KEY` says otherwise. */
export const DEFAULT_LOCAL_API_KEY = 'da2-local-development-key'

/** Credentials a local backend signs IAM calls with (SigV4, service `appsync`). */
export interface LocalIamCredentials {
  accessKeyId: string
  secretAccessKey: string
  region: string
  accountId: string
}

/**
 * The local API's only IAM identity. Deliberately not read from `AWS_ACCESS_KEY_ID` and friends,
 * so a developer's real AWS credentials never reach the local stack or its logs.
 * Override with `LOCAL_IAM_ACCESS_KEY_ID`, `LOCAL_IAM_SECRET_ACCESS_KEY`, `LOCAL_IAM_REGION`.
 */
export const DEFAULT_LOCAL_IAM: Readonly<LocalIamCredentials> = Object.freeze({
  accessKeyId: 'ASIALOCALDEVELOPMENT',
  secretAccessKey: 'local-development-secret-access-key',
  region: 'us-east-1',
  accountId: '000000000000',
})

/** The local IAM credentials after environment overrides. */
export function localIamCredentials(
  env: Record<string, string | undefined> = process.env,
): LocalIamCredentials {
  return {
    accessKeyId: nonEmpty(env.LOCAL_IAM_ACCESS_KEY_ID) ?? DEFAULT_LOCAL_IAM.accessKeyId,
    secretAccessKey: nonEmpty(env.LOCAL_IAM_SECRET_ACCESS_KEY) ?? DEFAULT_LOCAL_IAM.secretAccessKey,
    region: nonEmpty(env.LOCAL_IAM_REGION) ?? DEFAULT_LOCAL_IAM.region,
    accountId: DEFAULT_LOCAL_IAM.accountId,
  }
}

/** Thrown when a build output the stack serves is missing; the message names the npm script. */
export class MissingBuildError extends Error {
  override name = 'MissingBuildError'
}

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
}

export interface LocalStack {
  urls: {
    /** `http://localhost:<port>/graphql` */
    api: string
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
  /** Stops every part in reverse order of start. Idempotent. */
  stop(): Promise<void>
}

/**
 * Starts the local stack and resolves when every part answers.
 * @throws PortInUseError, JavaMissingError, InvalidSettingError, or an Error naming a missing build step;
 *   in every case nothing is left running.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const env = options.env ?? process.env
  const settings = loadSettings(env, options.settings)
  const apiKey = options.apiKey ?? nonEmpty(env.API_KEY) ?? DEFAULT_LOCAL_API_KEY
  const iam = localIamCredentials(env)
  const webDir = chooseWebDir(options.webDir)
  const dbPath = options.dynamodbPath ?? nonEmpty(env.DYNAMODB_LOCAL_PATH)
  const dynamodbPort = choosePort(portSpecs.dynamodb, options.ports?.dynamodb, env)
  assertBundlesBuilt()
  // Chosen up front: a taken port fails before the slow part (Java) starts, and the web app's
  // config needs the API URL before the server exists.
  const apiPort = await claimPort(portSpecs.api, choosePort(portSpecs.api, options.ports?.api, env))
  const api = `http://localhost:${apiPort}/graphql`

  const parts = createPartList()
  try {
    const ddb = await parts.add(
      'DynamoDB Local',
      () => startDynamoDbLocal({ port: dynamodbPort, dbPath }),
      (d) => d.stop(),
    )
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
          webConfig: { apiUrl: api, apiKey },
          log: options.quiet ? undefined : printRequest,
        }),
      (server) => server.close(),
    )
    const ses =
      options.email === false
        ? undefined
        : await parts.add(
            'local SES',
            () => startSesLocal({ port: choosePort(portSpecs.ses, options.ports?.ses, env) }),
            (server) => server.stop(),
          )
    if (ses) {
      await parts.add(
        'email delivery (stream consumer + Lambda handler)',
        () =>
          startLocalEmailDelivery({
            dynamodbEndpoint: ddb.endpoint,
            sesUrl: ses.url,
            tableName,
            settings,
            ...(options.quiet ? { logger: new Logger({ logLevel: 'SILENT' }) } : {}),
          }),
        (delivery) => delivery.stop(),
      )
    }
    return {
      urls: {
        api,
        graphiql: api,
        web: webDir ? `http://localhost:${apiPort}/` : undefined,
        dynamodb: `http://localhost:${ddb.port}`,
        ...(ses ? { ses: ses.url } : {}),
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

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}

function chooseWebDir(option: string | false | undefined): string | undefined {
  if (option === false) return undefined
  if (option !== undefined) return resolve(option)
  const built = join(repoRoot, 'web/dist')
  return existsSync(join(built, 'index.html')) ? built : undefined
}

function assertBundlesBuilt(): void {
  const missing = bundleNames().filter(
    (name) => !existsSync(join(repoRoot, bundleDir, `${name}.js`)),
  )
  if (missing.length > 0) {
    throw new MissingBuildError(
      `resolver bundles missing in ${bundleDir} (${missing.join(
        ', ',
      )}): run npm run build:resolvers`,
    )
  }
}

function printRequest(entry: Record<string, unknown>): void {
  console.log(JSON.stringify(entry))
}
