import { join } from 'node:path'
import { Duration, Expiration, type RemovalPolicy, Stack } from 'aws-cdk-lib'
import type { CfnApiKey, CfnGraphQLApi } from 'aws-cdk-lib/aws-appsync'
import {
  AppsyncFunction,
  AuthorizationType,
  type BaseDataSource,
  Code,
  Definition,
  FieldLogLevel,
  FunctionRuntime,
  GraphqlApi,
  IntrospectionConfig,
  Resolver,
} from 'aws-cdk-lib/aws-appsync'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { type Grant, type IGrantable, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import {
  type DataSourceName,
  dataSources,
  pipelineResolvers,
  pipelineSteps,
  repoRoot,
  resolverTableActions,
  schemaFile,
} from '../../api.js'
import { TableDataSource } from './table-data-source.js'

export interface OtpApiProps {
  table: ITable
  /** The table's customer-managed key. */
  key: IKey
  /** Bundle code by name (`infra/api.ts` `bundleNames()`), as `npm run build:resolvers` wrote it. */
  resolverCode: ReadonlyMap<string, string>
  /** AppSync environment variables: `toResolverEnv(settings, table.tableName)`. */
  environmentVariables: Record<string, string>
  apiKeyExpiryDays: number
  /** A new generation is a new key resource: CloudFormation creates it and deletes the old one. */
  apiKeyGeneration: number
  removalPolicy: RemovalPolicy
}

/** Deepest query AppSync accepts; ours are two levels deep, so five leaves room and stops abuse. */
const QUERY_DEPTH_LIMIT = 5
/** Resolvers one request may invoke; every operation of the schema invokes one pipeline. */
const RESOLVER_COUNT_LIMIT = 10

/** The IAM-only mutation whose every call AppSync publishes to the `onOtpDelivery` subscribers. */
export const PUBLISH_DELIVERY_MUTATION = 'publishOtpDelivery'

/**
 * The AppSync API of `infra/api.ts`: the schema, the data sources, every pipeline step and
 * pipeline resolver from the same bundles the local stack runs, IAM auth plus the API key.
 */
export class OtpApi extends Construct {
  readonly api: GraphqlApi
  /** The default API key resource; its id is an output, its value goes only into `config.json`. */
  readonly apiKey: CfnApiKey
  /** `wss://<api id>.appsync-realtime-api.<region>.amazonaws.com`: where subscriptions connect. */
  readonly realtimeOrigin: string

  constructor(scope: Construct, id: string, props: OtpApiProps) {
    super(scope, id)
    this.api = new GraphqlApi(this, 'Api', {
      name: `${Stack.of(this).stackName}-api`,
      definition: Definition.fromFile(join(repoRoot, schemaFile)),
      // IAM by default (infra/api.ts `authorization`): the API key reaches only what the schema
      // marks @aws_api_key, so a new field stays private to backends until someone decides otherwise.
      authorizationConfig: {
        defaultAuthorization: { authorizationType: AuthorizationType.IAM },
        additionalAuthorizationModes: [
          {
            authorizationType: AuthorizationType.API_KEY,
            apiKeyConfig: {
              name: `Generation${props.apiKeyGeneration}`,
              description: 'Public key of the web app (requestOtp, verifyOtp)',
              expires: Expiration.after(Duration.days(props.apiKeyExpiryDays)),
            },
          },
        ],
      },
      xrayEnabled: true,
      introspectionConfig: IntrospectionConfig.ENABLED,
      queryDepthLimit: QUERY_DEPTH_LIMIT,
      resolverCountLimit: RESOLVER_COUNT_LIMIT,
      environmentVariables: props.environmentVariables,
    })
    this.enableLogging(props.removalPolicy)
    this.apiKey = this.api.node.findChild(`Generation${props.apiKeyGeneration}ApiKey`) as CfnApiKey
    this.realtimeOrigin = `wss://${(this.api.node.defaultChild as CfnGraphQLApi).attrRealtimeDns}`

    const sources: Record<DataSourceName, BaseDataSource> = {
      table: new TableDataSource(this.api, 'TableSource', {
        api: this.api,
        table: props.table,
        key: props.key,
        actions: resolverTableActions,
        name: 'table',
        description: dataSources.table.description,
      }),
      none: this.api.addNoneDataSource('NoneSource', {
        name: 'none',
        description: dataSources.none.description,
      }),
    }

    const code = (name: string): Code => {
      const bundle = props.resolverCode.get(name)
      if (bundle === undefined)
        throw new Error(`No bundle for ${name}; run \`npm run build:resolvers\``)
      return Code.fromInline(bundle)
    }

    const steps = new Map<string, AppsyncFunction>()
    for (const step of pipelineSteps) {
      const fn = new AppsyncFunction(this, `Step${step.name}`, {
        api: this.api,
        name: step.name,
        dataSource: sources[step.dataSource],
        runtime: FunctionRuntime.JS_1_0_0,
        code: code(step.name),
      })
      steps.set(step.name, fn)
    }

    for (const resolver of pipelineResolvers) {
      new Resolver(this, `Resolver${resolver.name}`, {
        api: this.api,
        typeName: resolver.typeName,
        fieldName: resolver.fieldName,
        runtime: FunctionRuntime.JS_1_0_0,
        code: code(resolver.name),
        pipelineConfig: resolver.steps.map((name) => {
          const fn = steps.get(name)
          if (!fn) throw new Error(`${resolver.name} names unknown step ${name}`)
          return fn
        }),
      })
    }
  }

  /**
   * Lets `grantee` (the sending side's role) call `publishOtpDelivery` and nothing else of the API:
   * `appsync:GraphQL` on that one field. The mutation allows IAM only, so no other caller can
   * publish delivery updates.
   */
  grantPublishDelivery(grantee: IGrantable): Grant {
    return this.api.grantMutation(grantee, PUBLISH_DELIVERY_MUTATION)
  }

  /**
   * Field logs at ERROR without verbose content: request and response bodies (which carry
   * codes) never reach the logs. Set on the L1 resource because the L2 `logConfig` adds a
   * log-retention Lambda with a managed policy; an own role and log group replace both.
   */
  private enableLogging(removalPolicy: RemovalPolicy): void {
    const role = new Role(this, 'LogsRole', {
      assumedBy: new ServicePrincipal('appsync.amazonaws.com'),
    })
    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy,
    })
    logGroup.grantWrite(role)
    const cfnApi = this.api.node.defaultChild as CfnGraphQLApi
    cfnApi.logConfig = {
      cloudWatchLogsRoleArn: role.roleArn,
      fieldLogLevel: FieldLogLevel.ERROR,
      excludeVerboseContent: true,
    }
  }
}
