/**
 * Who may publish delivery updates: `OtpApi.grantPublishDelivery` gives a role `appsync:GraphQL` on
 * the one field `Mutation.publishOtpDelivery`, and the schema lets only IAM callers reach it.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { App, type CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildResolverBundles } from '../../infra/bundle.js'
import { OtpApi, PUBLISH_DELIVERY_MUTATION } from '../../infra/aws/constructs/otp-api.js'
import { OtpTable } from '../../infra/aws/constructs/otp-table.js'

interface Statement {
  Action: unknown
  Effect: string
  Resource: unknown
}

let dir: string
let template: Template
let api: OtpApi
let stack: Stack
let sender: Role
let bystander: Role

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'otp-grant-'))
  const resolverCode = await buildResolverBundles(join(dir, 'resolvers'))
  stack = new Stack(new App({ outdir: join(dir, 'cdk.out') }), 'GrantTest')
  const table = new OtpTable(stack, 'Data', { deletionProtection: false })
  api = new OtpApi(stack, 'Graphql', {
    table: table.table,
    key: table.key,
    resolverCode,
    environmentVariables: {},
    apiKeyExpiryDays: 365,
    apiKeyGeneration: 1,
    removalPolicy: RemovalPolicy.DESTROY,
  })
  sender = new Role(stack, 'Sender', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') })
  bystander = new Role(stack, 'Bystander', {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
  })
  api.grantPublishDelivery(sender)
  template = Template.fromStack(stack)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function statementsOf(roleId: string): Statement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
    Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } }
  }[]
  return policies
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
}

const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement)

describe('OtpApi.grantPublishDelivery', () => {
  it('lets the granted role call appsync:GraphQL on Mutation.publishOtpDelivery and nothing else', () => {
    const apiId = JSON.stringify({ 'Fn::GetAtt': [logicalId(api.api), 'ApiId'] })
    const render = (part: unknown): string => {
      if (typeof part === 'string') return part
      if (JSON.stringify(part) === apiId) return '<api id>'
      const ref = (part as { Ref?: string }).Ref
      return ref?.startsWith('AWS::') ? `<${ref.slice(5).toLowerCase()}>` : JSON.stringify(part)
    }
    const statements = statementsOf(logicalId(sender))
    const resources = statements.map((statement) =>
      (statement.Resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
        .map(render)
        .join(''),
    )
    expect(statements.map(({ Action, Effect }) => ({ Action, Effect }))).toEqual([
      { Action: 'appsync:GraphQL', Effect: 'Allow' },
    ])
    expect(resources).toEqual([
      `arn:<partition>:appsync:<region>:<accountid>:apis/<api id>/types/Mutation/fields/${PUBLISH_DELIVERY_MUTATION}`,
    ])
  })

  it('grants nothing to a role it was not given', () => {
    expect(statementsOf(logicalId(bystander))).toEqual([])
  })
})
