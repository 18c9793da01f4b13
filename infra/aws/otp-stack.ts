import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib'
import type { Construct } from 'constructs'
import { type OtpSettings, toLambdaEnv, toResolverEnv, toWebConfig } from '../settings.js'
import { ApiFirewall } from './constructs/api-firewall.js'
import { EmailSender } from './constructs/email-sender.js'
import { DomainEvents } from './constructs/domain-events.js'
import { OtpAlarms } from './constructs/otp-alarms.js'
import { OtpDashboard } from './constructs/otp-dashboard.js'
import { OtpApi } from './constructs/otp-api.js'
import { OtpTable } from './constructs/otp-table.js'
import { SenderReputation } from './constructs/sender-reputation.js'
import { WebHosting } from './constructs/web-hosting.js'
import type { DeployConfig } from './deploy-config.js'

export interface OtpStackProps extends StackProps {
  settings: OtpSettings
  deploy: DeployConfig
  /** Resolver and step bundles by name (see `readResolverBundles`). */
  resolverCode: ReadonlyMap<string, string>
  /** The built web app directory. */
  webDistDir: string
}

/** The shortest maximum delivery time SES accepts for a configuration set. */
const MIN_DELIVERY_SECONDS = 300

/**
 * The whole service on AWS: table, API, email Lambda, the sender's reputation (configuration
 * set, SES events, suppression), domain events, firewall, web hosting, alarms and a dashboard.
 */
export class OtpStack extends Stack {
  readonly table: OtpTable
  readonly api: OtpApi
  readonly reputation: SenderReputation
  readonly emailSender: EmailSender
  readonly firewall: ApiFirewall
  readonly web: WebHosting
  readonly alarms: OtpAlarms
  readonly events: DomainEvents
  readonly dashboard: OtpDashboard

  constructor(scope: Construct, id: string, props: OtpStackProps) {
    super(scope, id, props)
    const { settings, deploy } = props
    const removalPolicy = deploy.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY

    this.table = new OtpTable(this, 'Data', { deletionProtection: deploy.deletionProtection })
    const tableName = this.table.table.tableName

    this.api = new OtpApi(this, 'Graphql', {
      table: this.table.table,
      key: this.table.key,
      resolverCode: props.resolverCode,
      environmentVariables: toResolverEnv(settings, tableName),
      apiKeyExpiryDays: deploy.apiKeyExpiryDays,
      apiKeyGeneration: deploy.apiKeyGeneration,
      removalPolicy,
    })

    this.reputation = new SenderReputation(this, 'Reputation', {
      table: this.table.table,
      key: this.table.key,
      // A code is worth nothing once expired: SES gives up then (and reports a bounce).
      maxDeliverySeconds: Math.max(MIN_DELIVERY_SECONDS, settings.codeTtlSeconds),
      apiUrl: this.api.api.graphqlUrl,
      removalPolicy,
    })

    this.emailSender = new EmailSender(this, 'Email', {
      table: this.table.table,
      key: this.table.key,
      configurationSet: this.reputation.configurationSet,
      environment: { ...toLambdaEnv(settings, tableName), API_URL: this.api.api.graphqlUrl },
      senderAddress: settings.senderAddress,
      createSesIdentity: deploy.createSesIdentity,
      sandboxRecipients: deploy.sandboxRecipients,
      reservedConcurrency: deploy.emailReservedConcurrency,
      removalPolicy,
    })

    // Both Lambdas announce delivery state transitions to subscribers (S14); nobody else may.
    this.api.grantPublishDelivery(this.emailSender.handler)
    this.api.grantPublishDelivery(this.reputation.handler)

    this.events = new DomainEvents(this, 'Events', {
      table: this.table.table,
      key: this.table.key,
      removalPolicy,
    })

    this.firewall = new ApiFirewall(this, 'Firewall', {
      apiArn: this.api.api.arn,
      rateLimit: deploy.wafRateLimit,
      signedRateLimit: deploy.wafSignedRateLimit,
      requestOtpRateLimit: deploy.wafRequestOtpRateLimit,
    })

    this.web = new WebHosting(this, 'Web', {
      webDistDir: props.webDistDir,
      apiUrl: this.api.api.graphqlUrl,
      realtimeOrigin: this.api.realtimeOrigin,
      apiKey: this.api.apiKey.attrApiKey,
      settings: toWebConfig(settings),
      removalPolicy,
      autoDeleteObjects: !deploy.deletionProtection,
    })

    this.alarms = new OtpAlarms(this, 'Alarms', {
      api: this.api.api,
      emailHandler: this.emailSender.handler,
      emailEventHandler: this.reputation.handler,
      deadLetterQueue: this.emailSender.deadLetterQueue,
      eventsHandler: this.events.handler,
      eventsDeadLetterQueue: this.events.deadLetterQueue,
      key: this.table.key,
      alarmEmail: deploy.alarmEmail,
    })

    this.dashboard = new OtpDashboard(this, 'Dashboard', {
      api: this.api.api,
      emailHandler: this.emailSender.handler,
      eventsHandler: this.events.handler,
    })

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.api.graphqlUrl,
      description: 'AppSync GraphQL endpoint',
    })
    new CfnOutput(this, 'RealtimeUrl', {
      value: `${this.api.realtimeOrigin}/graphql`,
      description: 'AppSync real-time endpoint (onOtpDelivery); AWS clients derive it from ApiUrl',
    })
    new CfnOutput(this, 'ApiArn', {
      value: this.api.api.arn,
      description:
        'For the IAM policy of a backend: <ApiArn>/types/Mutation/fields/redeemVerification',
    })
    new CfnOutput(this, 'WebUrl', {
      value: `https://${this.web.distribution.distributionDomainName}`,
      description: 'The web app',
    })
    new CfnOutput(this, 'ApiKeyId', {
      value: this.api.apiKey.attrApiKeyId,
      description: 'Id of the public API key (its value is in config.json of the web app)',
    })
    new CfnOutput(this, 'TableName', { value: tableName, description: 'The OTP DynamoDB table' })
    new CfnOutput(this, 'ConfigurationSetName', {
      value: this.reputation.configurationSet.configurationSetName,
      description: 'The SES configuration set every code email goes through',
    })
    new CfnOutput(this, 'EventBusName', {
      value: this.events.bus.eventBusName,
      description: 'Domain events (source otp.email); see docs/events.md',
    })
    new CfnOutput(this, 'AddressHashSaltArn', {
      value: this.events.salt.secretArn,
      description: 'Secret salting addressHash in domain events; read it to match your own hashes',
    })
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: this.emailSender.deadLetterQueue.queueUrl,
      description: 'Emails that could not be sent',
    })
  }
}
