import { Duration } from 'aws-cdk-lib'
import type { IGraphqlApi } from 'aws-cdk-lib/aws-appsync'
import {
  Alarm,
  ComparisonOperator,
  Metric,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch'
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions'
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { IFunction } from 'aws-cdk-lib/aws-lambda'
import { Topic } from 'aws-cdk-lib/aws-sns'
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions'
import type { IQueue } from 'aws-cdk-lib/aws-sqs'
import { Construct } from 'constructs'

export interface OtpAlarmsProps {
  api: IGraphqlApi
  emailHandler: IFunction
  deadLetterQueue: IQueue
  /** Encrypts the alarm topic. */
  key: IKey
  /** Subscribe this address to an alarm topic; without it the alarms only show in CloudWatch. */
  alarmEmail: string | undefined
}

const PERIOD = Duration.minutes(5)

/**
 * The three signals that need a person: mail that could not be sent (dead letters), the
 * email Lambda failing, and the API answering 5xx.
 */
export class OtpAlarms extends Construct {
  readonly alarms: Alarm[]
  readonly topic: Topic | undefined

  constructor(scope: Construct, id: string, props: OtpAlarmsProps) {
    super(scope, id)
    const anyOver = (alarmId: string, description: string, metric: IMetric): Alarm =>
      new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      })
    this.alarms = [
      anyOver(
        'DeadLettersAlarm',
        'Codes that could not be emailed are waiting in the dead-letter queue',
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: 'Maximum',
        }),
      ),
      anyOver(
        'EmailErrorsAlarm',
        'The email Lambda failed (it retries; see its logs)',
        props.emailHandler.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      ),
      anyOver(
        'Api5xxAlarm',
        'The AppSync API answered with server errors',
        new Metric({
          namespace: 'AWS/AppSync',
          metricName: '5XXError',
          dimensionsMap: { GraphQLAPIId: props.api.apiId },
          period: PERIOD,
          statistic: 'Sum',
        }),
      ),
    ]

    if (props.alarmEmail !== undefined) {
      this.topic = new Topic(this, 'Topic', { masterKey: props.key, enforceSSL: true })
      // CloudWatch publishes to the encrypted topic with the key.
      props.key.grant(
        new ServicePrincipal('cloudwatch.amazonaws.com'),
        'kms:Decrypt',
        'kms:GenerateDataKey*',
      )
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail))
      for (const alarm of this.alarms) alarm.addAlarmAction(new SnsAction(this.topic))
    }
  }
}
