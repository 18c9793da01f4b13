import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import type { CfnElement } from 'aws-cdk-lib'
import { Match } from 'aws-cdk-lib/assertions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  appsyncRuntime,
  dataSources,
  emailSender,
  pipelineResolvers,
  pipelineSteps,
} from '../../infra/api.js'
import { APPSYNC_CODE_LIMIT, bundleResolverSource } from '../../infra/bundle.js'
import { EMAIL_RUNTIME } from '../../infra/aws/constructs/email-sender.js'
import {
  actionsOf,
  onlyResource,
  policyStatements,
  resourcesOf,
  resourcesOfType,
  synthesize,
  type Synthesized,
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

describe('OtpStack: AppSync resolvers', () => {
  it('deploys one function per pipeline step and one resolver per field of infra/api.ts', () => {
    const names = [...appsyncCode().keys()].sort()
    expect(names).toEqual(
      [...pipelineSteps.map((s) => s.name), ...pipelineResolvers.map((r) => r.name)].sort(),
    )
  })

  it('runs every resolver and pipeline step on APPSYNC_JS 1.0.0', () => {
    for (const { runtime } of appsyncCode().values()) {
      expect(runtime).toEqual({
        Name: appsyncRuntime.name,
        RuntimeVersion: appsyncRuntime.runtimeVersion,
      })
    }
    expect(appsyncRuntime).toEqual({ name: 'APPSYNC_JS', runtimeVersion: '1.0.0' })
  })

  it('keeps the code of every resolver and step under 32,768 characters', () => {
    for (const [name, { code }] of appsyncCode()) {
      expect(code.length, name).toBeGreaterThan(0)
      expect(code.length, name).toBeLessThan(APPSYNC_CODE_LIMIT)
    }
    expect(APPSYNC_CODE_LIMIT).toBe(32_768)
  })

  it('deploys for each name exactly the bundle infra/bundle.ts builds from its source', async () => {
    const deployed = appsyncCode()
    for (const unit of [...pipelineSteps, ...pipelineResolvers]) {
      expect(deployed.get(unit.name)?.code, unit.name).toBe(await bundleResolverSource(unit.source))
    }
  })

  it('chains each pipeline resolver through its steps in the order infra/api.ts gives', () => {
    const functionNames = new Map(
      Object.entries(resourcesOfType(synth.template, 'AWS::AppSync::FunctionConfiguration')).map(
        ([id, r]) => [id, (r.Properties as Props).Name],
      ),
    )
    for (const resolver of pipelineResolvers) {
      const [resource] = Object.values(
        synth.template.findResources('AWS::AppSync::Resolver', {
          Properties: { TypeName: resolver.typeName, FieldName: resolver.fieldName },
        }),
      ) as { Properties: Props }[]
      const pipeline = resource?.Properties.PipelineConfig as {
        Functions: { 'Fn::GetAtt': [string, string] }[]
      }
      expect(resource?.Properties.Kind, resolver.name).toBe('PIPELINE')
      expect(
        pipeline.Functions.map((f) => functionNames.get(f['Fn::GetAtt'][0])),
        resolver.name,
      ).toEqual(resolver.steps)
    }
  })

  it('binds each step to the data source infra/api.ts names', () => {
    for (const step of pipelineSteps) {
      synth.template.hasResourceProperties('AWS::AppSync::FunctionConfiguration', {
        Name: step.name,
        DataSourceName: step.dataSource,
      })
    }
  })

  it('declares the data sources of infra/api.ts, the table one on the OTP table', () => {
    const table = logicalId(synth.stack.table.table.node.defaultChild)
    const sources = Object.values(resourcesOfType(synth.template, 'AWS::AppSync::DataSource')).map(
      (r) => r.Properties as Props,
    )
    expect(sources.map((s) => [s.Name, s.Type]).sort()).toEqual(
      Object.entries(dataSources)
        .map(([name, d]) => [name, d.kind])
        .sort(),
    )
    expect(sources.find((s) => s.Name === 'table')?.DynamoDBConfig).toMatchObject({
      TableName: { Ref: table },
    })
  })
})

describe('OtpStack: the GraphQL API', () => {
  it('authorizes with an API key by default and IAM as an additional mode', () => {
    synth.template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      AuthenticationType: 'API_KEY',
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
    })
  })

  it('gives the API key an explicit expiry about a year ahead', () => {
    const { id, props } = onlyResource(synth.template, 'AWS::AppSync::ApiKey')
    expect(id).toMatch(/^GraphqlApiGeneration1ApiKey/)
    const days = ((props.Expires as number) * 1000 - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(360)
    expect(days).toBeLessThanOrEqual(365)
  })

  it('logs field errors only and never request or response content', () => {
    const { props } = onlyResource(synth.template, 'AWS::AppSync::GraphQLApi')
    expect(props.LogConfig).toMatchObject({ FieldLogLevel: 'ERROR', ExcludeVerboseContent: true })
    expect(['ERROR', 'NONE']).toContain((props.LogConfig as Props).FieldLogLevel)
  })

  it('traces requests with X-Ray, limits query depth and resolver count, keeps introspection', () => {
    synth.template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      XrayEnabled: true,
      QueryDepthLimit: 5,
      ResolverCountLimit: Match.anyValue(),
      IntrospectionConfig: 'ENABLED',
    })
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
  it('streams new images', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    })
  })

  it('expires items by the ttl attribute', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    })
  })

  it('keeps point-in-time recovery on and bills on demand', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      BillingMode: 'PAY_PER_REQUEST',
    })
  })

  it('encrypts with a customer-managed KMS key that rotates', () => {
    const key = onlyResource(synth.template, 'AWS::KMS::Key')
    expect(key.props.EnableKeyRotation).toBe(true)
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [key.id, 'Arn'] },
      },
    })
  })

  it('is protected from deletion and retained by default', () => {
    synth.template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    })
  })
})

describe('OtpStack: the email Lambda and its stream', () => {
  const mapping = (): Props => onlyResource(synth.template, 'AWS::Lambda::EventSourceMapping').props

  it('reads the table stream from the start of its retained records', () => {
    expect(mapping().EventSourceArn).toEqual({
      'Fn::GetAtt': [logicalId(synth.stack.table.table.node.defaultChild), 'StreamArn'],
    })
    expect(mapping().StartingPosition).toBe('TRIM_HORIZON')
  })

  it('receives only INSERTs of session items (the filter of infra/api.ts)', () => {
    const filters = (mapping().FilterCriteria as { Filters: { Pattern: string }[] }).Filters
    expect(filters.map((f) => JSON.parse(f.Pattern))).toEqual([emailSender.filterPattern])
  })

  it('reports partial batch failures', () => {
    expect(mapping().FunctionResponseTypes).toEqual(['ReportBatchItemFailures'])
  })

  it('bisects failing batches and bounds retries, record age and batch size as infra/api.ts says', () => {
    expect(mapping()).toMatchObject({
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: emailSender.retryAttempts,
      MaximumRecordAgeInSeconds: emailSender.maxRecordAgeSeconds,
      BatchSize: emailSender.batchSize,
      MaximumBatchingWindowInSeconds: emailSender.maxBatchingWindowSeconds,
    })
  })

  it('sends records that exhaust their retries to the dead-letter queue', () => {
    const queue = logicalId(synth.stack.emailSender.deadLetterQueue.node.defaultChild)
    expect(mapping().DestinationConfig).toEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } },
    })
  })

  it('keeps dead letters for 14 days, encrypted with the customer-managed key', () => {
    const key = onlyResource(synth.template, 'AWS::KMS::Key').id
    synth.template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 14 * 24 * 3600,
      KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
    })
  })

  it(`runs on ${EMAIL_RUNTIME.name} on arm64 with X-Ray, modest reserved concurrency and the timeout of infra/api.ts`, () => {
    expect(EMAIL_RUNTIME.name).toBe('nodejs24.x')
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: 5,
      Timeout: emailSender.timeoutSeconds,
      MemorySize: emailSender.memoryMb,
      Handler: `index.${emailSender.handlerExport}`,
    })
  })

  it('keeps the Lambda logs for a month', () => {
    const fn =
      synth.template.toJSON().Resources[
        logicalId(synth.stack.emailSender.handler.node.defaultChild)
      ]
    expect(fn.Properties.LoggingConfig).toEqual({
      LogGroup: {
        Ref: logicalId(synth.stack.emailSender.node.findChild('Logs').node.defaultChild),
      },
    })
    synth.template.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 30,
      LogGroupName: Match.absent(),
    })
  })
  it('bundles the handler offline into an ES module that Node loads and that exports the handler', async () => {
    const fn =
      synth.template.toJSON().Resources[
        logicalId(synth.stack.emailSender.handler.node.defaultChild)
      ]
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')
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

  it('lets the Lambda send mail only with the configured From address, from its identities', () => {
    const ses = lambdaStatements().filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')))
    expect(ses).toHaveLength(1)
    expect(actionsOf(ses[0]!).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail'])
    expect(ses[0]!.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': synth.settings.senderAddress },
    })
    const identities = JSON.stringify(resourcesOf(ses[0]!))
    expect(identities).toContain(':identity/no-reply@example.com')
    expect(identities).toContain(':identity/example.com')
  })

  it('grants no DynamoDB or SES action on every resource', () => {
    const offending = policyStatements(synth.template).filter(
      ({ statement }) =>
        actionsOf(statement).some((a) => a.startsWith('dynamodb:') || a.startsWith('ses:')) &&
        resourcesOf(statement).some((r) => typeof r === 'string' && r.includes('*')),
    )
    expect(offending).toEqual([])
  })

  it('lets the Lambda get and update table items, nothing else on the table', () => {
    const table = logicalId(synth.stack.table.table.node.defaultChild)
    const onTable = lambdaStatements().filter((s) =>
      resourcesOf(s).some(
        (r) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [table, 'Arn'] }),
      ),
    )
    expect(onTable.flatMap(actionsOf).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem'])
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
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DEAD_LETTER_QUEUE_URL: { Ref: queue } }) },
    })
  })

  it('uses no AWS managed policy on the roles it owns', () => {
    const ours = [
      synth.stack.emailSender.handler.role?.node.defaultChild,
      synth.stack.api.node.findChild('LogsRole').node.defaultChild,
    ].map(logicalId)
    for (const id of ours) {
      const role = synth.template.toJSON().Resources[id] as { Properties: Props }
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined()
    }
  })
})

describe('OtpStack: the web ACL', () => {
  const acl = (): Props => onlyResource(synth.template, 'AWS::WAFv2::WebACL').props
  const rule = (name: string): Props | undefined =>
    (acl().Rules as Props[]).find((r) => r.Name === name)

  it('is regional and associated with the API', () => {
    const api = logicalId(synth.stack.api.api.node.defaultChild)
    const acl = onlyResource(synth.template, 'AWS::WAFv2::WebACL')
    expect(acl.props.Scope).toBe('REGIONAL')
    synth.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::GetAtt': [api, 'Arn'] },
      WebACLArn: { 'Fn::GetAtt': [acl.id, 'Arn'] },
    })
  })

  it('blocks an IP after 300 requests in 5 minutes', () => {
    expect(rule('RateLimitPerIp')).toMatchObject({
      Action: { Block: {} },
      Statement: {
        RateBasedStatement: { AggregateKeyType: 'IP', Limit: 300, EvaluationWindowSec: 300 },
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
    expect(configs).toHaveLength(3)
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

  it('keeps the site bucket private, encrypted, SSL-only and access-logged', () => {
    const site = logicalId(synth.stack.web.bucket.node.defaultChild)
    const log = logicalId(synth.stack.web.logBucket.node.defaultChild)
    const bucket = synth.template.toJSON().Resources[site] as { Properties: Props }
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: log } },
    })
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: site },
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

  it('reads the bucket through CloudFront origin access control', () => {
    const oac = onlyResource(synth.template, 'AWS::CloudFront::OriginAccessControl')
    expect(oac.props.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
    })
    const origins = distribution().Origins as Props[]
    expect(origins).toHaveLength(1)
    expect(origins[0]).toMatchObject({ OriginAccessControlId: { 'Fn::GetAtt': [oac.id, 'Id'] } })
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

  it('serves index.html at the root and for client-side routes', () => {
    expect(distribution().DefaultRootObject).toBe('index.html')
    expect(distribution().CustomErrorResponses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ErrorCode: 403,
          ResponseCode: 200,
          ResponsePagePath: '/index.html',
        }),
        expect.objectContaining({
          ErrorCode: 404,
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

  it('sends HSTS, nosniff, DENY framing and no referrer', () => {
    expect(headers()).toMatchObject({
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 31_536_000,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
    })
  })

  it('allows scripts and styles from the site only and network calls to the site and the API origin only', () => {
    const api = logicalId(synth.stack.api.api.node.defaultChild)
    const csp = (headers().ContentSecurityPolicy as Props).ContentSecurityPolicy as {
      'Fn::Join': [string, unknown[]]
    }
    const [before, apiHost, after] = csp['Fn::Join'][1] as [string, unknown, string]
    expect(apiHost).toEqual({
      'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [api, 'GraphQLUrl'] }] }],
    })
    const policy = `${before}<api-host>${after}`
    const directives = new Map(
      policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    )
    expect(directives.get('connect-src')).toBe("'self' https://<api-host>")
    expect(directives.get('script-src')).toBe("'self'")
    expect(directives.get('style-src')).toBe("'self'")
    expect(directives.get('frame-ancestors')).toBe("'none'")
  })

  it('writes config.json with the API URL and key at deploy time, next to the built app', () => {
    const api = logicalId(synth.stack.api.api.node.defaultChild)
    const key = logicalId(synth.stack.api.apiKey)
    const { props } = onlyResource(synth.template, 'Custom::CDKBucketDeployment')
    expect(props.SourceObjectKeys).toHaveLength(2)
    const markers = JSON.stringify(props.SourceMarkers)
    expect(markers).toContain(JSON.stringify({ 'Fn::GetAtt': [api, 'GraphQLUrl'] }))
    expect(markers).toContain(JSON.stringify({ 'Fn::GetAtt': [key, 'ApiKey'] }))
    expect(props.DistributionPaths).toEqual(['/*'])
  })
})

describe('OtpStack: alarms and outputs', () => {
  const metricOf = (alarm: Props): string =>
    `${String(alarm.Namespace)}/${String(alarm.MetricName)}`

  it('alarms when a dead letter is waiting, the Lambda fails, or the API answers 5xx', () => {
    const alarms = Object.values(resourcesOfType(synth.template, 'AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties as Props,
    )
    expect(alarms.map(metricOf).sort()).toEqual([
      'AWS/AppSync/5XXError',
      'AWS/Lambda/Errors',
      'AWS/SQS/ApproximateNumberOfMessagesVisible',
    ])
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' })
    }
  })

  it('creates no alarm topic unless an address is given', () => {
    synth.template.resourceCountIs('AWS::SNS::Topic', 0)
  })

  it('outputs the API URL and ARN, web URL, API key id, table name and dead-letter queue URL', () => {
    expect(Object.keys(synth.template.toJSON().Outputs).sort()).toEqual(
      ['ApiArn', 'ApiKeyId', 'ApiUrl', 'DeadLetterQueueUrl', 'TableName', 'WebUrl'].sort(),
    )
    const key = logicalId(synth.stack.api.apiKey)
    synth.template.hasOutput('ApiKeyId', { Value: { 'Fn::GetAtt': [key, 'ApiKeyId'] } })
  })

  it('never outputs the API key value', () => {
    expect(JSON.stringify(synth.template.toJSON().Outputs)).not.toContain('"ApiKey"]')
  })
})
