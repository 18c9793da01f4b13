/**
 * Subscriptions as AppSync runs them. A `start` registers a subscription field with its arguments;
 * a mutation that `@aws_subscribe` names publishes its result, as its own selection set returned it
 * (a field the mutation did not select reaches subscribers as null); each subscription whose
 * arguments all equal the same-named fields of that result (AppSync's argument filtering: an
 * argument given as null matches a null field, an omitted one matches anything) receives the
 * result, run through its own selection set with its own caller's field authorization.
 */
import type { AuthMode } from './field-auth.js'
import { isDeepStrictEqual } from 'node:util'
import {
  execute,
  Kind,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql'
import { executionErrorEntry } from './errors.js'
import type { GraphqlRequest, GraphqlResponseBody } from './graphql-types.js'
import type { Caller } from './request-auth.js'
import type { RequestContext } from './resolver-binding.js'
import { fragmentsOf, projectSelection } from './selection.js'
import { readSubscribedMutations } from './subscription-fields.js'
import {
  checkSubscriptionRequest,
  type StartErrorEntry,
  type SubscriptionTarget,
} from './subscription-request.js'

export type { StartErrorEntry } from './subscription-request.js'

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

interface Registration extends SubscriptionTarget {
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
  /** The API's default authorization mode: a subscription field without auth directives allows it alone. */
  defaultAuthMode: AuthMode
}

/** Builds the hub; reads `@aws_subscribe` from the schema (throws as {@link readSubscribedMutations}). */
export function createSubscriptionHub(options: SubscriptionHubOptions): SubscriptionHub {
  const { schema, prepare, log, defaultAuthMode } = options
  const triggered = readSubscribedMutations(schema)
  const registrations = new Set<Registration>()

  const start: SubscriptionHub['start'] = (request, caller, headers, deliver) => {
    const target = checkSubscriptionRequest(
      schema,
      prepare(request.query),
      request,
      caller,
      defaultAuthMode,
    )
    if ('errors' in target) return target
    const registration: Registration = {
      ...target,
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
    // Stopped while this delivery waited: `complete` has been sent, nothing may follow it.
    if (!registrations.has(registration)) return
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
      const payload = projectSelection(value, selection.selectionSet, fragments, {
        from: 'responseName',
        to: 'fieldName',
      })
      let delivered = 0
      for (const registration of registrations) {
        if (!fields.includes(registration.fieldName)) continue
        if (!argumentsMatch(registration.arguments, payload)) continue
        delivered += 1
        registration.queue = registration.queue
          .then(() => deliverTo(registration, payload))
          .catch((error: unknown) =>
            log({ event: 'internal-error', error: error instanceof Error ? error.message : error }),
          )
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
