/**
 * The CDK template and the local stack are built from the same description; these tests catch
 * the day one of them stops reading it: same resolvers and step order, same table, same
 * settings, same stream consumer contract.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CfnElement } from 'aws-cdk-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emailSender, repoRoot, schemaFile } from '../../infra/api.js'
import { readEmailSenderConfig } from '../../functions/send-otp-email/config.js'
import { loadProjectApi } from '../../infra/local/appsync/api-description.js'
import { matchesFilter, type FilterPattern } from '../../infra/local/event-filter.js'
import { tableDefinition, timeToLiveSpecification } from '../../infra/local/table.js'
import { toLambdaEnv, toResolverEnv } from '../../infra/settings.js'
import { onlyResource, resourcesOfType, synthesize, type Synthesized } from './synthesize.js'

let synth: Synthesized
const logicalId = (element: unknown): string => synth.stack.getLogicalId(element as CfnElement)
type Props = Record<string, unknown>

beforeAll(async () => {
  // Non-default settings, so that a stack which ignored them could not pass by luck.
  synth = await synthesize({
    settings: { codeLength: 7, tokenTtlSeconds: 120, appName: 'Agreement Test' },
  })
})

afterAll(async () => {
  await synth?.cleanup()
})

describe('the local stack agrees with AWS', () => {
  it('serves the same schema file', () => {
    const { props } = onlyResource(synth.template, 'AWS::AppSync::GraphQLSchema')
    expect(props.Definition).toBe(readFileSync(join(repoRoot, schemaFile), 'utf8'))
  })

  it('runs, for every resolver and step, the code the local runtime loads from the same bundles', async () => {
    const local = await loadProjectApi(synth.bundleDir)
    const deployed = new Map<string, unknown>()
    for (const r of Object.values(
      resourcesOfType(synth.template, 'AWS::AppSync::FunctionConfiguration'),
    )) {
      deployed.set((r.Properties as Props).Name as string, (r.Properties as Props).Code)
    }
    for (const r of Object.values(resourcesOfType(synth.template, 'AWS::AppSync::Resolver'))) {
      const p = r.Properties as Props
      deployed.set(`${String(p.TypeName)}.${String(p.FieldName)}`, p.Code)
    }
    expect([...deployed.keys()].sort()).toEqual([...local.bundles.keys()].sort())
    for (const [name, code] of local.bundles) expect(deployed.get(name), name).toBe(code)
  })

  it('binds each step to the same data source as the local runtime', async () => {
    const local = await loadProjectApi(synth.bundleDir)
    const deployed = Object.values(
      resourcesOfType(synth.template, 'AWS::AppSync::FunctionConfiguration'),
    ).map((r) => ({
      name: (r.Properties as Props).Name,
      dataSource: (r.Properties as Props).DataSourceName,
    }))
    const byName = (a: { name: unknown }, b: { name: unknown }) =>
      String(a.name).localeCompare(String(b.name))
    expect(deployed.sort(byName)).toEqual(
      local.steps.map((s) => ({ name: s.name, dataSource: s.dataSource })).sort(byName),
    )
  })

  it('resolves the same fields with the same pipelines, steps in the same order', async () => {
    const served = (await loadProjectApi(synth.bundleDir)).resolvers
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
    const local = served.map((r) => ({
      field: `${r.typeName}.${r.fieldName}`,
      steps: [...r.steps],
    }))
    const byField = (a: { field: string }, b: { field: string }) => a.field.localeCompare(b.field)
    expect(deployed.sort(byField)).toEqual(local.sort(byField))
  })

  it('creates the table with the key schema, attributes, billing and stream of the local CreateTable request', () => {
    const { props } = onlyResource(synth.template, 'AWS::DynamoDB::Table')
    const local = tableDefinition()
    expect(props.KeySchema).toEqual(local.KeySchema)
    expect(props.AttributeDefinitions).toEqual(local.AttributeDefinitions)
    expect(props.BillingMode).toBe(local.BillingMode)
    expect(props.StreamSpecification).toEqual({
      StreamViewType: local.StreamSpecification?.StreamViewType,
    })
  })

  it('expires items by the same TTL attribute', () => {
    const { props } = onlyResource(synth.template, 'AWS::DynamoDB::Table')
    expect(props.TimeToLiveSpecification).toEqual(timeToLiveSpecification)
  })

  it('gives the resolvers the environment the local API gives them (toResolverEnv)', () => {
    const table = logicalId(synth.stack.table.table.node.defaultChild)
    const { props } = onlyResource(synth.template, 'AWS::AppSync::GraphQLApi')
    const { TABLE_NAME, ...local } = toResolverEnv(synth.settings, 'otp')
    expect(TABLE_NAME).toBe('otp')
    expect(props.EnvironmentVariables).toEqual({ ...local, TABLE_NAME: { Ref: table } })
    expect(local.CODE_LENGTH).toBe('7')
  })

  it('gives the email Lambda toLambdaEnv plus the dead-letter queue URL, nothing else', () => {
    const table = logicalId(synth.stack.table.table.node.defaultChild)
    const queue = logicalId(synth.stack.emailSender.deadLetterQueue.node.defaultChild)
    const fn =
      synth.template.toJSON().Resources[
        logicalId(synth.stack.emailSender.handler.node.defaultChild)
      ]
    const { TABLE_NAME, ...settings } = toLambdaEnv(synth.settings, 'otp')
    expect(TABLE_NAME).toBe('otp')
    expect(fn.Properties.Environment.Variables).toEqual({
      ...settings,
      TABLE_NAME: { Ref: table },
      DEAD_LETTER_QUEUE_URL: { Ref: queue },
    })
    expect(settings.APP_NAME).toBe('Agreement Test')
  })

  it('feeds the Lambda with the filter, batch size and retry policy the local consumer reads from infra/api.ts', () => {
    const { props } = onlyResource(synth.template, 'AWS::Lambda::EventSourceMapping')
    const filters = (props.FilterCriteria as { Filters: { Pattern: string }[] }).Filters
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([emailSender.filterPattern])
    expect(props).toMatchObject({
      BatchSize: emailSender.batchSize,
      MaximumBatchingWindowInSeconds: emailSender.maxBatchingWindowSeconds,
      MaximumRetryAttempts: emailSender.retryAttempts,
      BisectBatchOnFunctionError: emailSender.bisectBatchOnError,
      MaximumRecordAgeInSeconds: emailSender.maxRecordAgeSeconds,
      StartingPosition: emailSender.startingPosition,
      FunctionResponseTypes: emailSender.reportBatchItemFailures
        ? ['ReportBatchItemFailures']
        : undefined,
    })
  })

  it('lets through, by the local filter engine, exactly the records Lambda would pass on: session INSERTs', () => {
    const { props } = onlyResource(synth.template, 'AWS::Lambda::EventSourceMapping')
    const [filter] = (props.FilterCriteria as { Filters: { Pattern: string }[] }).Filters
    const pattern = JSON.parse(filter!.Pattern) as FilterPattern
    const record = (eventName: string, kind: string) => ({
      eventName,
      eventSource: 'aws:dynamodb',
      dynamodb: { NewImage: { pk: { S: `${kind}#1` }, kind: { S: kind } }, SequenceNumber: '1' },
    })
    expect(matchesFilter(pattern, record('INSERT', 'session'))).toBe(true)
    expect(matchesFilter(pattern, record('MODIFY', 'session'))).toBe(false)
    expect(matchesFilter(pattern, record('INSERT', 'address'))).toBe(false)
    expect(matchesFilter(pattern, record('INSERT', 'token'))).toBe(false)
  })

  it('gives the email Lambda an environment its configuration reader accepts, as the local stack does', () => {
    const fn =
      synth.template.toJSON().Resources[
        logicalId(synth.stack.emailSender.handler.node.defaultChild)
      ]
    const deployed = fn.Properties.Environment.Variables as Record<string, unknown>
    // CloudFormation fills the references at deploy time; stand in plausible values.
    const env = Object.fromEntries(
      Object.entries(deployed).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : `deployed-${k.toLowerCase()}`,
      ]),
    )
    const local = readEmailSenderConfig(toLambdaEnv(synth.settings, 'otp'))
    expect(readEmailSenderConfig(env)).toEqual({
      ...local,
      tableName: 'deployed-table_name',
      deadLetterQueueUrl: 'deployed-dead_letter_queue_url',
    })
  })
})
