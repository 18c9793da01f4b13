/**
 * Binds the API to a schema: each pipeline resolver's bundles loaded into their sandboxes and
 * attached to its field, and every field guarded by the auth modes its directives allow.
 */
import {
  defaultFieldResolver,
  isObjectType,
  responsePathAsArray,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql'
import type { ApiDescription } from './api-description.js'
import type { DataSource } from './data-sources.js'
import { fieldErrorEntry, FieldRaisedError, type AppSyncErrorEntry } from './errors.js'
import { allowedModes, authTypeNames, type AuthMode } from './field-auth.js'
import { runPipeline, type PipelineResolverRuntime } from './pipeline.js'
import type { Caller } from './request-auth.js'
import { loadResolverBundle, type LoadedBundle } from './sandbox.js'

/** What every field resolver of one request shares. */
export interface RequestContext {
  caller: Caller
  headers: Record<string, string>
  variables: Record<string, unknown>
  appended: AppSyncErrorEntry[]
}

/** Loads every bundle the API names (each once) and assembles its pipelines by field. */
export async function loadPipelines(
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

export interface BindingOptions {
  resolverEnv: Record<string, string>
  /** The mode a type or field without an auth directive allows. */
  defaultAuthMode: AuthMode
  log: (entry: Record<string, unknown>) => void
}

/** Replaces the resolvers of `schema`'s fields: pipelines where the API binds one, auth checks everywhere. */
export function bindResolvers(
  schema: GraphQLSchema,
  pipelines: Map<string, PipelineResolverRuntime>,
  options: BindingOptions,
): void {
  const log = options.log
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
      const modes = allowedModes(type, field, options.defaultAuthMode)
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
}
