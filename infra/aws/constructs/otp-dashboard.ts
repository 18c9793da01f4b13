import { Duration } from 'aws-cdk-lib'
import type { IGraphqlApi } from 'aws-cdk-lib/aws-appsync'
import {
  Dashboard,
  GraphWidget,
  LogQueryWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch'
import type { IFunction } from 'aws-cdk-lib/aws-lambda'
import { Construct } from 'constructs'
import { domainEvents, emailSender } from '../../api.js'

export interface OtpDashboardProps {
  api: IGraphqlApi
  emailHandler: IFunction
  eventsHandler: IFunction
}

const HOUR = Duration.hours(1)

/** A domain-event count (functions/publish-domain-events) summed per hour. */
export function funnelMetric(eventType: string, period: Duration = HOUR): Metric {
  return new Metric({
    namespace: domainEvents.metrics.namespace,
    metricName: eventType,
    dimensionsMap: { service: domainEvents.metrics.service },
    period,
    statistic: 'Sum',
    label: eventType,
  })
}

function senderMetric(metricName: string): Metric {
  return new Metric({
    namespace: emailSender.metrics.namespace,
    metricName,
    dimensionsMap: { service: emailSender.metrics.service },
    period: Duration.minutes(1),
    statistic: 'Sum',
    label: metricName,
  })
}

/**
 * The operator's view: the funnel per hour (requested, delivered, verified, locked, expired),
 * conversion, time to inbox, bounce and complaint rates, lockouts and rate-limit refusals by
 * reason, and the sender against SES's send rate. Funnel and time to inbox come from the events
 * Lambda's metrics; refusals are GraphQL errors of APPSYNC_JS resolvers, visible only in the API's
 * log group, so they are counted by a Logs Insights query.
 */
export class OtpDashboard extends Construct {
  readonly dashboard: Dashboard

  constructor(scope: Construct, id: string, props: OtpDashboardProps) {
    super(scope, id)
    const requested = funnelMetric('OtpRequested')
    const verified = funnelMetric('OtpVerified')
    const delivered = funnelMetric('OtpDelivered')
    const timeToInbox = (statistic: string) =>
      new Metric({
        namespace: domainEvents.metrics.namespace,
        metricName: domainEvents.metrics.timeToInbox,
        dimensionsMap: { service: domainEvents.metrics.service },
        period: HOUR,
        statistic,
        label: `time to inbox ${statistic}`,
      })
    const ses = (metricName: string, label: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, period: HOUR, statistic: 'Maximum', label })

    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
      widgets: [
        [
          new TextWidget({
            markdown:
              '# Email one-time codes\nFunnel from the domain events (docs/events.md); sending from the email Lambda (docs/operations.md).',
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'Funnel per hour',
            width: 12,
            left: ['OtpRequested', 'OtpDelivered', 'OtpVerified', 'OtpLocked', 'OtpExpired'].map(
              (type) => funnelMetric(type),
            ),
          }),
          new GraphWidget({
            title: 'Conversion: verified ÷ requested (%)',
            width: 6,
            left: [
              new MathExpression({
                label: 'conversion %',
                expression: 'IF(requested > 0, 100 * verified / requested, 0)',
                usingMetrics: { requested, verified },
                period: HOUR,
              }),
            ],
            leftYAxis: { min: 0, max: 100 },
          }),
          new SingleValueWidget({
            title: 'Delivered ÷ requested, last 24 h (%)',
            width: 6,
            metrics: [
              new MathExpression({
                label: 'delivered %',
                expression: 'IF(requested > 0, 100 * delivered / requested, 0)',
                usingMetrics: {
                  requested: funnelMetric('OtpRequested', Duration.days(1)),
                  delivered: funnelMetric('OtpDelivered', Duration.days(1)),
                },
                period: Duration.days(1),
              }),
            ],
          }),
        ],
        [
          new GraphWidget({
            title: 'Time to inbox (requestOtp → SES Delivery), ms',
            width: 8,
            left: [timeToInbox('p50'), timeToInbox('p95')],
          }),
          new GraphWidget({
            title: 'Bounce and complaint rates',
            width: 8,
            left: [
              ses('Reputation.BounceRate', 'SES bounce rate (account)'),
              ses('Reputation.ComplaintRate', 'SES complaint rate (account)'),
              new MathExpression({
                label: 'bounced ÷ delivered (codes)',
                expression: 'IF(delivered > 0, bounced / delivered, 0)',
                usingMetrics: { delivered, bounced: funnelMetric('OtpBounced') },
                period: HOUR,
              }),
            ],
          }),
          new GraphWidget({
            title: 'Lockouts and expiries per hour',
            width: 8,
            left: [funnelMetric('OtpLocked'), funnelMetric('OtpExpired')],
          }),
        ],
        [
          new LogQueryWidget({
            title: 'Rate-limit refusals by reason (AppSync logs)',
            width: 12,
            logGroupNames: [`/aws/appsync/apis/${props.api.apiId}`],
            queryLines: [
              'filter @message like /TooManyRequests/',
              'parse @message /"reason"\\s*:\\s*"(?<reason>[A-Z_]+)"/',
              'stats count(*) as refusals by reason, bin(1h)',
            ],
          }),
          new GraphWidget({
            title: 'Sender per minute: mails handed to SES, retries, failures',
            width: 12,
            left: [
              senderMetric(emailSender.metrics.sent),
              senderMetric(emailSender.metrics.retried),
              senderMetric(emailSender.metrics.failed),
            ],
            right: [
              props.emailHandler.metric('IteratorAge', {
                statistic: 'Maximum',
                period: Duration.minutes(1),
                label: 'stream backlog (iterator age, ms)',
              }),
            ],
          }),
        ],
        [
          new GraphWidget({
            title: 'Lambda errors',
            width: 24,
            left: [
              props.emailHandler.metricErrors({ label: 'email Lambda' }),
              props.eventsHandler.metricErrors({ label: 'events Lambda' }),
            ],
          }),
        ],
      ],
    })
  }
}
