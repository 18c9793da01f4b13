import { Stack } from 'aws-cdk-lib'
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2'
import { Construct } from 'constructs'

export interface ApiFirewallProps {
  /** ARN of the AppSync API to protect. */
  apiArn: string
  /** Requests one client IP may make in any five minutes. */
  rateLimit: number
  /** `requestOtp` requests one client IP may make in any five minutes. */
  requestOtpRateLimit: number
}

const RATE_WINDOW_SECONDS = 300

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
})

/**
 * Matches a request whose body names `requestOtp` anywhere, after decoding JavaScript escapes
 * (`\u0072equestOtp` inside a JSON string is `requestOtp` to AppSync) and lower-casing. A body too
 * large for WAF to inspect counts as a match: padding cannot hide the field.
 */
const namesRequestOtp: CfnWebACL.StatementProperty = {
  byteMatchStatement: {
    fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
    positionalConstraint: 'CONTAINS',
    searchString: 'requestotp',
    textTransformations: [
      { priority: 0, type: 'JS_DECODE' },
      { priority: 1, type: 'LOWERCASE' },
    ],
  },
}

/**
 * A regional WAF web ACL in front of the API: a per-IP rate limit on every request, a tighter one
 * on requests that ask for a code (both answered with 429, the status clients already retry on),
 * and AWS's common rule set. The resolvers' per-address quotas stop abuse of one mailbox; these
 * stop one client flooding many, and sending mail costs more than checking a code.
 */
export class ApiFirewall extends Construct {
  readonly webAcl: CfnWebACL

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id)
    const prefix = Stack.of(this).stackName
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${prefix}-api`),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.rateLimit,
              evaluationWindowSec: RATE_WINDOW_SECONDS,
            },
          },
          visibilityConfig: visibility(`${prefix}-rate-limit-per-ip`),
        },
        {
          name: 'RequestOtpRateLimitPerIp',
          priority: 1,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.requestOtpRateLimit,
              evaluationWindowSec: RATE_WINDOW_SECONDS,
              scopeDownStatement: namesRequestOtp,
            },
          },
          visibilityConfig: visibility(`${prefix}-request-otp-rate-limit-per-ip`),
        },
        {
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 2,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
          },
          visibilityConfig: visibility(`${prefix}-common-rule-set`),
        },
      ],
    })
    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.apiArn,
      webAclArn: this.webAcl.attrArn,
    })
  }
}
