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
  /** SigV4-signed (IAM) requests one IP may make in any five minutes. */
  signedRateLimit: number
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
 * Matches a request signed with SigV4 (`Authorization: AWS4-HMAC-SHA256 ...`): the IAM callers,
 * that is the sending Lambdas publishing delivery updates and backends redeeming tokens. Their
 * traffic comes from few IPs at a rate set by the mail volume, so the per-IP limit for browsers
 * would cut off live delivery updates at a few mails per second. A forged header only moves a
 * caller to the signed limit; AppSync still refuses a request whose signature does not verify.
 */
const signedWithSigV4: CfnWebACL.StatementProperty = {
  byteMatchStatement: {
    fieldToMatch: { singleHeader: { Name: 'authorization' } },
    positionalConstraint: 'STARTS_WITH',
    searchString: 'AWS4-HMAC-SHA256',
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
}

/**
 * A regional WAF web ACL in front of the API: a per-IP rate limit on every unsigned request (a
 * higher one on SigV4-signed requests, see `signedWithSigV4`), a tighter one
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
              scopeDownStatement: { notStatement: { statement: signedWithSigV4 } },
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
        {
          name: 'SignedRateLimitPerIp',
          priority: 3,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.signedRateLimit,
              evaluationWindowSec: RATE_WINDOW_SECONDS,
              scopeDownStatement: signedWithSigV4,
            },
          },
          visibilityConfig: visibility(`${prefix}-signed-rate-limit-per-ip`),
        },
      ],
    })
    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.apiArn,
      webAclArn: this.webAcl.attrArn,
    })
  }
}
