import type { CfnElement } from 'aws-cdk-lib'
import { Match } from 'aws-cdk-lib/assertions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { domainEvents, emailSender } from '../../infra/api.js'
import { matchesFilter, type FilterPattern } from '../../infra/local/event-filter.js'
import {
  actionsOf,
  onlyResource,
  policyStatements,
  resourcesOf,
  resourcesOfType,
  synthesize,
  type Synthesized,
} from './synthesize.js'

let synth: Synthesized
const logicalId = (element: unknown): string => synth.stack.getLogicalId(element as CfnElement)

beforeAll(async () => {
  synth = await synthesize()
})
afterAll(async () => {
  await synth?.cleanup()
})

type Props = Record<string, unknown>

function statementsOfRole(role: unknown) {
  const id = logicalId(role)
  const policies = synth.template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: id }] },
  })
  return policyStatements(synth.template)
    .filter(({ policy }) => policy in policies)
    .map((s) => s.statement)
}

/** The dashboard's JSON text, with CloudFormation references as `TOKEN`. */
function dashboardBody(): string {
  const dashboard = onlyResource(synth.template, 'AWS::CloudWatch::Dashboard')
  const body = dashboard.props.DashboardBody as { 'Fn::Join': [string, unknown[]] }
  return body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('')
}

describe('OtpStack: domain events', () => {
  it('creates a custom event bus and archives its otp.email events', () => {
    synth.template.resourceCountIs('AWS::Events::EventBus', 1)
    synth.template.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['otp.email'] },
      RetentionDays: 30,
    })
  })

  it('keeps the addressHash salt in a Secrets Manager secret generated at deploy time, encrypted with the stack key', () => {
    synth.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 48 }),
      KmsKeyId: Match.anyValue(),
    })
  })

  it('makes the events Lambda the stream second reader: sessions and tokens, batch item failures, an on-failure queue', () => {
    const table = logicalId(synth.stack.table.table.node.defaultChild)
    const handler = logicalId(synth.stack.events.handler.node.defaultChild)
    const mappings = Object.values(
      resourcesOfType(synth.template, 'AWS::Lambda::EventSourceMapping'),
    ).map((r) => r.Properties as Props)
    expect(mappings).toHaveLength(2)
    const mapping = mappings.find(
      (p) => JSON.stringify(p.FunctionName) === JSON.stringify({ Ref: handler }),
    )
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [table, 'StreamArn'] },
      BatchSize: domainEvents.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: {
          Destination: {
            'Fn::GetAtt': [logicalId(synth.stack.events.deadLetterQueue.node.defaultChild), 'Arn'],
          },
        },
      },
    })
    const pattern = JSON.parse(
      (mapping?.FilterCriteria as { Filters: { Pattern: string }[] }).Filters[0]?.Pattern ?? '{}',
    ) as FilterPattern
    const record = (eventName: string, pk: string) => ({
      eventName,
      dynamodb: { Keys: { pk: { S: pk } } },
    })
    expect(matchesFilter(pattern, record('MODIFY', 'SESSION#abc'))).toBe(true)
    expect(matchesFilter(pattern, record('REMOVE', 'SESSION#abc'))).toBe(true)
    expect(matchesFilter(pattern, record('MODIFY', 'TOKEN#abc'))).toBe(true)
    expect(matchesFilter(pattern, record('MODIFY', 'EVENTS#abc'))).toBe(false)
    expect(matchesFilter(pattern, record('MODIFY', 'SENDRATE#1'))).toBe(false)
  })

  it('tells the events Lambda its table, bus and salt secret', () => {
    const bus = logicalId(synth.stack.events.bus.node.defaultChild)
    const secret = logicalId(synth.stack.events.salt.node.defaultChild)
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          EVENT_BUS_NAME: { Ref: bus },
          ADDRESS_HASH_SALT_SECRET_ARN: { Ref: secret },
          TABLE_NAME: Match.anyValue(),
        }),
      },
    })
  })

  it('lets the events Lambda put events on its bus only, read the salt, read sessions and tokens, and write only its ledger', () => {
    const statements = statementsOfRole(synth.stack.events.handler.role?.node.defaultChild)
    const bus = logicalId(synth.stack.events.bus.node.defaultChild)
    const put = statements.filter((s) => actionsOf(s).includes('events:PutEvents'))
    expect(put.flatMap(resourcesOf)).toEqual([{ 'Fn::GetAtt': [bus, 'Arn'] }])
    expect(statements.some((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'))).toBe(
      true,
    )
    const writes = statements.filter((s) => actionsOf(s).includes('dynamodb:UpdateItem'))
    expect(writes.map((s) => s.Condition)).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EVENTS#*'] } },
    ])
    const actions = statements.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:'))
    expect(actions).not.toContain('dynamodb:PutItem')
    expect(actions).not.toContain('dynamodb:DeleteItem')
  })
})

describe('OtpStack: metrics and the dashboard', () => {
  it('creates one dashboard whose funnel reads the EmailOtp namespace', () => {
    synth.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1)
    const body = dashboardBody()
    expect(domainEvents.metrics.namespace).toBe('EmailOtp')
    for (const name of ['OtpRequested', 'OtpDelivered', 'OtpVerified', 'OtpLocked', 'OtpExpired'])
      expect(body).toContain(`"EmailOtp","${name}"`)
  })

  it('computes conversion verified ÷ requested with metric math and shows time to inbox p50 and p95', () => {
    const body = dashboardBody()
    expect(body).toContain('100 * verified / requested')
    expect(body).toContain(domainEvents.metrics.timeToInbox)
    expect(body).toMatch(/"stat":"p50"/)
    expect(body).toMatch(/"stat":"p95"/)
  })

  it('shows bounce and complaint rates, lockouts, refusals by reason and the sender outcomes', () => {
    const body = dashboardBody()
    expect(body).toContain('Reputation.BounceRate')
    expect(body).toContain('Reputation.ComplaintRate')
    expect(body).toContain('TooManyRequests')
    expect(body).toContain('/aws/appsync/apis/')
    for (const metric of Object.values(emailSender.metrics).slice(2)) expect(body).toContain(metric)
  })

  it('alarms on the events Lambda failing, its dead letters and a backlog in front of the email Lambda', () => {
    const descriptions = Object.values(
      resourcesOfType(synth.template, 'AWS::CloudWatch::Alarm'),
    ).map((r) => (r.Properties as Props).AlarmDescription as string)
    expect(descriptions.some((d) => d.includes('domain events Lambda failed'))).toBe(true)
    expect(descriptions.some((d) => d.includes('could not be published'))).toBe(true)
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Threshold: 60_000,
    })
  })

  it('runs the email Lambda with the send-rate setting and the parallelization factor of infra/api.ts', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ OTP_SES_MAX_SEND_RATE: '14' }) },
    })
    synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: emailSender.batchSize,
      ParallelizationFactor: emailSender.parallelizationFactor,
    })
  })
})
