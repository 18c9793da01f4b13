import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import type { CfnElement } from 'aws-cdk-lib'
import { Match } from 'aws-cdk-lib/assertions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  appsyncRuntime,
  authorization,
  bundleNames,
  dataSources,
  emailSender,
  pipelineResolvers,
  pipelineSteps,
} from '../../infra/api.js'
import { APPSYNC_CODE_LIMIT, bundleResolverSource } from '../../infra/bundle.js'
import { EMAIL_RUNTIME } from '../../infra/aws/constructs/email-sender.js'
import { matchesFilter, type FilterPattern } from '../../infra/local/event-filter.js'
import { toLambdaEnv, toWebConfig } from '../../infra/settings.js'
import { matchesExactValues, streamSamples } from './stream-samples.js'
import {
  actionsOf,
  allPolicyStatements,
  deployedWebConfig,
  onlyResource,
  policyStatements,
  reachesServices,
  resourcesOf,
  resourcesOfType,
  synthesize,
  wildcardActions,
  wildcardResources,
  type PolicyStatementJson,
  type Synthesized,
  streamMappingOf,
} from './synthesize.js'

const run = promisify(execFile)
let synth: Synthesized
const logicalId = (element: unknown): string => synth.stack.getLogicalId(element as CfnElement)

beforeAll(async () => {
  synth = await synthesize()
})

afterAll(async () => {
  await synth?.cleanup()
})

type Props = Record<string, unknown>

function appsyncCode(): Map<string, { code: string; runtime: unknown }> {
  const byName = new Map<string, { code: string; runtime: unknown }>()
  for (const r of Object.values(
    resourcesOfType(synth.template, 'AWS::AppSync::FunctionConfiguration'),
  )) {
    const p = r.Properties as Props
    byName.set(p.Name as string, { code: p.Code as string, runtime: p.Runtime })
  }
  for (const r of Object.values(resourcesOfType(synth.template, 'AWS::AppSync::Resolver'))) {
    const p = r.Properties as Props
    byName.set(`${String(p.TypeName)}.${String(p.FieldName)}`, {
      code: p.Code as string,
      runtime: p.Runtime,
    })
  }
  return byName
}

/** The deployed code of one resolver or step; fails the test when it is not deployed. */
function deployedUnit(name: string): { code: string; runtime: unknown } {
  const unit = appsyncCode().get(name)
  if (!unit) throw new Error(`${name} is not deployed`)
  return unit
}

describe('OtpStack: AppSync resolvers', () => {
  it('deploys one function per pipeline step and one resolver per field of infra/api.ts', () => {
    const names = [...appsyncCode().keys()].sort()
    expect(names).toEqual(
      [...pipelineSteps.map((s) => s.name), ...pipelineResolvers.map((r) => r.name)].sort(),
    )
  })

  it('pins the APPSYNC_JS 1.0.0 runtime in infra/api.ts', () => {
    expect(appsyncRuntime).toEqual({ name: 'APPSYNC_JS', runtimeVersion: '1.0.0' })
  })

  it.each(bundleNames())('runs %s on APPSYNC_JS 1.0.0', (name) => {
    expect(deployedUnit(name).runtime).toEqual({
      Name: appsyncRuntime.name,
      RuntimeVersion: appsyncRuntime.runtimeVersion,
    })
  })

  it("measures bundles against AppSync's limit of 32,768 characters", () => {
    expect(APPSYNC_CODE_LIMIT).toBe(32_768)
  })

  it.each(bundleNames())('keeps the code of %s non-empty and under 32,768 characters', (name) => {
    const { code } = deployedUnit(name)
    expect(code.length).toBeGreaterThan(0)
    expect(code.length).toBeLessThan(APPSYNC_CODE_LIMIT)
  })

  it.each([...pipelineSteps, ...pipelineResolvers])(
    'deploys for $name exactly the bundle infra/bundle.ts builds from its source',
    async (unit) => {
      expect(deployedUnit(unit.name).code).toBe(await bundleResolverSource(unit.source))
    },
  )

  const resolverResource = (typeName: string, fieldName: string): Props | undefined =>
    (
      Object.values(
        synth.template.findResources('AWS::AppSync::Resolver', {
          Properties: { TypeName: typeName, FieldName: fieldName },
        }),
      ) as { Properties: Props }[]
    )[0]?.Properties

  it.each(pipelineResolvers)('makes $name a pipeline resolver', (resolver) => {
    expect(resolverResource(resolver.typeName, resolver.fieldName)?.Kind).toBe('PIPELINE')
  })

  it.each(pipelineResolvers)(
    'chains $name through its steps in the order infra/api.ts gives',
    (resolver) => {
      const functionNames = new Map(
        Object.entries(resourcesOfType(synth.template, 'AWS::AppSync::FunctionConfiguration')).map(
          ([id, r]) => [id, (r.Properties as Props).Name],
        ),
      )
      const pipeline = resolverResource(resolver.typeName, resolver.fieldName)?.PipelineConfig as {
        Functions: { 'Fn::GetAtt': [string, string] }[]
      }
      expect(pipeline.Functions.map((f) => functionNames.get(f['Fn::GetAtt'][0]))).toEqual(
        resolver.steps,
      )
    },
  )

  it.each(pipelineSteps)('binds step $name to the data source infra/api.ts names', (step) => {
    synth.template.hasResourceProperties('AWS::AppSync::FunctionConfiguration', {
      Name: step.name,
      DataSourceName: step.dataSource,
    })
  })

  const dataSourceProps = (): Props[] =>
    Object.values(resourcesOfType(synth.template, 'AWS::AppSync::DataSource')).map(
      (r) => r.Properties as Props,
    )

  it('declares the data sources of infra/api.ts with their kinds', () => {
    expect(
      dataSourceProps()
        .map((s) => [s.Name, s.Type])
        .sort(),
    ).toEqual(
      Object.entries(dataSources)
        .map(([name, d]) => [name, d.kind])
        .sort(),
    )
  })

  it('points the table data source at the OTP table', () => {
    const table = logicalId(synth.stack.table.table.node.defaultChild)
    expect(dataSourceProps().find((s) => s.Name === 'table')?.DynamoDBConfig).toMatchObject({
      TableName: { Ref: table },
    })
  })
})

describe('OtpStack: the GraphQL API', () => {
  const api = (): Props => onlyResource(synth.template, 'AWS::AppSync::GraphQLApi').props

  it('authorizes with IAM by default, so a field without a directive is private to backends (S10)', () => {
    expect(api().AuthenticationType).toBe('AWS_IAM')
    expect(api().AuthenticationType).toBe(authorization.defaultMode)
  })

  it('accepts the API key only as an additional mode, granted per field by @aws_api_key', () => {
    expect(api().AdditionalAuthenticationProviders).toEqual([{ AuthenticationType: 'API_KEY' }])
  })

  it('names the API key after its generation, 1 by default', () => {
    expect(onlyResource(synth.template, 'AWS::AppSync::ApiKey').id).toMatch(
      /^GraphqlApiGeneration1ApiKey/,
    )
  })

  it('gives the API key an explicit expiry about a year ahead', () => {
    const { props } = onlyResource(synth.template, 'AWS::AppSync::ApiKey')
    const days = ((props.Expires as number) * 1000 - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(360)
    expect(days).toBeLessThanOrEqual(365)
  })

  it('logs field errors only', () => {
    expect(api().LogConfig).toMatchObject({ FieldLogLevel: 'ERROR' })
    expect(['ERROR', 'NONE']).toContain((api().LogConfig as Props).FieldLogLevel)
  })

  it('never logs request or response content', () => {
    expect(api().LogConfig).toMatchObject({ ExcludeVerboseContent: true })
  })

  it('traces requests with X-Ray', () => {
    expect(api().XrayEnabled).toBe(true)
  })

  it('limits query depth to 5', () => {
    expect(api().QueryDepthLimit).toBe(5)
  })

  it('limits the resolvers one request may invoke', () => {
    synth.template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      ResolverCountLimit: Match.anyValue(),
    })
  })

  it('keeps introspection on', () => {
    expect(api().IntrospectionConfig).toBe('ENABLED')
  })

  it('keeps the API log group for a month', () => {
    synth.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.objectLike({
        'Fn::Join': Match.arrayWith([Match.arrayWith(['/aws/appsync/apis/'])]),
      }),
      RetentionInDays: 30,
    })
  })
})

describe('OtpStack: the table', () => {
  const table = (): Props => onlyResource(synth.template, 'AWS::DynamoDB::Table').props

  it('streams keys only: no stream record carries a code, an address or any other attribute', () => {
    expect(table().StreamSpecification).toEqual({ StreamViewType: 'KEYS_ONLY' })
  })

  it('expires items by the ttl attribute', () => {
    expect(table().TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true })
  })

  it('keeps point-in-time recovery on', () => {
    expect(table().PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true })
  })

  it('bills on demand', () => {
    expect(table().BillingMode).toBe('PAY_PER_REQUEST')
  })

  it('encrypts with the customer-managed KMS key of the stack', () => {
    const key = onlyResource(synth.template, 'AWS::KMS::Key')
    expect(table().SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [key.id, 'Arn'] },
    })
  })

  it('rotates that key', () => {
    expect(onlyResource(synth.template, 'AWS::KMS::Key').props.EnableKeyRotation).toBe(true)
  })

  it('is protected from deletion by default', () => {
    expect(table().DeletionProtectionEnabled).toBe(true)
  })

  it('is retained by default when the stack is deleted or the table replaced', () => {
    synth.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    })
  })
})

describe('OtpStack: the email Lambda and its stream', () => {
  const mapping = (): Props => streamMappingOf(synth, synth.stack.emailSender.handler).props
  const handler = (): Props =>
    synth.template.toJSON().Resources[logicalId(synth.stack.emailSender.handler.node.defaultChild)]
      .Properties as Props

  it('reads the stream of the OTP table', () => {
    expect(mapping().EventSourceArn).toEqual({
      'Fn::GetAtt': [logicalId(synth.stack.table.table.node.defaultChild), 'StreamArn'],
    })
  })

  it('starts from the oldest retained stream record', () => {
    expect(mapping().StartingPosition).toBe('TRIM_HORIZON')
  })

  const deployedFilters = (): FilterPattern[] =>
    (mapping().FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map(
      (f) => JSON.parse(f.Pattern) as FilterPattern,
    )

  it('filters the stream with the pattern declared in infra/api.ts', () => {
    expect(deployedFilters()).toEqual([emailSender.filterPattern])
  })

  it.each(streamSamples())(
    'delivers to the Lambda only the INSERT of a session: %s (delivered: %s)',
    (_name, passes, record) => {
      // Lambda invokes for a record when any filter matches it.
      const filters = deployedFilters()
      expect(filters.some((pattern) => matchesFilter(pattern, record))).toBe(passes)
      expect(filters.some((pattern) => matchesExactValues(pattern, record))).toBe(passes)
    },
  )

  it('reports partial batch failures', () => {
    expect(mapping().FunctionResponseTypes).toEqual(['ReportBatchItemFailures'])
  })

  it.each([
    ['bisects a failing batch', 'BisectBatchOnFunctionError', true],
    ['bounds retries', 'MaximumRetryAttempts', emailSender.retryAttempts],
    ['bounds record age', 'MaximumRecordAgeInSeconds', emailSender.maxRecordAgeSeconds],
    ['bounds batch size', 'BatchSize', emailSender.batchSize],
    [
      'bounds the batching window',
      'MaximumBatchingWindowInSeconds',
      emailSender.maxBatchingWindowSeconds,
    ],
  ])('%s as infra/api.ts says (%s = %s)', (_claim, property, expected) => {
    expect(mapping()[property]).toBe(expected)
  })

  it('sends records that exhaust their retries to the dead-letter queue', () => {
    const queue = logicalId(synth.stack.emailSender.deadLetterQueue.node.defaultChild)
    expect(mapping().DestinationConfig).toEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } },
    })
  })

  it('keeps dead letters for 14 days', () => {
    synth.template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 24 * 3600,
    })
  })

  it('encrypts dead letters with the customer-managed key', () => {
    const key = onlyResource(synth.template, 'AWS::KMS::Key').id
    synth.template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
    })
  })

  it(`deploys on ${EMAIL_RUNTIME.name}, the newest Node.js runtime aws-cdk-lib offers`, () => {
    expect(EMAIL_RUNTIME.name).toBe('nodejs24.x')
    expect(handler().Runtime).toBe('nodejs24.x')
  })

  it.each([
    ['runs on arm64', 'Architectures', ['arm64']],
    ['traces with X-Ray', 'TracingConfig', { Mode: 'Active' }],
    ['reserves a modest concurrency', 'ReservedConcurrentExecutions', 5],
    ['stops after the timeout of infra/api.ts', 'Timeout', emailSender.timeoutSeconds],
    ['has the memory of infra/api.ts', 'MemorySize', emailSender.memoryMb],
    ['calls the handler export of infra/api.ts', 'Handler', `index.${emailSender.handlerExport}`],
  ])('%s (%s)', (_claim, property, expected) => {
    expect(handler()[property]).toEqual(expected)
  })

  it('gives the Lambda the settings of toLambdaEnv, the configuration set, the dead-letter queue URL and the API URL, nothing else', () => {
    const table = logicalId(synth.stack.table.table.node.defaultChild)
    const queue = logicalId(synth.stack.emailSender.deadLetterQueue.node.defaultChild)
    const configurationSet = logicalId(synth.stack.reputation.configurationSet.node.defaultChild)
    const { TABLE_NAME, ...settings } = toLambdaEnv(synth.settings, 'otp')
    expect(TABLE_NAME).toBe('otp')
    expect((handler().Environment as Props).Variables).toEqual({
      ...settings,
      TABLE_NAME: { Ref: table },
      SES_CONFIGURATION_SET: { Ref: configurationSet },
      DEAD_LETTER_QUEUE_URL: { Ref: queue },
      API_URL: { 'Fn::GetAtt': [logicalId(synth.stack.api.api.node.defaultChild), 'GraphQLUrl'] },
    })
  })

  it('writes the Lambda logs to a log group of its own', () => {
    expect(handler().LoggingConfig).toEqual({
      LogGroup: {
        Ref: logicalId(synth.stack.emailSender.node.findChild('Logs').node.defaultChild),
      },
    })
  })

  it('keeps the Lambda logs for a month', () => {
    synth.template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 30,
      LogGroupName: Match.absent(),
    })
  })

  it('bundles the handler offline into an ES module that Node loads and that exports the handler', async () => {
    const hash = String((handler().Code as Props).S3Key).replace(/\.zip$/, '')
    const entry = pathToFileURL(join(synth.app.outdir, `asset.${hash}`, 'index.mjs')).href
    const { stdout } = await run(process.execPath, [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(entry)}); console.log(typeof m.${
        emailSender.handlerExport
      })`,
    ])
    expect(stdout.trim()).toBe('function')
  })
})

const dynamoDbAndSes = ['dynamodb', 'ses']
/**
 * The one wildcard resource a DynamoDB action may have: ListStreams, which IAM cannot scope to
 * a resource, alone in its statement. It lists stream ARNs; reading a stream takes
 * DescribeStream, GetShardIterator and GetRecords, which are granted on the stream ARN only.
 * The table has no secondary index, so no grant carries `<table ARN>/index/*` either.
 */
const isListStreamsOnly = (statement: PolicyStatementJson): boolean =>
  statement.NotAction === undefined &&
  actionsOf(statement).every((action) => action === 'dynamodb:ListStreams')
/** A DynamoDB or SES grant on a wildcard resource, ListStreams alone excepted. */
const grantsOnWildcardResource = (statement: PolicyStatementJson): boolean =>
  reachesServices(statement, dynamoDbAndSes) &&
  !isListStreamsOnly(statement) &&
  wildcardResources(statement).length > 0
/** A DynamoDB or SES grant by a wildcard action or a NotAction. */
const grantsByWildcardAction = (statement: PolicyStatementJson): boolean =>
  reachesServices(statement, dynamoDbAndSes) &&
  (statement.NotAction !== undefined || wildcardActions(statement).length > 0)

describe('OtpStack: least privilege', () => {
  const lambdaStatements = () => {
    const role = logicalId(synth.stack.emailSender.handler.role?.node.defaultChild)
    const policies = synth.template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: role }] },
    })
    return policyStatements(synth.template)
      .filter(({ policy }) => policy in policies)
      .map((s) => s.statement)
  }
  const sesStatement = (): PolicyStatementJson => {
    const ses = lambdaStatements().filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')))
    expect(ses).toHaveLength(1)
    return ses[0]!
  }

  it('lets the Lambda send mail with SendEmail only (the v1 call it makes)', () => {
    expect(actionsOf(sesStatement())).toEqual(['ses:SendEmail'])
  })

  it('lets the Lambda send mail only with the configured From address', () => {
    expect(sesStatement().Condition).toEqual({
      StringEquals: { 'ses:FromAddress': synth.settings.senderAddress },
    })
  })

  it("lets the Lambda send from the sender's address and domain identities", () => {
    const identities = JSON.stringify(resourcesOf(sesStatement()))
    expect(identities).toContain(':identity/no-reply@example.com')
    expect(identities).toContain(':identity/example.com')
  })

  it('lets the Lambda send through the configuration set of the stack, and no other', () => {
    const configurationSet = logicalId(synth.stack.reputation.configurationSet.node.defaultChild)
    const sets = resourcesOf(sesStatement()).filter((r) =>
      JSON.stringify(r).includes(':configuration-set/'),
    )
    expect(sets).toHaveLength(1)
    expect(JSON.stringify(sets[0])).toContain(JSON.stringify({ Ref: configurationSet }))
  })

  it('grants no DynamoDB or SES action on a wildcard resource ("*", an ARN pattern, a joined ".../*")', () => {
    const offending = allPolicyStatements(synth.template).filter(({ statement }) =>
      grantsOnWildcardResource(statement),
    )
    expect(offending).toEqual([])
  })

  it('grants DynamoDB and SES actions by name, never by wildcard ("*", "dynamodb:*", "ses:Send*")', () => {
    const offending = allPolicyStatements(synth.template).filter(({ statement }) =>
      grantsByWildcardAction(statement),
    )
    expect(offending).toEqual([])
  })

  it('lets the Lambda list streams, the one DynamoDB action IAM cannot scope, on "*" alone', () => {
    const list = lambdaStatements().filter((s) => actionsOf(s).includes('dynamodb:ListStreams'))
    expect(list.map((s) => [actionsOf(s), resourcesOf(s)])).toEqual([
      [['dynamodb:ListStreams'], ['*']],
    ])
  })

  it('lets the Lambda update session items (keys starting SESSION#) and send-rate counters (SENDRATE#) and do nothing else on the table', () => {
    const table = logicalId(synth.stack.table.table.node.defaultChild)
    const onTable = lambdaStatements().filter((s) =>
      resourcesOf(s).some(
        (r) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [table, 'Arn'] }),
      ),
    )
    expect(onTable.map((s) => [actionsOf(s), s.Condition])).toEqual([
      [
        ['dynamodb:UpdateItem'],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SESSION#*'] } },
      ],
      [
        ['dynamodb:UpdateItem'],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SENDRATE#*'] } },
      ],
    ])
  })

  it('lets the Lambda read the stream of its own table only', () => {
    const table = logicalId(synth.stack.table.table.node.defaultChild)
    const stream = lambdaStatements().filter((s) => actionsOf(s).includes('dynamodb:GetRecords'))
    expect(stream.map(resourcesOf)).toEqual([[{ 'Fn::GetAtt': [table, 'StreamArn'] }]])
  })

  it('lets the Lambda write to the dead-letter queue itself (permanent failures)', () => {
    const queue = logicalId(synth.stack.emailSender.deadLetterQueue.node.defaultChild)
    const send = lambdaStatements().filter((s) => actionsOf(s).includes('sqs:SendMessage'))
    expect(send.flatMap(resourcesOf)).toContainEqual({ 'Fn::GetAtt': [queue, 'Arn'] })
  })

  it('tells the Lambda the URL of its dead-letter queue', () => {
    const queue = logicalId(synth.stack.emailSender.deadLetterQueue.node.defaultChild)
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DEAD_LETTER_QUEUE_URL: { Ref: queue } }) },
    })
  })

  it('uses no AWS managed policy on the roles it owns', () => {
    const ours = [
      synth.stack.emailSender.handler.role?.node.defaultChild,
      synth.stack.reputation.handler.role?.node.defaultChild,
      synth.stack.api.node.findChild('LogsRole').node.defaultChild,
      synth.stack.api.api.node.findChild('TableSource').node.findChild('ServiceRole').node
        .defaultChild,
    ].map(logicalId)
    for (const id of ours) {
      const role = synth.template.toJSON().Resources[id] as { Properties: Props }
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined()
    }
  })
})

describe('Test tools: the wildcard checks of the least-privilege tests', () => {
  it.each<[string, PolicyStatementJson]>([
    ['dynamodb:* on *', { Effect: 'Allow', Action: ['dynamodb:*'], Resource: ['*'] }],
    ['* on *', { Effect: 'Allow', Action: '*', Resource: '*' }],
    ['SES through a prefix pattern', { Effect: 'Allow', Action: 'Se?:Send*', Resource: '*' }],
    [
      'a table ARN pattern',
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:*:*:table/*' },
    ],
    [
      'a joined index wildcard',
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Table', 'Arn'] }, '/index/*']] },
      },
    ],
    [
      'ListStreams together with GetRecords on *',
      { Effect: 'Allow', Action: ['dynamodb:ListStreams', 'dynamodb:GetRecords'], Resource: '*' },
    ],
    ['a NotResource', { Effect: 'Allow', Action: 'ses:SendEmail', NotResource: 'arn:x' }],
    [
      'everything but IAM (a NotAction)',
      { Effect: 'Allow', Action: [], NotAction: 'iam:*', Resource: 'arn:aws:sqs:us-east-1:1:q' },
    ],
  ])('flag a statement granting %s', (_case, statement) => {
    expect(grantsOnWildcardResource(statement) || grantsByWildcardAction(statement)).toBe(true)
  })

  it.each<[string, PolicyStatementJson]>([
    [
      'GetItem and UpdateItem on the table',
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        Resource: { 'Fn::GetAtt': ['Table', 'Arn'] },
      },
    ],
    ['ListStreams alone on *', { Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' }],
    [
      'SendEmail on an identity',
      {
        Effect: 'Allow',
        Action: ['ses:SendEmail', 'ses:SendRawEmail'],
        Resource: 'arn:aws:ses:us-east-1:000000000000:identity/example.com',
      },
    ],
    ['another service on *', { Effect: 'Allow', Action: 'logs:CreateLogGroup', Resource: '*' }],
    ['nothing (a Deny of everything)', { Effect: 'Deny', Action: '*', Resource: '*' }],
  ])('pass a statement granting %s', (_case, statement) => {
    expect(grantsOnWildcardResource(statement) || grantsByWildcardAction(statement)).toBe(false)
  })
})

describe('OtpStack: the web ACL', () => {
  const acl = (): Props => onlyResource(synth.template, 'AWS::WAFv2::WebACL').props
  const rule = (name: string): Props | undefined =>
    (acl().Rules as Props[]).find((r) => r.Name === name)

  it('is regional', () => {
    expect(acl().Scope).toBe('REGIONAL')
  })

  it('is associated with the API', () => {
    const api = logicalId(synth.stack.api.api.node.defaultChild)
    synth.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::GetAtt': [api, 'Arn'] },
      WebACLArn: { 'Fn::GetAtt': [onlyResource(synth.template, 'AWS::WAFv2::WebACL').id, 'Arn'] },
    })
  })

  const signedWithSigV4 = {
    ByteMatchStatement: {
      FieldToMatch: { SingleHeader: { Name: 'authorization' } },
      PositionalConstraint: 'STARTS_WITH',
      SearchString: 'AWS4-HMAC-SHA256',
      TextTransformations: [{ Priority: 0, Type: 'NONE' }],
    },
  }

  it('blocks an IP after 300 unsigned requests in 5 minutes', () => {
    expect(rule('RateLimitPerIp')).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          AggregateKeyType: 'IP',
          Limit: 300,
          EvaluationWindowSec: 300,
          ScopeDownStatement: { NotStatement: { Statement: signedWithSigV4 } },
        },
      },
    })
  })

  it('gives SigV4-signed requests (the Lambdas publishing delivery updates, backends redeeming) their own higher limit', () => {
    expect(rule('SignedRateLimitPerIp')).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: {
          AggregateKeyType: 'IP',
          Limit: 60_000,
          EvaluationWindowSec: 300,
          ScopeDownStatement: signedWithSigV4,
        },
      },
    })
  })

  it('applies the AWS managed common rule set', () => {
    expect(rule('AWSManagedRulesCommonRuleSet')).toMatchObject({
      OverrideAction: { None: {} },
      Statement: {
        ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
      },
    })
  })

  it('publishes CloudWatch metrics for the ACL and each rule', () => {
    const configs = [
      acl().VisibilityConfig,
      ...(acl().Rules as Props[]).map((r) => r.VisibilityConfig),
    ]
    expect(configs).toHaveLength(5)
    for (const config of configs) expect(config).toMatchObject({ CloudWatchMetricsEnabled: true })
  })
})

describe('OtpStack: web hosting', () => {
  const distribution = (): Props =>
    onlyResource(synth.template, 'AWS::CloudFront::Distribution').props.DistributionConfig as Props
  const headers = (): Props =>
    (
      onlyResource(synth.template, 'AWS::CloudFront::ResponseHeadersPolicy').props
        .ResponseHeadersPolicyConfig as Props
    ).SecurityHeadersConfig as Props
  const siteBucket = (): Props => {
    const site = logicalId(synth.stack.web.bucket.node.defaultChild)
    return (synth.template.toJSON().Resources[site] as { Properties: Props }).Properties
  }

  it('keeps the site bucket private', () => {
    expect(siteBucket().PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    })
  })

  it('encrypts the site bucket', () => {
    expect(siteBucket().BucketEncryption).toMatchObject({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ],
    })
  })

  it('logs access to the site bucket in the log bucket', () => {
    const log = logicalId(synth.stack.web.logBucket.node.defaultChild)
    expect(siteBucket().LoggingConfiguration).toMatchObject({
      DestinationBucketName: { Ref: log },
    })
  })

  it('refuses requests to the site bucket without TLS', () => {
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(synth.stack.web.bucket.node.defaultChild) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    })
  })

  it('signs every origin request with CloudFront origin access control', () => {
    const oac = onlyResource(synth.template, 'AWS::CloudFront::OriginAccessControl')
    expect(oac.props.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
    })
    const origins = distribution().Origins as Props[]
    expect(origins).toHaveLength(1)
    expect(origins[0]).toMatchObject({ OriginAccessControlId: { 'Fn::GetAtt': [oac.id, 'Id'] } })
  })

  it('lets CloudFront read the site objects', () => {
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
          }),
        ]),
      },
    })
  })

  it('redirects HTTP to HTTPS on every path', () => {
    const config = distribution()
    const behaviors = [
      config.DefaultCacheBehavior,
      ...(config.CacheBehaviors as Props[]),
    ] as Props[]
    for (const behavior of behaviors)
      expect(behavior.ViewerProtocolPolicy).toBe('redirect-to-https')
  })

  it('serves index.html at the root', () => {
    expect(distribution().DefaultRootObject).toBe('index.html')
  })

  it.each([403, 404])('serves index.html with 200 for a %s (client-side routes)', (code) => {
    expect(distribution().CustomErrorResponses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ErrorCode: code,
          ResponseCode: 200,
          ResponsePagePath: '/index.html',
        }),
      ]),
    )
  })

  it('never caches config.json', () => {
    const config = (distribution().CacheBehaviors as Props[]).find(
      (b) => b.PathPattern === '/config.json',
    )
    // The managed CachingDisabled policy.
    expect(config?.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad')
  })

  it.each([
    [
      'HSTS for a year, subdomains included',
      'StrictTransportSecurity',
      { AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true, Override: true },
    ],
    ['nosniff', 'ContentTypeOptions', { Override: true }],
    ['DENY framing', 'FrameOptions', { FrameOption: 'DENY', Override: true }],
    ['no referrer', 'ReferrerPolicy', { ReferrerPolicy: 'no-referrer', Override: true }],
  ])('sends %s (%s)', (_claim, header, expected) => {
    expect(headers()[header]).toMatchObject(expected)
  })

  /** The policy's text, the two hosts known only at deploy time standing as <api-host> and <realtime-host>. */
  const csp = (): string => {
    const api = logicalId(synth.stack.api.api.node.defaultChild)
    const apiHost = JSON.stringify({
      'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [api, 'GraphQLUrl'] }] }],
    })
    const realtimeHost = JSON.stringify({ 'Fn::GetAtt': [api, 'RealtimeDns'] })
    const value = (headers().ContentSecurityPolicy as Props).ContentSecurityPolicy as {
      'Fn::Join': [string, unknown[]]
    }
    return value['Fn::Join'][1]
      .map((part) => {
        if (typeof part === 'string') return part
        if (JSON.stringify(part) === apiHost) return '<api-host>'
        if (JSON.stringify(part) === realtimeHost) return '<realtime-host>'
        return `<unexpected ${JSON.stringify(part)}>`
      })
      .join('')
  }

  it("takes the hosts in the content security policy from the API's URL and real-time host", () => {
    expect(csp()).toContain('https://<api-host>')
    expect(csp()).toContain('wss://<realtime-host>')
    expect(csp()).not.toContain('<unexpected')
  })

  it.each([
    [
      "network calls to the site, the API origin and the API's real-time origin only",
      'connect-src',
      "'self' https://<api-host> wss://<realtime-host>",
    ],
    ['scripts from the site only', 'script-src', "'self'"],
    ['styles from the site only', 'style-src', "'self'"],
    ['no framing by any page', 'frame-ancestors', "'none'"],
  ])('allows %s (%s)', (_claim, directive, expected) => {
    const directives = new Map(
      csp()
        .split('; ')
        .map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    )
    expect(directives.get(directive)).toBe(expected)
  })

  const deployment = (): Props => onlyResource(synth.template, 'Custom::CDKBucketDeployment').props

  it('deploys config.json next to the built app (two sources)', () => {
    expect(deployment().SourceObjectKeys).toHaveLength(2)
  })

  it('writes the API URL into config.json at deploy time', () => {
    const api = logicalId(synth.stack.api.api.node.defaultChild)
    expect(JSON.stringify(deployment().SourceMarkers)).toContain(
      JSON.stringify({ 'Fn::GetAtt': [api, 'GraphQLUrl'] }),
    )
  })

  it('writes the API key into config.json at deploy time', () => {
    const key = logicalId(synth.stack.api.apiKey)
    expect(JSON.stringify(deployment().SourceMarkers)).toContain(
      JSON.stringify({ 'Fn::GetAtt': [key, 'ApiKey'] }),
    )
  })

  it("writes the web app's settings into config.json", () => {
    expect(deployedWebConfig(synth)).toMatchObject(toWebConfig(synth.settings))
    expect(deployedWebConfig(synth)).toMatchObject({ appName: 'Example App' })
  })

  it('invalidates every cached path after a deploy', () => {
    expect(deployment().DistributionPaths).toEqual(['/*'])
  })
})

describe('OtpStack: alarms and outputs', () => {
  const metricOf = (alarm: Props): string =>
    alarm.Metrics ? 'metric math' : `${String(alarm.Namespace)}/${String(alarm.MetricName)}`
  const alarms = (): Props[] =>
    Object.values(resourcesOfType(synth.template, 'AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties as Props,
    )

  it('alarms when a dead letter is waiting, a Lambda fails, the API answers 5xx, the stream backs up, or the sender loses reputation', () => {
    expect(alarms().map(metricOf).sort()).toEqual([
      'AWS/AppSync/5XXError',
      'AWS/Lambda/Errors',
      'AWS/Lambda/Errors',
      'AWS/Lambda/Errors',
      'AWS/Lambda/IteratorAge',
      'AWS/SES/Reputation.BounceRate',
      'AWS/SES/Reputation.ComplaintRate',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
      'metric math',
    ])
  })

  const failureMetrics = [
    'AWS/AppSync/5XXError',
    'AWS/Lambda/Errors',
    'AWS/SQS/ApproximateNumberOfMessagesVisible',
  ]

  it('raises every failure alarm (dead letters, Lambda errors, API 5xx) on the first occurrence', () => {
    const failures = alarms().filter((alarm) => failureMetrics.includes(metricOf(alarm)))
    expect(failures).toHaveLength(6)
    for (const alarm of failures) {
      expect(alarm, metricOf(alarm)).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      })
    }
  })

  it('creates no alarm topic unless an address is given', () => {
    synth.template.resourceCountIs('AWS::SNS::Topic', 0)
  })

  it('outputs the API URL and ARN, real-time URL, web URL, API key id, table name, configuration set, event bus, salt secret and dead-letter queue URL', () => {
    expect(Object.keys(synth.template.toJSON().Outputs).sort()).toEqual(
      [
        'AddressHashSaltArn',
        'RealtimeUrl',
        'ApiArn',
        'ApiKeyId',
        'ApiUrl',
        'ConfigurationSetName',
        'DeadLetterQueueUrl',
        'EventBusName',
        'TableName',
        'WebUrl',
      ].sort(),
    )
  })

  it('outputs the id of the API key', () => {
    const key = logicalId(synth.stack.api.apiKey)
    synth.template.hasOutput('ApiKeyId', { Value: { 'Fn::GetAtt': [key, 'ApiKeyId'] } })
  })

  it('outputs the real-time endpoint from the real-time DNS name of the API', () => {
    const api = logicalId(synth.stack.api.api.node.defaultChild)
    synth.template.hasOutput('RealtimeUrl', {
      Value: { 'Fn::Join': ['', ['wss://', { 'Fn::GetAtt': [api, 'RealtimeDns'] }, '/graphql']] },
    })
  })

  it('never outputs the API key value', () => {
    expect(JSON.stringify(synth.template.toJSON().Outputs)).not.toContain('"ApiKey"]')
  })
})
