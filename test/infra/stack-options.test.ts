import type { CfnElement } from 'aws-cdk-lib'
import { Match } from 'aws-cdk-lib/assertions'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toResolverEnv } from '../../infra/settings.js'
import {
  deployedWebConfig,
  onlyResource,
  policyStatements,
  resourcesOf,
  resourcesOfType,
  synthesize,
  type Synthesized,
} from './synthesize.js'

describe('OtpStack with every deployment option set', () => {
  let synth: Synthesized
  const logicalId = (element: unknown): string => synth.stack.getLogicalId(element as CfnElement)

  beforeAll(async () => {
    synth = await synthesize({
      context: {
        deletionProtection: 'false',
        createSesIdentity: 'true',
        sandboxRecipients: 'tester@example.org, second@example.org',
        alarmEmail: 'ops@example.com',
        wafRateLimit: '1000',
        wafRequestOtpRateLimit: '50',
        wafSignedRateLimit: '9000',
        apiKeyExpiryDays: '30',
        apiKeyGeneration: '2',
        emailReservedConcurrency: '0',
      },
      settings: {
        codeLength: 8,
        maxAttempts: 3,
        senderAddress: 'codes@mail.example.net',
        appName: 'Acme',
        codeTtlSeconds: 120,
      },
    })
  })

  afterAll(async () => {
    await synth?.cleanup()
  })

  it('lets the table, its key, queue and buckets go with the stack when deletion protection is off', () => {
    synth.template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
      DeletionPolicy: 'Delete',
    })
    synth.template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' })
    synth.template.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Delete' })
    synth.template.resourceCountIs('Custom::S3AutoDeleteObjects', 2)
  })

  it("writes the app name into the web app's config.json", () => {
    expect(deployedWebConfig(synth)).toMatchObject({ appName: 'Acme' })
  })

  it('passes the product settings to the resolvers as AppSync environment variables', () => {
    const table = logicalId(synth.stack.table.table.node.defaultChild)
    const { props } = onlyResource(synth.template, 'AWS::AppSync::GraphQLApi')
    expect(props.EnvironmentVariables).toEqual({
      ...toResolverEnv(synth.settings, 'x'),
      TABLE_NAME: { Ref: table },
    })
    expect(props.EnvironmentVariables).toMatchObject({
      OTP_CODE_LENGTH: '8',
      OTP_MAX_ATTEMPTS: '3',
    })
  })

  it('creates the SES identity of the sender address, with the configuration set as its default', () => {
    synth.template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'codes@mail.example.net',
      ConfigurationSetAttributes: {
        ConfigurationSetName: {
          Ref: logicalId(synth.stack.reputation.configurationSet.node.defaultChild),
        },
      },
    })
  })

  it('lets SES retry a mail for 5 minutes, its shortest, when codes live less', () => {
    expect(
      onlyResource(synth.template, 'AWS::SES::ConfigurationSet').props.DeliveryOptions,
    ).toMatchObject({ MaxDeliverySeconds: 300 })
  })

  it('lets the Lambda send from the configured address only, also to the sandbox recipients', () => {
    const [ses] = policyStatements(synth.template).filter(({ statement }) =>
      JSON.stringify(statement.Action).includes('ses:SendEmail'),
    )
    expect(ses?.statement.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': 'codes@mail.example.net' },
    })
    const identities = resourcesOf(ses!.statement)
      .filter((r) => JSON.stringify(r).includes(':identity/'))
      .map((r) => JSON.stringify(r).split(':identity/')[1]?.split('"')[0])
    expect(identities).toEqual([
      'codes@mail.example.net',
      'mail.example.net',
      'tester@example.org',
      'second@example.org',
    ])
  })

  it('sends every alarm to an encrypted topic with the given address subscribed', () => {
    const topic = onlyResource(synth.template, 'AWS::SNS::Topic')
    expect(topic.props.KmsMasterKeyId).toBeDefined()
    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    })
    const alarms = Object.values(resourcesOfType(synth.template, 'AWS::CloudWatch::Alarm'))
    expect(alarms).toHaveLength(10)
    for (const alarm of alarms) expect(alarm.Properties?.AlarmActions).toEqual([{ Ref: topic.id }])
  })

  it('lets CloudWatch use the key to publish to the encrypted topic', () => {
    synth.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    })
  })

  it('uses the configured rate limits', () => {
    const rules = onlyResource(synth.template, 'AWS::WAFv2::WebACL').props.Rules as Record<
      string,
      unknown
    >[]
    expect(rules.find((r) => r.Name === 'RateLimitPerIp')).toMatchObject({
      Statement: { RateBasedStatement: { Limit: 1000 } },
    })
    expect(rules.find((r) => r.Name === 'RequestOtpRateLimitPerIp')).toMatchObject({
      Statement: { RateBasedStatement: { Limit: 50 } },
    })
    expect(rules.find((r) => r.Name === 'SignedRateLimitPerIp')).toMatchObject({
      Statement: { RateBasedStatement: { Limit: 9000 } },
    })
  })

  it('uses the configured API key lifetime', () => {
    const { props } = onlyResource(synth.template, 'AWS::AppSync::ApiKey')
    const days = ((props.Expires as number) * 1000 - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(28)
    expect(days).toBeLessThanOrEqual(30)
  })

  it('rotates the API key by giving its new generation a new resource, which config.json then carries', () => {
    const key = onlyResource(synth.template, 'AWS::AppSync::ApiKey').id
    expect(key).toMatch(/^GraphqlApiGeneration2ApiKey/)
    const { props } = onlyResource(synth.template, 'Custom::CDKBucketDeployment')
    expect(JSON.stringify(props.SourceMarkers)).toContain(
      JSON.stringify({ 'Fn::GetAtt': [key, 'ApiKey'] }),
    )
  })

  it('leaves the Lambda concurrency unreserved when asked to', () => {
    const fn =
      synth.template.toJSON().Resources[
        logicalId(synth.stack.emailSender.handler.node.defaultChild)
      ]
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined()
  })
})
