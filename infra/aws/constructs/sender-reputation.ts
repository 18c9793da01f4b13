import { Duration, type RemovalPolicy } from 'aws-cdk-lib'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { EventBus, Rule } from 'aws-cdk-lib/aws-events'
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs'
import {
  ConfigurationSet,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses'
import { Construct } from 'constructs'
import { emailEvents } from '../../api.js'
import { SESSION_KEY_PREFIX, suppressionKey } from '../../model.js'
import { onlyKeysStartingWith } from './email-sender.js'
import { createNodeFunction } from './node-function.js'

export interface SenderReputationProps {
  table: ITable
  key: IKey
  /** Seconds SES keeps trying to deliver a mail (300..50,400): no longer than a code is worth. */
  maxDeliverySeconds: number
  /** The GraphQL URL the event Lambda publishes delivery updates to (`API_URL`). */
  apiUrl: string
  removalPolicy: RemovalPolicy
}

/** The SES event type of each EventBridge detail-type `infra/api.ts` lists. */
const publishedEvents: Readonly<Record<keyof typeof emailEvents.detailTypes, EmailSendingEvent>> = {
  Send: EmailSendingEvent.SEND,
  Delivery: EmailSendingEvent.DELIVERY,
  DeliveryDelay: EmailSendingEvent.DELIVERY_DELAY,
  Bounce: EmailSendingEvent.BOUNCE,
  Complaint: EmailSendingEvent.COMPLAINT,
  Reject: EmailSendingEvent.REJECT,
}

/**
 * What keeps the sender's reputation (S13) and the delivery state (S14): the SES configuration
 * set every mail goes through (SES's suppression list for bounces and complaints, reputation
 * metrics, delivery attempts bounded by the code's lifetime), its event destination on
 * EventBridge's default bus, and the rule that hands those events to the SES event Lambda of
 * `infra/api.ts` `emailEvents`, which may update session items and write suppression items only.
 */
export class SenderReputation extends Construct {
  readonly configurationSet: ConfigurationSet
  readonly handler: NodejsFunction
  readonly rule: Rule

  constructor(scope: Construct, id: string, props: SenderReputationProps) {
    super(scope, id)
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      sendingEnabled: true,
      maxDeliveryDuration: Duration.seconds(props.maxDeliverySeconds),
    })
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(
        EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      ),
      events: Object.values(publishedEvents),
    })

    this.handler = createNodeFunction(this, {
      ...emailEvents,
      environment: { TABLE_NAME: props.table.tableName, API_URL: props.apiUrl },
      removalPolicy: props.removalPolicy,
    })
    this.handler.configureAsyncInvoke({
      retryAttempts: emailEvents.retryAttempts,
      maxEventAge: Duration.seconds(emailEvents.maxEventAgeSeconds),
    })
    this.handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: onlyKeysStartingWith(SESSION_KEY_PREFIX),
      }),
    )
    this.handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [props.table.tableArn],
        conditions: onlyKeysStartingWith(suppressionKey('')),
      }),
    )
    props.key.grant(
      this.handler,
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
    )

    // Only this configuration set's mail: another sender of the account has its own events.
    this.rule = new Rule(this, 'SesEvents', {
      description: 'SES events of the one-time-code configuration set, to the SES event Lambda',
      eventPattern: {
        source: ['aws.ses'],
        detailType: Object.values(emailEvents.detailTypes),
        detail: {
          mail: {
            tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] },
          },
        },
      },
      targets: [new LambdaFunction(this.handler)],
    })
  }
}
