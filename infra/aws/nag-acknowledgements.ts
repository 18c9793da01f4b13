/**
 * The cdk-nag (AWS Solutions) findings this stack accepts on purpose. Each one is
 * acknowledged on the narrowest construct it concerns, with the reason a reviewer needs.
 * Anything not listed here fails `cdk synth` and the infrastructure tests.
 */
import { type Stack, Validations } from 'aws-cdk-lib'
import type { CfnBucket } from 'aws-cdk-lib/aws-s3'
import type { IConstruct } from 'constructs'
import type { OtpStack } from './otp-stack.js'

/** One accepted finding: rule id (with `[finding]` for rules that report several) and why. */
export interface NagAcknowledgement {
  id: string
  reason: string
}

const KMS_WILDCARDS = ['kms:ReEncrypt*', 'kms:GenerateDataKey*']

function acknowledge(scope: IConstruct, acknowledgements: readonly NagAcknowledgement[]): void {
  for (const ack of acknowledgements) Validations.of(scope).acknowledge(ack)
}

/** CDK's shared Lambda behind every BucketDeployment in the stack; its id carries a hash and the memory size. */
function bucketDeploymentProvider(stack: Stack): IConstruct | undefined {
  return stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  )
}

/** Acknowledges the accepted cdk-nag findings on the stack's constructs. */
export function acknowledgeNagFindings(stack: OtpStack): void {
  acknowledge(stack.api.api, [
    {
      id: 'AwsSolutions-ASC3',
      reason:
        'Field logs are at ERROR with verbose content excluded on purpose: verbose request logs would record the one-time codes and verification tokens (invariant S6).',
    },
  ])

  const emailRole = stack.emailSender.handler.role
  if (emailRole) {
    acknowledge(emailRole, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only xray:PutTraceSegments, xray:PutTelemetryRecords and dynamodb:ListStreams (stream ARNs, no records) have Resource "*": none of them supports resource-level permissions. Every other DynamoDB action and every SES, SQS and KMS action names its resource.',
      },
      ...KMS_WILDCARDS.map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${action} comes from the SQS on-failure destination's grantSendMessages for the KMS-encrypted dead-letter queue; the resource is the stack's single data key.`,
      })),
    ])
  }
  const eventRole = stack.reputation.handler.role
  if (eventRole) {
    acknowledge(eventRole, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only xray:PutTraceSegments and xray:PutTelemetryRecords have Resource "*": they support no resource-level permissions. The DynamoDB actions name the table and are limited to session and suppression keys; the KMS actions name the stack key.',
      },
    ])
  }
  const eventsRole = stack.events.handler.role
  if (eventsRole) {
    acknowledge(eventsRole, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only xray:PutTraceSegments, xray:PutTelemetryRecords and dynamodb:ListStreams (stream ARNs, no records) have Resource "*": none supports resource-level permissions. The DynamoDB actions name the table and are limited to session, token and EVENTS# keys; events:PutEvents names the bus; the secret and the KMS key are named.',
      },
      ...KMS_WILDCARDS.map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `${action} comes from the SQS on-failure destination's grant for the KMS-encrypted dead-letter queue; the resource is the stack's single data key.`,
      })),
    ])
  }
  acknowledge(stack.events.deadLetterQueue, [
    {
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the domain events stream mapping, which cdk-nag does not recognise as DLQ usage.',
    },
  ])
  acknowledge(stack.events.salt, [
    {
      id: 'AwsSolutions-SMG4',
      reason:
        'The addressHash salt is not rotated automatically: a new salt changes every address hash, so subscribers could no longer join events of one mailbox across the rotation. Rotate it deliberately (docs/events.md).',
    },
  ])
  acknowledge(stack.emailSender.deadLetterQueue, [
    {
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the email stream mapping (Lambda on-failure destination), which cdk-nag does not recognise as DLQ usage.',
    },
  ])

  acknowledge(stack.web.distribution, [
    {
      id: 'AwsSolutions-CFR1',
      reason: 'The sign-in page serves a worldwide audience; no geography is excluded by policy.',
    },
    {
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves static files only; the API it calls has its own regional web ACL (rate limit and common rule set). A CloudFront web ACL must live in us-east-1, outside this env-agnostic stack.',
    },
    {
      id: 'AwsSolutions-CFR4',
      reason:
        'The default *.cloudfront.net certificate cannot be given a minimum TLS version; add a custom domain with an ACM certificate to enforce TLSv1.2_2021 (see "Custom domain" in docs/deploy.md).',
    },
  ])

  const provider = bucketDeploymentProvider(stack)
  if (provider) {
    const because =
      "aws-cdk-lib's BucketDeployment provider (copies web/dist and config.json into the site bucket)"
    acknowledge(provider, [
      {
        id: 'AwsSolutions-L1',
        reason: `${because} runs on the Python runtime aws-cdk-lib pins; it is not our code and is only invoked during deployments.`,
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${because} uses the basic execution managed policy for its own logs; aws-cdk-lib offers no way to replace it.`,
      },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(
        (action) => ({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `${because} is granted ${action} by aws-cdk-lib, limited to the CDK asset bucket and the site bucket.`,
        }),
      ),
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        reason: `${because} reads the uploaded web asset from objects of the CDK bootstrap asset bucket.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(
          stack.web.bucket.node.defaultChild as CfnBucket,
        )}.Arn>/*]`,
        reason: `${because} writes and prunes objects of the site bucket, which holds nothing but the web app.`,
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${because} creates the CloudFront invalidation after each deploy; aws-cdk-lib grants cloudfront:CreateInvalidation and GetInvalidation on "*".`,
      },
    ])
  }
}
