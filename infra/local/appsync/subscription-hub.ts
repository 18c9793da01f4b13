/**
 * Subscriptions as AppSync runs them. A `start` registers a subscription field with its arguments;
 * a mutation that `@aws_subscribe` names publishes its result, as its own selection set returned it
 * (a field the mutation did not select reaches subscribers as null); each subscription whose
 * arguments all equal the same-named fields of that result (AppSync's argument filtering: an
 * argument given as null matches a null field, an omitted one matches anything) receives the
 * result, run through its own selection set with its own caller's field authorization.
 */
import { isDeepStrictEqual } from 'node:util'
import {
  execute,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql'
import { executionErrorEntry, requestErrorEntry, type AppSyncErrorEntry } from './errors.js'
import { allowedModes } from './field-auth.js'
import type { GraphqlRequest, GraphqlResponseBody } from './graphql-types.js'
import type { Caller } from './request-auth.js'
import { variableErrorEntry } from './request-errors.js'
import type { RequestContext } from './resolver-binding.js'
import { readSubscribedMutations } from './subscription-fields.js'

/** An error a `start` is refused with: AppSync's request-error shape, or a bare type and message. */
export type StartErrorEntry = AppSyncErrorEntry | { errorType: string; message: string }

export type StartResult = { errors: StartErrorEntry[] } | { stop(): void }

export interface SubscriptionHub {
  /** Validates a subscription request, checks its caller, and registers it until `stop()`. */
  start(
    request: GraphqlRequest,
    caller: Caller,
    headers: Record<string, string>,
    deliver: (body: GraphqlResponseBody) => void,
  ): StartResult
  /** Publishes the results of an executed mutation to the subscriptions it triggers. */
  publish(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    body: GraphqlResponseBody,
  ): void
  /** Subscriptions registered now. */
  activeCount(): number
}

interface Registration {
  fieldName: string
  arguments: Record<string, unknown>
  document: DocumentNode
  operationName: string | undefined
  variables: Record<string, unknown>
  context: Omit<RequestContext, 'appended'>
  deliver(body: GraphqlResponseBody): void
  /** Deliveries in publication order. */
  queue: Promise<void>
}

export interface SubscriptionHubOptions {
  schema: GraphQLSchema
  /** The parsed, validated document, or the errors to answer with (the HTTP endpoint's cache). */
  prepare(query: string): DocumentNode | GraphqlResponseBody
  log: (entry: Record<string, unknown>) => void
}

/** Builds the hub; reads `@aws_subscribe` from the schema (throws as {@link readSubscribedMutations}). */
export function createSubscriptionHub(options: SubscriptionHubOptions): SubscriptionHub {
  const { schema, prepare, log } = options
  const triggered = readSubscribedMutations(schema)
  const registrations = new Set<Registration>()

  const start: SubscriptionHub['start'] = (request, caller, headers, deliver) => {
    const document = prepare(request.query)
    if (!('kind' in document)) return { errors: document.errors ?? [] }
    const operationName = request.operationName ?? undefined
    const operation = getOperationAST(document, operationName)
    if (!operation) {
      const message = operationName
        ? `Unknown operation named "${operationName}".`
        : 'Must provide operation name if query contains multiple operations.'
      return { errors: [requestErrorEntry(new GraphQLError(message))] }
    }
    if (operation.operation !== 'subscription')
      return {
        errors: [
          {
            errorType: 'UnsupportedOperation',
            message: `${operation.operation} not supported through the realtime channel`,
          },
        ],
      }
    const root = operation.selectionSet.selections[0]
    const subscriptionType = schema.getSubscriptionType()
    if (root?.kind !== Kind.FIELD || !subscriptionType)
      return {
        errors: [
          {
            errorType: 'LocalRuntimeUnsupported',
            message:
              '`a fragment at the root of a subscription` is not supported by the local AppSync runtime',
          },
        ],
      }
    const variables = getVariableValues(
      schema,
      operation.variableDefinitions ?? [],
      request.variables ?? {},
    )
    if (variables.errors)
      return { errors: variables.errors.map((error) => variableErrorEntry(error, document)) }
    const field = subscriptionType.getFields()[root.name.value]
    if (!field) return { errors: [] }
    if (!allowedModes(subscriptionType, field).includes(caller.mode))
      return {
        errors: [
          {
            errorType: 'Unauthorized',
            message: `Not Authorized to access ${field.name} on type ${subscriptionType.name}`,
          },
        ],
      }
    const registration: Registration = {
      fieldName: field.name,
      arguments: getArgumentValues(field, root, variables.coerced),
      document,
      operationName,
      variables: variables.coerced,
      context: { caller, headers, variables: request.variables ?? {} },
      deliver,
      queue: Promise.resolve(),
    }
    registrations.add(registration)
    return { stop: () => void registrations.delete(registration) }
  }

  const deliverTo = async (registration: Registration, payload: unknown): Promise<void> => {
    const context: RequestContext = { ...registration.context, appended: [] }
    const result = await execute({
      schema,
      document: registration.document,
      rootValue: { [registration.fieldName]: payload },
      contextValue: context,
      variableValues: registration.variables,
      operationName: registration.operationName,
    })
    const fragments = fragmentsOf(registration.document)
    const report = (error: GraphQLError) =>
      log({
        event: 'internal-error',
        path: error.path?.join('.'),
        error: error.originalError?.message,
      })
    const errors = [
      ...(result.errors ?? []).map((error) => executionErrorEntry(error, fragments, report)),
      ...context.appended,
    ]
    const data = (result.data ?? null) as Record<string, unknown> | null
    registration.deliver(errors.length > 0 ? { data, errors } : { data: data ?? {} })
  }

  const publish: SubscriptionHub['publish'] = (document, operation, body) => {
    if (operation.operation !== 'mutation' || !body.data) return
    const fragments = fragmentsOf(document)
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue
      const fields = triggered.get(selection.name.value)
      const key = selection.alias?.value ?? selection.name.value
      const value = body.data[key]
      const failed = body.errors?.some((error) => error.path?.[0] === key)
      if (!fields || failed || value === null || value === undefined) continue
      const payload = byFieldName(value, selection.selectionSet, fragments)
      let delivered = 0
      for (const registration of registrations) {
        if (!fields.includes(registration.fieldName)) continue
        if (!argumentsMatch(registration.arguments, payload)) continue
        delivered += 1
        registration.queue = registration.queue.then(() => deliverTo(registration, payload))
      }
      log({ event: 'publish', mutation: selection.name.value, subscribers: delivered })
    }
  }

  return { start, publish, activeCount: () => registrations.size }
}

/** Every argument the subscriber gave equals the published field of the same name. */
function argumentsMatch(args: Record<string, unknown>, payload: unknown): boolean {
  const published = (payload ?? {}) as Record<string, unknown>
  return Object.entries(args).every(([name, value]) =>
    isDeepStrictEqual(published[name] ?? null, value ?? null),
  )
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [],
    ),
  )
}

/** A response value keyed by field names instead of response names (aliases), as AppSync publishes it. */
function byFieldName(
  value: unknown,
  selectionSet: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
): unknown {
  if (value === null || typeof value !== 'object' || !selectionSet) return value
  if (Array.isArray(value)) return value.map((entry) => byFieldName(entry, selectionSet, fragments))
  const source = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value
        if (Object.hasOwn(source, key))
          out[selection.name.value] = byFieldName(source[key], selection.selectionSet, fragments)
      } else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet)
      else {
        const fragment = fragments[selection.name.value]
        if (fragment) visit(fragment.selectionSet)
      }
    }
  }
  visit(selectionSet)
  return out
}
