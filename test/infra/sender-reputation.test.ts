import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import type { CfnElement } from 'aws-cdk-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { emailEvents, pipelineSteps, repoRoot, resolverTableActions } from '../../infra/api.js'
import {
  BOUNCE_RATE_ALARM,
  COMPLAINT_RATE_ALARM,
  SUPPRESSION_RATE_ALARM,
  SUPPRESSION_RATE_MIN_SENDS,
} from '../../infra/aws/constructs/otp-alarms.js'
import {
  actionsOf,
  onlyResource,
  policyStatements,
  resourcesOf,
  resourcesOfType,
  synthesize,
  type PolicyStatementJson,
  type Synthesized,
} from './synthesize.js'

const run = promisify(execFile)
let synth: Synthesized
const logicalId = (element: unknown): string => synth.stack.getLogicalId(element as CfnElement)
type Props = Record<string, unknown>

beforeAll(async () => {
  synth = await synthesize()
})

afterAll(async () => {
  await synth?.cleanup()
})

/** The statements of the inline policies attached to a role. */
function roleStatements(role: unknown): PolicyStatementJson[] {
  const policies = synth.template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: logicalId(role) }] },
  })
  return policyStatements(synth.template)
    .filter(({ policy }) => policy in policies)
    .map(({ statement }) => statement)
}

const tableArn = () => ({
  'Fn::GetAtt': [logicalId(synth.stack.table.table.node.defaultChild), 'Arn'],
})
const onTable = (statements: PolicyStatementJson[]) =>
  statements.filter((s) => JSON.stringify(resourcesOf(s)).includes(JSON.stringify(tableArn())))
const configurationSetRef = () => ({
  Ref: logicalId(synth.stack.reputation.configurationSet.node.defaultChild),
})

describe('OtpStack: the SES configuration set (S13)', () => {
  const configurationSet = () => onlyResource(synth.template, 'AWS::SES::ConfigurationSet').props

  it("puts every bounce and complaint on SES's suppression list for mail sent through it", () => {
    expect(configurationSet().SuppressionOptions).toEqual({
      SuppressedReasons: ['BOUNCE', 'COMPLAINT'],
    })
  })

  it('collects reputation metrics and keeps sending enabled', () => {
    expect(configurationSet()).toMatchObject({
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
    })
  })

  it('lets SES retry a mail no longer than a code lives (the default 10 minutes)', () => {
    expect(configurationSet().DeliveryOptions).toMatchObject({ MaxDeliverySeconds: 600 })
  })

  it("publishes Send, Delivery, DeliveryDelay, Bounce, Complaint and Reject to EventBridge's default bus", () => {
    const { props } = onlyResource(synth.template, 'AWS::SES::ConfigurationSetEventDestination')
    expect(props.ConfigurationSetName).toEqual(configurationSetRef())
    const destination = props.EventDestination as Props
    expect(destination.Enabled).toBe(true)
    expect([...(destination.MatchingEventTypes as string[])].sort()).toEqual(
      ['send', 'delivery', 'deliveryDelay', 'bounce', 'complaint', 'reject'].sort(),
    )
    expect(JSON.stringify(destination.EventBridgeDestination)).toContain(':event-bus/default')
  })
})

describe('OtpStack: the SES event Lambda and its rule', () => {
  const handlerId = () => logicalId(synth.stack.reputation.handler.node.defaultChild)
  const handler = (): Props =>
    (synth.template.toJSON().Resources[handlerId()] as { Properties: Props }).Properties
  const rule = (): Props => onlyResource(synth.template, 'AWS::Events::Rule').props

  it("hands the Lambda the configuration set's SES events of the types infra/api.ts lists, and nothing else", () => {
    expect(rule().EventPattern).toEqual({
      source: ['aws.ses'],
      'detail-type': Object.values(emailEvents.detailTypes),
      detail: { mail: { tags: { 'ses:configuration-set': [configurationSetRef()] } } },
    })
    expect(rule().Targets).toMatchObject([{ Arn: { 'Fn::GetAtt': [handlerId(), 'Arn'] } }])
  })

  it('lets EventBridge invoke the Lambda for that rule only', () => {
    const permissions = Object.values(resourcesOfType(synth.template, 'AWS::Lambda::Permission'))
      .map((p) => p.Properties as Props)
      .filter((p) => JSON.stringify(p.FunctionName).includes(handlerId()))
    expect(permissions).toEqual([
      expect.objectContaining({
        Principal: 'events.amazonaws.com',
        SourceArn: {
          'Fn::GetAtt': [logicalId(synth.stack.reputation.rule.node.defaultChild), 'Arn'],
        },
      }),
    ])
  })

  it('retries a failed invocation twice and drops events older than infra/api.ts allows', () => {
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: handlerId() },
      MaximumRetryAttempts: emailEvents.retryAttempts,
      MaximumEventAgeInSeconds: emailEvents.maxEventAgeSeconds,
    })
  })

  it('gives the Lambda the table name and the API URL it publishes delivery updates to, nothing else', () => {
    expect((handler().Environment as Props).Variables).toEqual({
      TABLE_NAME: { Ref: logicalId(synth.stack.table.table.node.defaultChild) },
      API_URL: { 'Fn::GetAtt': [logicalId(synth.stack.api.api.node.defaultChild), 'GraphQLUrl'] },
    })
  })

  it.each([
    ['runs on nodejs24.x', 'Runtime', 'nodejs24.x'],
    ['runs on arm64', 'Architectures', ['arm64']],
    ['traces with X-Ray', 'TracingConfig', { Mode: 'Active' }],
    ['stops after the timeout of infra/api.ts', 'Timeout', emailEvents.timeoutSeconds],
    ['calls the handler export of infra/api.ts', 'Handler', `index.${emailEvents.handlerExport}`],
    ['says what it does', 'Description', emailEvents.description],
  ])('%s (%s)', (_claim, property, expected) => {
    expect(handler()[property]).toEqual(expected)
  })

  it('lets the Lambda update session items and put suppression items, nothing else on the table', () => {
    const statements = onTable(
      roleStatements(synth.stack.reputation.handler.role?.node.defaultChild),
    )
    expect(statements.map((s) => [actionsOf(s), s.Condition])).toEqual([
      [
        ['dynamodb:UpdateItem'],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SESSION#*'] } },
      ],
      [
        ['dynamodb:PutItem'],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SUPPRESSED#*'] } },
      ],
    ])
  })

  it('lets the Lambda neither send mail nor read the stream', () => {
    const actions = roleStatements(synth.stack.reputation.handler.role?.node.defaultChild).flatMap(
      actionsOf,
    )
    expect(actions.filter((a) => a.startsWith('ses:') || a.startsWith('dynamodb:Get'))).toEqual([])
  })

  it('bundles the handler offline into an ES module that Node loads and that exports the handler', async () => {
    const hash = String((handler().Code as Props).S3Key).replace(/\.zip$/, '')
    const entry = pathToFileURL(join(synth.app.outdir, `asset.${hash}`, 'index.mjs')).href
    const { stdout } = await run(process.execPath, [
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(entry)}); console.log(typeof m.${
        emailEvents.handlerExport
      })`,
    ])
    expect(stdout.trim()).toBe('function')
  })
})

/** The IAM actions an APPSYNC_JS DynamoDB request asks for, by its `operation`. */
const actionsOfOperation: Readonly<Record<string, readonly string[]>> = {
  GetItem: ['dynamodb:GetItem'],
  PutItem: ['dynamodb:PutItem'],
  UpdateItem: ['dynamodb:UpdateItem'],
  DeleteItem: ['dynamodb:DeleteItem'],
  Query: ['dynamodb:Query'],
  Scan: ['dynamodb:Scan'],
  Sync: ['dynamodb:Query', 'dynamodb:Scan'],
  BatchGetItem: ['dynamodb:BatchGetItem'],
  BatchPutItem: ['dynamodb:BatchWriteItem'],
  BatchDeleteItem: ['dynamodb:BatchWriteItem'],
  TransactGetItems: ['dynamodb:GetItem'],
  // IAM checks a transaction item by item; the items name their own operations.
  TransactWriteItems: [],
  ConditionCheck: ['dynamodb:ConditionCheckItem'],
}

describe('OtpStack: the AppSync data source role', () => {
  const dataSource = () => synth.stack.api.api.node.findChild('TableSource')
  const statements = () =>
    roleStatements(dataSource().node.findChild('ServiceRole').node.defaultChild)

  it('names in infra/api.ts exactly the DynamoDB actions the table steps ask for', () => {
    const asked = new Set<string>()
    for (const step of pipelineSteps.filter((s) => s.dataSource === 'table')) {
      const source = readFileSync(join(repoRoot, step.source), 'utf8')
      for (const [, operation = ''] of source.matchAll(/operation:\s*'(\w+)'/g)) {
        const actions = actionsOfOperation[operation]
        if (!actions) throw new Error(`${step.source}: no IAM actions known for ${operation}`)
        for (const action of actions) asked.add(action)
      }
    }
    expect([...resolverTableActions].sort()).toEqual([...asked].sort())
  })

  it('may use exactly those actions on the table: no Scan, Query, batch, delete or stream read', () => {
    expect(onTable(statements()).map((s) => [actionsOf(s).sort(), s.Condition])).toEqual([
      [[...resolverTableActions].sort(), undefined],
    ])
    const dynamodb = statements()
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('dynamodb:'))
    expect(dynamodb.sort()).toEqual([...resolverTableActions].sort())
  })

  it('uses the table key by named actions only', () => {
    const kms = statements()
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('kms:'))
    expect(kms.sort()).toEqual([
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
    ])
  })
})

describe('OtpStack: who may publish delivery updates (S14)', () => {
  const publishing = () =>
    allRoleStatements().filter(({ statement }) => actionsOf(statement).includes('appsync:GraphQL'))
  const allRoleStatements = () => {
    const policies = resourcesOfType(synth.template, 'AWS::IAM::Policy')
    return policyStatements(synth.template).map(({ policy, statement }) => ({
      roles: (policies[policy]?.Properties?.Roles as { Ref: string }[]).map((r) => r.Ref),
      statement,
    }))
  }
  const roleOf = (fn: { role?: { node: { defaultChild?: unknown } } }) =>
    logicalId(fn.role?.node.defaultChild)

  it('lets the two Lambda roles call appsync:GraphQL on Mutation.publishOtpDelivery alone, and no other role call the API', () => {
    const apiId = logicalId(synth.stack.api.api.node.defaultChild)
    const granted = publishing().map(({ roles, statement }) => ({
      roles,
      actions: actionsOf(statement),
      resource: JSON.stringify(resourcesOf(statement)),
    }))
    expect(granted.map((g) => g.roles).sort()).toEqual(
      [[roleOf(synth.stack.emailSender.handler)], [roleOf(synth.stack.reputation.handler)]].sort(),
    )
    for (const grant of granted) {
      expect(grant.actions).toEqual(['appsync:GraphQL'])
      expect(grant.resource).toContain(`"Fn::GetAtt":["${apiId}","ApiId"]`)
      expect(grant.resource).toContain('/types/Mutation/fields/publishOtpDelivery"')
      expect(grant.resource).not.toContain('*')
    }
  })
})

describe('OtpStack: the requestOtp rate rule of the web ACL', () => {
  const rules = () => onlyResource(synth.template, 'AWS::WAFv2::WebACL').props.Rules as Props[]
  const rule = () => rules().find((r) => r.Name === 'RequestOtpRateLimitPerIp')

  it('blocks an IP with 429 after 30 requestOtp requests in 5 minutes, besides the general limit', () => {
    expect(rule()).toMatchObject({
      Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
      Statement: {
        RateBasedStatement: { AggregateKeyType: 'IP', Limit: 30, EvaluationWindowSec: 300 },
      },
    })
    expect(rules().map((r) => r.Name)).toEqual([
      'RateLimitPerIp',
      'RequestOtpRateLimitPerIp',
      'AWSManagedRulesCommonRuleSet',
      'SignedRateLimitPerIp',
    ])
  })

  it('counts a request whose body names requestOtp, after JSON escapes and case, and any body too large to inspect', () => {
    const scope = (rule()?.Statement as { RateBasedStatement: Props }).RateBasedStatement
      .ScopeDownStatement as Props
    expect(scope).toEqual({
      ByteMatchStatement: {
        FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
        PositionalConstraint: 'CONTAINS',
        SearchString: 'requestotp',
        TextTransformations: [
          { Priority: 0, Type: 'JS_DECODE' },
          { Priority: 1, Type: 'LOWERCASE' },
        ],
      },
    })
  })
})

describe('OtpStack: the sender reputation alarms', () => {
  const alarms = (): Props[] =>
    Object.values(resourcesOfType(synth.template, 'AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties as Props,
    )
  const alarmOn = (metricName: string) => alarms().find((a) => a.MetricName === metricName)

  it.each([
    ['Reputation.BounceRate', BOUNCE_RATE_ALARM, 0.02],
    ['Reputation.ComplaintRate', COMPLAINT_RATE_ALARM, 0.0005],
  ])("alarms when SES's %s reaches %s", (metricName, threshold, documented) => {
    expect(threshold).toBe(documented)
    expect(alarmOn(metricName)).toMatchObject({
      Namespace: 'AWS/SES',
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    })
  })

  it("alarms when the suppression rate reaches 2%, from the SES event Lambda's own metrics", () => {
    const math = alarms().find((a) => a.Metrics !== undefined)
    expect(math).toMatchObject({
      Threshold: SUPPRESSION_RATE_ALARM,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    })
    const metrics = math?.Metrics as { Id: string; Expression?: string; MetricStat?: Props }[]
    const stat = (id: string) => metrics.find((m) => m.Id === id)?.MetricStat as Props
    const { namespace, service, sent, suppressed } = emailEvents.metrics
    for (const [id, name] of [
      ['sent', sent],
      ['suppressed', suppressed],
    ] as const)
      expect(stat(id)).toMatchObject({
        Metric: {
          Namespace: namespace,
          MetricName: name,
          Dimensions: [{ Name: 'service', Value: service }],
        },
        Stat: 'Sum',
      })
    const expression = metrics.find((m) => m.Expression)?.Expression
    expect(expression).toContain('FILL(suppressed, 0) / FILL(sent, 1)')
    expect(expression).toContain(`FILL(sent, 0) >= ${SUPPRESSION_RATE_MIN_SENDS}`)
  })

  it('alarms when the SES event Lambda fails', () => {
    const id = logicalId(synth.stack.reputation.handler.node.defaultChild)
    expect(
      alarms().filter(
        (a) => a.MetricName === 'Errors' && JSON.stringify(a.Dimensions).includes(id),
      ),
    ).toHaveLength(1)
  })
})
