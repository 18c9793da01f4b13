/**
 * The CDK template and the local stack are built from the same description; these tests catch
 * the day one of them stops reading it. The AWS side is the synthesized template; the local side
 * is a real local stack, started here, and what its parts were actually handed: the resolver
 * pipelines the runtime bound, the `ctx.env` the API server got, the options the stream consumer
 * got and the configuration the email handler was built with. The functions that receive them
 * are wrapped to record their arguments and otherwise run unchanged.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CfnElement } from 'aws-cdk-lib'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { bundleDir, repoRoot, schemaFile } from '../../infra/api.js'
import { readEmailSenderConfig } from '../../functions/send-otp-email/config.js'
import { createDependencies } from '../../functions/send-otp-email/dependencies.js'
import { startGraphqlServer } from '../../infra/local/appsync/graphql-server.js'
import { loadPipelines } from '../../infra/local/appsync/resolver-binding.js'
import { matchesFilter, type FilterPattern } from '../../infra/local/event-filter.js'
import { startStreamConsumer } from '../../infra/local/stream-consumer.js'
import { tableDefinition, timeToLiveSpecification } from '../../infra/local/table.js'
import type { OtpSettings } from '../../infra/settings.js'
import { useLocalStack } from '../support/local-stack.js'
import type * as GraphqlServerModule from '../../infra/local/appsync/graphql-server.js'
import type * as ResolverBindingModule from '../../infra/local/appsync/resolver-binding.js'
import type * as StreamConsumerModule from '../../infra/local/stream-consumer.js'
import type * as DependenciesModule from '../../functions/send-otp-email/dependencies.js'
import {
  deployedWebConfig,
  onlyResource,
  resourcesOfType,
  synthesize,
  type Synthesized,
  streamMappingOf,
} from './synthesize.js'

vi.mock('../../infra/local/appsync/graphql-server.js', async (importOriginal) => {
  const actual = await importOriginal<typeof GraphqlServerModule>()
  return { ...actual, startGraphqlServer: vi.fn(actual.startGraphqlServer) }
})
vi.mock('../../infra/local/appsync/resolver-binding.js', async (importOriginal) => {
  const actual = await importOriginal<typeof ResolverBindingModule>()
  return { ...actual, loadPipelines: vi.fn(actual.loadPipelines) }
})
vi.mock('../../infra/local/stream-consumer.js', async (importOriginal) => {
  const actual = await importOriginal<typeof StreamConsumerModule>()
  return { ...actual, startStreamConsumer: vi.fn(actual.startStreamConsumer) }
})
vi.mock('../../functions/send-otp-email/dependencies.js', async (importOriginal) => {
  const actual = await importOriginal<typeof DependenciesModule>()
  return { ...actual, createDependencies: vi.fn(actual.createDependencies) }
})

// Non-default settings, so that a side which ignored them could not pass by luck.
const settings: Partial<OtpSettings> = {
  codeLength: 7,
  tokenTtlSeconds: 120,
  appName: 'Agreement Test',
}

let synth: Synthesized
const logicalId = (element: unknown): string => synth.stack.getLogicalId(element as CfnElement)
type Props = Record<string, unknown>

const local = useLocalStack({ settings })

beforeAll(async () => {
  // The bundles the local stack runs (dist/resolvers), deployed as `npm run deploy` deploys them.
  synth = await synthesize({ settings, bundleDir: join(repoRoot, bundleDir) })
})

afterAll(async () => {
  await synth?.cleanup()
})

/** The only call a wrapped function received while the local stack started. */
function onlyCall<A extends unknown[], R>(
  fn: (...args: A) => R,
): { args: A; result: R | undefined } {
  const { calls, results } = vi.mocked(fn).mock
  expect(calls).toHaveLength(1)
  const result = results[0]
  return { args: calls[0] as A, result: result?.type === 'return' ? result.value : undefined }
}

/** The pipelines the local runtime bound, by field, with each step's data source by name. */
async function localPipelines() {
  const { args, result } = onlyCall(loadPipelines)
  const [, sources] = args
  const sourceName = new Map(Object.entries(sources).map(([name, source]) => [source, name]))
  const pipelines = await result
  if (!pipelines) throw new Error('loadPipelines did not return')
  return [...pipelines.values()].map((p) => ({
    field: `${p.typeName}.${p.fieldName}`,
    bundle: p.bundle,
    steps: p.steps.map((s) => ({
      name: s.name,
      bundle: s.bundle,
      dataSource: sourceName.get(s.dataSource),
    })),
  }))
}

const deployedFunctions = (): Props[] =>
  Object.values(resourcesOfType(synth.template, 'AWS::AppSync::FunctionConfiguration')).map(
    (r) => r.Properties as Props,
  )

function emailHandlerProps(): Props {
  const id = logicalId(synth.stack.emailSender.handler.node.defaultChild)
  return (synth.template.toJSON().Resources[id] as { Properties: Props }).Properties
}

const mappingProps = (): Props => streamMappingOf(synth, synth.stack.emailSender.handler).props

describe('the local stack agrees with AWS', () => {
  it('serves the same schema file', () => {
    const { props } = onlyResource(synth.template, 'AWS::AppSync::GraphQLSchema')
    expect(props.Definition).toBe(readFileSync(join(repoRoot, schemaFile), 'utf8'))
  })

  it('runs, for every resolver and step, the very code AWS deploys (same SHA-256)', async () => {
    const sha256 = (code: unknown) => createHash('sha256').update(String(code)).digest('hex')
    const deployed = new Map<string, string>()
    for (const p of deployedFunctions()) deployed.set(p.Name as string, sha256(p.Code))
    for (const r of Object.values(resourcesOfType(synth.template, 'AWS::AppSync::Resolver'))) {
      const p = r.Properties as Props
      deployed.set(`${String(p.TypeName)}.${String(p.FieldName)}`, sha256(p.Code))
    }
    const loaded = new Map<string, string>()
    for (const pipeline of await localPipelines()) {
      loaded.set(pipeline.bundle.name, pipeline.bundle.digest)
      for (const step of pipeline.steps) loaded.set(step.bundle.name, step.bundle.digest)
    }
    expect(Object.fromEntries(loaded)).toEqual(Object.fromEntries(deployed))
  })

  it('binds each step to the same data source as the local runtime', async () => {
    const deployed = new Map(deployedFunctions().map((p) => [p.Name, p.DataSourceName]))
    const bound = new Map(
      (await localPipelines()).flatMap((p) => p.steps.map((s) => [s.name, s.dataSource])),
    )
    expect(Object.fromEntries(bound)).toEqual(Object.fromEntries(deployed))
  })

  it('resolves the same fields with the same pipelines, steps in the same order', async () => {
    const stepNames = new Map(
      Object.entries(resourcesOfType(synth.template, 'AWS::AppSync::FunctionConfiguration')).map(
        ([id, r]) => [id, (r.Properties as Props).Name as string],
      ),
    )
    const deployed = Object.values(resourcesOfType(synth.template, 'AWS::AppSync::Resolver')).map(
      (r) => {
        const p = r.Properties as Props
        const functions = (p.PipelineConfig as { Functions: { 'Fn::GetAtt': [string, string] }[] })
          .Functions
        return {
          field: `${String(p.TypeName)}.${String(p.FieldName)}`,
          steps: functions.map((f) => stepNames.get(f['Fn::GetAtt'][0])),
        }
      },
    )
    const bound = (await localPipelines()).map((p) => ({
      field: p.field,
      steps: p.steps.map((s) => s.name),
    }))
    const byField = (a: { field: string }, b: { field: string }) => a.field.localeCompare(b.field)
    expect(deployed.sort(byField)).toEqual(bound.sort(byField))
  })

  it('creates the table with the key schema, attributes, billing and stream of the local CreateTable request', () => {
    const { props } = onlyResource(synth.template, 'AWS::DynamoDB::Table')
    const request = tableDefinition()
    expect(props.KeySchema).toEqual(request.KeySchema)
    expect(props.AttributeDefinitions).toEqual(request.AttributeDefinitions)
    expect(props.BillingMode).toBe(request.BillingMode)
    expect(props.StreamSpecification).toEqual({
      StreamViewType: request.StreamSpecification?.StreamViewType,
    })
  })

  it('expires items by the same TTL attribute', () => {
    const { props } = onlyResource(synth.template, 'AWS::DynamoDB::Table')
    expect(props.TimeToLiveSpecification).toEqual(timeToLiveSpecification)
  })

  it('gives the resolvers the environment the local API server was started with', () => {
    const table = logicalId(synth.stack.table.table.node.defaultChild)
    const { props } = onlyResource(synth.template, 'AWS::AppSync::GraphQLApi')
    const [options] = onlyCall(startGraphqlServer).args
    const { TABLE_NAME, ...served } = options.resolverEnv
    expect(TABLE_NAME).toBe(local.stack().tableName)
    expect(served.OTP_CODE_LENGTH).toBe('7')
    expect(props.EnvironmentVariables).toEqual({ ...served, TABLE_NAME: { Ref: table } })
  })

  it('serves the web app the config.json CDK deploys, the settings included', () => {
    const [options] = onlyCall(startGraphqlServer).args
    const deployed = deployedWebConfig(synth)
    const { apiUrl: _url, apiKey: _key, ...settings } = deployed
    expect(Object.keys(options.webConfig ?? {}).sort()).toEqual(Object.keys(deployed).sort())
    expect(options.webConfig).toMatchObject({ ...settings, appName: 'Agreement Test' })
  })

  it('gives the email Lambda, read by its configuration reader, the configuration the local handler was built with', () => {
    const deployed = (emailHandlerProps().Environment as { Variables: Record<string, unknown> })
      .Variables
    // CloudFormation fills the references at deploy time; stand in plausible values.
    const env = Object.fromEntries(
      Object.entries(deployed).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : `deployed-${k.toLowerCase()}`,
      ]),
    )
    const [{ config: used }] = onlyCall(createDependencies).args
    expect(used.tableName).toBe(local.stack().tableName)
    expect(used.appName).toBe('Agreement Test')
    expect(readEmailSenderConfig(env)).toEqual({
      ...used,
      tableName: 'deployed-table_name',
      configurationSet: 'deployed-ses_configuration_set',
      deadLetterQueueUrl: 'deployed-dead_letter_queue_url',
    })
  })

  it('feeds the Lambda with the filter the local stream consumer applies', () => {
    const [options] = onlyCall(startStreamConsumer).args
    const filters = (mappingProps().FilterCriteria as { Filters: { Pattern: string }[] }).Filters
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([options.filterPattern])
  })

  type ConsumerOptions = Parameters<typeof startStreamConsumer>[0]
  it.each<[string, string, (o: ConsumerOptions) => unknown]>([
    ['batch size', 'BatchSize', (o) => o.batchSize],
    ['batching window', 'MaximumBatchingWindowInSeconds', (o) => o.maxBatchingWindowSeconds],
    ['retries', 'MaximumRetryAttempts', (o) => o.retryAttempts],
    ['bisection', 'BisectBatchOnFunctionError', (o) => o.bisectBatchOnError],
    ['record age', 'MaximumRecordAgeInSeconds', (o) => o.maxRecordAgeSeconds],
    ['starting position', 'StartingPosition', (o) => o.startingPosition ?? 'TRIM_HORIZON'],
    [
      'partial batch responses',
      'FunctionResponseTypes',
      (o) => (o.reportBatchItemFailures ?? true ? ['ReportBatchItemFailures'] : undefined),
    ],
  ])('maps the stream with the %s of the local consumer (%s)', (_name, property, localValue) => {
    const [options] = onlyCall(startStreamConsumer).args
    expect(mappingProps()[property]).toEqual(localValue(options))
  })

  it.each<[string, string, (o: ConsumerOptions) => unknown]>([
    ['timeout', 'Timeout', (o) => o.timeoutSeconds ?? 30],
    ['memory', 'MemorySize', (o) => o.memoryMb ?? 256],
  ])(
    'gives the Lambda the %s the local consumer invokes it with (%s)',
    (_name, property, localValue) => {
      const [options] = onlyCall(startStreamConsumer).args
      expect(emailHandlerProps()[property]).toEqual(localValue(options))
    },
  )

  it('lets through, by the local filter engine, exactly the records Lambda would pass on: session INSERTs', () => {
    const [filter] = (mappingProps().FilterCriteria as { Filters: { Pattern: string }[] }).Filters
    const pattern = JSON.parse(filter!.Pattern) as FilterPattern
    const record = (eventName: string, pk: string) => ({
      eventName,
      eventSource: 'aws:dynamodb',
      dynamodb: { Keys: { pk: { S: pk } }, SequenceNumber: '1', StreamViewType: 'KEYS_ONLY' },
    })
    expect(matchesFilter(pattern, record('INSERT', 'SESSION#1'))).toBe(true)
    expect(matchesFilter(pattern, record('MODIFY', 'SESSION#1'))).toBe(false)
    expect(matchesFilter(pattern, record('INSERT', 'ADDRESS#a@example.com'))).toBe(false)
    expect(matchesFilter(pattern, record('INSERT', 'TOKEN#1'))).toBe(false)
    expect(matchesFilter(pattern, record('INSERT', 'SUPPRESSED#a@example.com'))).toBe(false)
  })
})
