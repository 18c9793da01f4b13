import { Stack } from 'aws-cdk-lib'
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2'
import { Construct } from 'constructs'

export interface ApiFirewallProps {
  /** ARN of the AppSync API to protect. */
  apiArn: string
  /** Requests one client IP may make in any five minutes. */
  rateLimit: number
}

const RATE_WINDOW_SECONDS = 300

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
})

/**
 * A regional WAF web ACL in front of the API: a per-IP rate limit (answered with 429, the
 * status clients already retry on) and AWS's common rule set. The resolvers' per-address
 * quotas stop abuse of one mailbox; this stops one client flooding many.
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
          name: 'AWSManagedRulesCommonRuleSet',
          priority: 1,
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
