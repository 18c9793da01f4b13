/**
 * One step of a deployed pipeline, run on its own against a DynamoDB Local table with a stash the
 * test writes: the state a concurrent request leaves between two steps, set up deterministically.
 *
 * ```ts
 * const table = useDynamoDbTable()
 * const step = await loadStep('verifySession')                   // dist/resolvers/verifySession.js
 * const run = await runStep(step, table(), { check, session, verdict: 'right' })
 * expect(run.stash?.outcome).toMatchObject({ status: 'LOCKED' })   // or run.error when it halted
 * ```
 *
 * The step runs in the local runtime's pipeline executor (`runPipeline`) behind a harness resolver
 * (test/fixtures/resolvers/Pipeline.stepHarness.ts), so early returns, `ctx.error` and
 * `util.error` behave exactly as in the whole pipeline.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb'
import { bundleDir, repoRoot } from '../../infra/api.js'
import { bundleResolverSource } from '../../infra/bundle.js'
import { CapacityTally } from '../../infra/local/appsync/data-sources.js'
import { createDynamoDbDataSource } from '../../infra/local/appsync/dynamodb-data-source.js'
import { runPipeline } from '../../infra/local/appsync/pipeline.js'
import type { RaisedError } from '../../infra/local/appsync/runtime-lib/host.js'
import { loadResolverBundle, type LoadedBundle } from '../../infra/local/appsync/sandbox.js'
import { hostBridge } from '../../infra/local/appsync/sandbox-host.js'
import { sessionKey, type SessionItem } from '../../infra/model.js'
import { defaultSettings, toResolverEnv, type OtpSettings } from '../../infra/settings.js'
import type { TestTable } from '../fixtures/dynamodb.js'

/**
 * Runs `load` with `util.autoId()` answering `uuid()`: a bundle loaded meanwhile keeps that source
 * (the sandbox binds its host functions when it loads), so a test can inject a faulty or stuck
 * random source into one bundle. The real source is back once `load` settles.
 */
export async function withUuidSource<T>(uuid: () => string, load: () => Promise<T>): Promise<T> {
  const real = hostBridge.randomUuid
  hostBridge.randomUuid = uuid
  try {
    return await load()
  } finally {
    hostBridge.randomUuid = real
  }
}

/** Loads a step's deployed bundle (`npm run build:resolvers` first). */
export async function loadStep(name: string): Promise<LoadedBundle> {
  const code = await readFile(join(repoRoot, bundleDir, `${name}.js`), 'utf8')
  return loadResolverBundle(name, code)
}

let harness: Promise<LoadedBundle> | undefined

function harnessResolver(): Promise<LoadedBundle> {
  harness ??= bundleResolverSource('test/fixtures/resolvers/Pipeline.stepHarness.ts').then((code) =>
    loadResolverBundle('Pipeline.stepHarness', code),
  )
  return harness
}

/** What the step left: its result and the stash, or the error that halted it. */
export interface StepRun {
  result?: unknown
  stash?: Record<string, unknown>
  error?: RaisedError
}

/** Runs `step` (request, the table, response) with `stash` as the steps before it left it. */
export async function runStep(
  step: LoadedBundle,
  table: TestTable,
  stash: Record<string, unknown>,
  settings: OtpSettings = defaultSettings,
): Promise<StepRun> {
  const dataSource = createDynamoDbDataSource({
    client: table.client,
    tableName: table.tableName,
    tally: new CapacityTally(),
  })
  const outcome = await runPipeline(
    {
      typeName: 'Mutation',
      fieldName: step.name,
      bundle: await harnessResolver(),
      steps: [{ name: step.name, bundle: step, dataSource }],
    },
    {
      arguments: { stash },
      source: null,
      identity: null,
      request: { headers: {}, domainName: null },
      info: {
        fieldName: step.name,
        parentTypeName: 'Mutation',
        variables: {},
      },
      env: toResolverEnv(settings, table.tableName),
      authType: 'API Key Authorization',
    },
  )
  if (outcome.error) return { error: outcome.error }
  return outcome.value as StepRun
}

/** A PENDING session as createSession writes it, with `overrides`. */
export function sessionItem(overrides: Partial<SessionItem> & { sessionId: string }): SessionItem {
  const now = Date.now()
  return {
    pk: sessionKey(overrides.sessionId),
    kind: 'session',
    email: 'ada@example.com',
    code: '123456',
    codeLength: 6,
    status: 'PENDING',
    attempts: 0,
    maxAttempts: 5,
    createdAt: now,
    expiresAt: now + 600_000,
    ttl: Math.floor(now / 1000) + 4200,
    ...overrides,
  }
}

/** Writes `item` to the table as it is (no condition): the state a test starts from. */
export async function putItem(table: TestTable, item: object): Promise<void> {
  await table.client.send(
    new PutItemCommand({
      TableName: table.tableName,
      Item: marshall(item, { removeUndefinedValues: true }),
    }),
  )
}

/** The item stored under `pk` (strongly consistent), or undefined. */
export async function readItem(
  table: TestTable,
  pk: string,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: { pk: { S: pk } },
      ConsistentRead: true,
    }),
  )
  return Item ? unmarshall(Item) : undefined
}
