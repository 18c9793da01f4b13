/**
 * The CDK template and the local stack are built from the same description; these tests catch
 * the day one of them stops reading it: same resolvers and step order, same table, same
 * settings, same stream consumer contract.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CfnElement } from 'aws-cdk-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emailSender, pipelineResolvers, repoRoot, schemaFile } from '../../infra/api.js'
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

  it('resolves the same fields with the same pipelines, steps in the same order', () => {
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
    const local = pipelineResolvers.map((r) => ({
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
})
