/**
 * The GraphQL runtime without HTTP: AppSync's scalars and directives plus the API's schema,
 * every pipeline resolver bound to its field, field-level auth from the directives, and
 * responses in AppSync's shape. `execute` runs one request for an already authenticated caller.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  buildSchema,
  execute as executeGraphql,
  getOperationAST,
  type GraphQLError,
  type GraphQLSchema,
} from 'graphql'
import { table } from '../../api.js'
import { readAppSyncPrelude, type ApiDescription } from './api-description.js'
import { CapacityTally, noneDataSource } from './data-sources.js'
import { createDocumentCache } from './document-cache.js'
import { createDynamoDbDataSource } from './dynamodb-data-source.js'
import { executionErrorEntry } from './errors.js'
import type { GraphqlRequest, GraphqlResponseBody } from './graphql-types.js'
import type { Caller } from './request-auth.js'
import { variableErrorEntry } from './request-errors.js'
import { bindResolvers, loadPipelines, type RequestContext } from './resolver-binding.js'
import { installAppSyncScalars } from './scalars.js'
import { fragmentsOf } from './selection.js'
import { createSubscriptionHub, type SubscriptionHub } from './subscription-hub.js'

export type { GraphqlRequest, GraphqlResponseBody } from './graphql-types.js'

export interface GraphqlRuntimeOptions {
  api: ApiDescription
  /** `ctx.env` (strings), from `toResolverEnv(settings, tableName)`. */
  resolverEnv: Record<string, string>
  /** Client of the `table` data source; its table is `resolverEnv.TABLE_NAME`. */
  dynamodb: DynamoDBClient
  /** Structured log; never receives arguments or variables. */
  log?: (entry: Record<string, unknown>) => void
}

export interface GraphqlRuntime {
  readonly schema: GraphQLSchema
  /** Runs one request for an authenticated caller; never throws for a GraphQL-level failure. */
  execute(
    request: GraphqlRequest,
    caller: Caller,
    headers?: Record<string, string>,
  ): Promise<GraphqlResponseBody>
  consumedCapacity(): { readUnits: number; writeUnits: number }
  /** Subscriptions (the real-time endpoint starts them; mutations run by `execute` publish to them). */
  readonly subscriptions: SubscriptionHub
}

/** Why a subscription sent over HTTP is refused (it belongs on the real-time endpoint). */
const SUBSCRIPTION_OVER_HTTP = {
  path: null,
  locations: null,
  errorType: 'LocalRuntimeUnsupported',
  message: '`subscription over HTTP` is not supported by the local AppSync runtime',
}

/**
 * Builds the runtime: parses the schema, loads every bundle into its sandbox, binds resolvers.
 * @throws when the schema is invalid, a bundle is missing or AppSync would refuse one.
 */
export async function createGraphqlRuntime(
  options: GraphqlRuntimeOptions,
): Promise<GraphqlRuntime> {
  const log = options.log ?? (() => undefined)
  const schema = buildSchema(`${await readAppSyncPrelude()}\n${options.api.schema}`)
  installAppSyncScalars(schema)
  const tally = new CapacityTally()
  const tableName = options.resolverEnv.TABLE_NAME ?? table.localName
  const dataSources = {
    table: createDynamoDbDataSource({ client: options.dynamodb, tableName, tally }),
    none: noneDataSource,
  }
  const pipelines = await loadPipelines(options.api, dataSources)

  bindResolvers(schema, pipelines, {
    resolverEnv: options.resolverEnv,
    defaultAuthMode: options.api.defaultAuthMode,
    log,
  })

  const prepare = createDocumentCache(schema)
  const subscriptions = createSubscriptionHub({
    schema,
    prepare,
    log,
    defaultAuthMode: options.api.defaultAuthMode,
  })

  const execute = async (
    request: GraphqlRequest,
    caller: Caller,
    headers: Record<string, string> = {},
  ): Promise<GraphqlResponseBody> => {
    const document = prepare(request.query)
    if (!('kind' in document)) return document
    const operation = getOperationAST(document, request.operationName)
    if (operation?.operation === 'subscription')
      return { data: null, errors: [SUBSCRIPTION_OVER_HTTP] }
    const variables = request.variables ?? {}
    const context: RequestContext = { caller, headers, variables, appended: [] }
    const result = await executeGraphql({
      schema,
      document,
      variableValues: variables,
      operationName: request.operationName,
      contextValue: context,
    })
    if (!('data' in result) || result.data === undefined) {
      return {
        data: null,
        errors: (result.errors ?? []).map((error) => variableErrorEntry(error, document)),
      }
    }
    const fragments = fragmentsOf(document)
    const report = (error: GraphQLError) =>
      log({
        event: 'internal-error',
        path: error.path?.join('.'),
        error: error.originalError?.message,
        stack: error.originalError?.stack,
      })
    const errors = [
      ...(result.errors ?? []).map((error) => executionErrorEntry(error, fragments, report)),
      ...context.appended,
    ]
    const body: GraphqlResponseBody =
      errors.length > 0
        ? { data: result.data as Record<string, unknown> | null, errors }
        : { data: result.data as Record<string, unknown> }
    if (operation) subscriptions.publish(document, operation, body)
    return body
  }

  return { schema, execute, consumedCapacity: () => tally.snapshot(), subscriptions }
}
