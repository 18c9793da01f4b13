/**
 * The GraphQL runtime without HTTP: AppSync's scalars and directives plus the API's schema,
 * every pipeline resolver bound to its field, field-level auth from the directives, and
 * responses in AppSync's shape. `execute` runs one request for an already authenticated caller.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  GraphQLError,
  buildSchema,
  defaultFieldResolver,
  execute as executeGraphql,
  isObjectType,
  parse,
  responsePathAsArray,
  validate,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql'
import { table } from '../../api.js'
import { readAppSyncPrelude, type ApiDescription } from './api-description.js'
import { CapacityTally, noneDataSource, type DataSource } from './data-sources.js'
import { createDynamoDbDataSource } from './dynamodb-data-source.js'
import {
  executionErrorEntry,
  fieldErrorEntry,
  FieldRaisedError,
  type AppSyncErrorEntry,
} from './errors.js'
import { allowedModes, authTypeNames } from './field-auth.js'
import { runPipeline, type PipelineResolverRuntime } from './pipeline.js'
import type { Caller } from './request-auth.js'
import { syntaxErrorEntry, validationErrorEntry, variableErrorEntry } from './request-errors.js'
import { loadResolverBundle, type LoadedBundle } from './sandbox.js'
import { installAppSyncScalars } from './scalars.js'
import { selectionSetGraphQL, selectionSetList } from './selection.js'

export interface GraphqlRuntimeOptions {
  api: ApiDescription
  /** `ctx.env` (strings), from `toResolverEnv(settings, tableName)`. */
  resolverEnv: Record<string, string>
  /** Client of the `table` data source; its table is `resolverEnv.TABLE_NAME`. */
  dynamodb: DynamoDBClient
  /** Structured log; never receives arguments or variables. */
  log?: (entry: Record<string, unknown>) => void
}

export interface GraphqlRequest {
  query: string
  variables?: Record<string, unknown> | null
  operationName?: string | null
}

/** A response body as AppSync sends it. */
export interface GraphqlResponseBody {
  data: Record<string, unknown> | null
  errors?: AppSyncErrorEntry[]
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
}

const MAX_CACHED_DOCUMENTS = 500

interface RequestContext {
  caller: Caller
  headers: Record<string, string>
  variables: Record<string, unknown>
  appended: AppSyncErrorEntry[]
}

async function loadPipelines(
  api: ApiDescription,
  dataSources: Record<string, DataSource>,
): Promise<Map<string, PipelineResolverRuntime>> {
  const bundles = new Map<string, LoadedBundle>()
  const bundle = async (name: string) => {
    const code = api.bundles.get(name)
    if (code === undefined) throw new Error(`No bundle named ${name} in the API description`)
    const loaded = bundles.get(name) ?? (await loadResolverBundle(name, code))
    bundles.set(name, loaded)
    return loaded
  }
  const pipelines = new Map<string, PipelineResolverRuntime>()
  for (const resolver of api.resolvers) {
    const steps = []
    for (const stepName of resolver.steps) {
      const step = api.steps.find((s) => s.name === stepName)
      const dataSource = step && dataSources[step.dataSource]
      if (!step || !dataSource)
        throw new Error(`Step ${stepName} of ${resolver.name} has no known data source`)
      steps.push({ name: stepName, bundle: await bundle(stepName), dataSource })
    }
    pipelines.set(`${resolver.typeName}.${resolver.fieldName}`, {
      typeName: resolver.typeName,
      fieldName: resolver.fieldName,
      bundle: await bundle(resolver.name),
      steps,
    })
  }
  return pipelines
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

  const pipelineResolver =
    (pipeline: PipelineResolverRuntime): GraphQLFieldResolver<unknown, RequestContext> =>
    async (source, args, context, info) => {
      const result = await runPipeline(
        pipeline,
        {
          arguments: args,
          source: source ?? null,
          identity: context.caller.identity,
          request: { headers: context.headers, domainName: null },
          info: {
            fieldName: info.fieldName,
            parentTypeName: info.parentType.name,
            variables: context.variables,
            selectionSetList: selectionSetList(info.fieldNodes, info.fragments),
            selectionSetGraphQL: selectionSetGraphQL(info.fieldNodes),
          },
          env: options.resolverEnv,
          authType: authTypeNames[context.caller.mode],
        },
        (entry) => log({ event: 'resolver-log', ...entry }),
      )
      const path = responsePathAsArray(info.path)
      for (const raised of result.appendedErrors)
        context.appended.push(fieldErrorEntry(raised, path, info.fieldNodes, info.fragments))
      if (result.error) throw new FieldRaisedError(result.error)
      return result.value
    }

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue
    for (const field of Object.values(type.getFields())) {
      const modes = allowedModes(type, field)
      const pipeline = pipelines.get(`${type.name}.${field.name}`)
      const inner = pipeline ? pipelineResolver(pipeline) : field.resolve ?? defaultFieldResolver
      field.resolve = (source, args, context: RequestContext, info) => {
        if (!modes.includes(context.caller.mode)) {
          throw new FieldRaisedError({
            message: `Not Authorized to access ${field.name} on type ${type.name}`,
            errorType: 'Unauthorized',
            data: null,
            errorInfo: null,
          })
        }
        return inner(source, args, context, info)
      }
    }
  }

  // Parsing and validating cost more than running a small pipeline; clients repeat the same documents.
  const documents = new Map<string, DocumentNode | GraphqlResponseBody>()
  const prepare = (query: string): DocumentNode | GraphqlResponseBody => {
    const cached = documents.get(query)
    if (cached) return cached
    let prepared: DocumentNode | GraphqlResponseBody
    try {
      const document = parse(query)
      const invalid = validate(schema, document)
      prepared =
        invalid.length > 0
          ? { data: null, errors: invalid.map((error) => validationErrorEntry(error, document)) }
          : document
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error
      prepared = { data: null, errors: [syntaxErrorEntry(error)] }
    }
    if (documents.size >= MAX_CACHED_DOCUMENTS)
      documents.delete(documents.keys().next().value as string)
    documents.set(query, prepared)
    return prepared
  }

  const execute = async (
    request: GraphqlRequest,
    caller: Caller,
    headers: Record<string, string> = {},
  ): Promise<GraphqlResponseBody> => {
    const document = prepare(request.query)
    if (!('kind' in document)) return document
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
    const fragments = Object.fromEntries(
      document.definitions.flatMap((d) =>
        d.kind === 'FragmentDefinition' ? [[d.name.value, d]] : [],
      ),
    )
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
    return errors.length > 0
      ? { data: result.data as Record<string, unknown> | null, errors }
      : { data: result.data as Record<string, unknown> }
  }

  return { schema, execute, consumedCapacity: () => tally.snapshot() }
}
