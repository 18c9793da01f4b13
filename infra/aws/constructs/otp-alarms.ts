import { Duration } from 'aws-cdk-lib'
import type { IGraphqlApi } from 'aws-cdk-lib/aws-appsync'
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
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
import { emailEvents } from '../../api.js'

export interface OtpAlarmsProps {
  api: IGraphqlApi
  emailHandler: IFunction
  /** The SES event Lambda (delivery state and suppression). */
  emailEventHandler: IFunction
  deadLetterQueue: IQueue
  /** The events Lambda (domain events) and the on-failure queue of its stream mapping. */
  eventsHandler: IFunction
  eventsDeadLetterQueue: IQueue
  /** Encrypts the alarm topic. */
  key: IKey
  /** Subscribe this address to an alarm topic; without it the alarms only show in CloudWatch. */
  alarmEmail: string | undefined
}

const PERIOD = Duration.minutes(5)

/**
 * SES reviews an account at a 5% bounce rate (0.1% complaints) and pauses its sending at 10%
 * (0.5%), for every mail of the account. These alarms ring well before: SES's own reputation
 * metrics (account-wide fractions) at 2% bounces and 0.05% complaints.
 */
export const BOUNCE_RATE_ALARM = 0.02
export const COMPLAINT_RATE_ALARM = 0.0005
/** Mailboxes suppressed per mail SES accepted, over an hour with at least SUPPRESSION_RATE_MIN_SENDS mails. */
export const SUPPRESSION_RATE_ALARM = 0.02
export const SUPPRESSION_RATE_MIN_SENDS = 50

/** A code older than this when its record is read has lost much of its 10 minutes. */
export const EMAIL_BACKLOG_ALARM_MS = 60_000

const REPUTATION_PERIOD = Duration.minutes(15)
const SUPPRESSION_PERIOD = Duration.hours(1)

/**
 * The signals that need a person: mail that could not be sent (dead letters), a Lambda failing,
 * the API answering 5xx, and the sender's reputation (SES's bounce and complaint rates, our own
 * suppression rate): a paused SES account is an outage of every mail the operator sends.
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
    const atLeast = (
      alarmId: string,
      description: string,
      metric: IMetric,
      threshold: number,
    ): Alarm =>
      new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      })
    const reputation = (metricName: string): Metric =>
      new Metric({
        namespace: 'AWS/SES',
        metricName,
        period: REPUTATION_PERIOD,
        statistic: 'Maximum',
      })
    const handlerMetric = (metricName: string): Metric =>
      new Metric({
        namespace: emailEvents.metrics.namespace,
        metricName,
        dimensionsMap: { service: emailEvents.metrics.service },
        period: SUPPRESSION_PERIOD,
        statistic: 'Sum',
      })
    const suppressionRate = (): MathExpression =>
      new MathExpression({
        label: 'Suppressed mailboxes per mail sent',
        expression: `IF(FILL(sent, 0) >= ${SUPPRESSION_RATE_MIN_SENDS}, FILL(suppressed, 0) / FILL(sent, 1), 0)`,
        usingMetrics: {
          sent: handlerMetric(emailEvents.metrics.sent),
          suppressed: handlerMetric(emailEvents.metrics.suppressed),
        },
        period: SUPPRESSION_PERIOD,
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
        'EmailEventErrorsAlarm',
        'The SES event Lambda failed (Lambda retries it twice; see its logs)',
        props.emailEventHandler.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      ),
      atLeast(
        'BounceRateAlarm',
        `SES's bounce rate of the account reached ${
          BOUNCE_RATE_ALARM * 100
        }% (review at 5%, pause at 10%)`,
        reputation('Reputation.BounceRate'),
        BOUNCE_RATE_ALARM,
      ),
      atLeast(
        'ComplaintRateAlarm',
        `SES's complaint rate of the account reached ${
          COMPLAINT_RATE_ALARM * 100
        }% (review at 0.1%, pause at 0.5%)`,
        reputation('Reputation.ComplaintRate'),
        COMPLAINT_RATE_ALARM,
      ),
      atLeast(
        'SuppressionRateAlarm',
        `More than ${
          SUPPRESSION_RATE_ALARM * 100
        }% of the codes mailed in an hour ended in a suppressed mailbox (hard bounce or complaint)`,
        suppressionRate(),
        SUPPRESSION_RATE_ALARM,
      ),
      anyOver(
        'EventsErrorsAlarm',
        'The domain events Lambda failed (the stream mapping retries it; see its logs)',
        props.eventsHandler.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      ),
      anyOver(
        'EventsDeadLettersAlarm',
        'Stream records of sessions or tokens whose domain events could not be published',
        props.eventsDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: 'Maximum',
        }),
      ),
      atLeast(
        'EmailBacklogAlarm',
        `Codes wait more than ${
          EMAIL_BACKLOG_ALARM_MS / 1000
        } s in the stream before the email Lambda reads them (send rate or concurrency too low for the load)`,
        props.emailHandler.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum' }),
        EMAIL_BACKLOG_ALARM_MS,
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
