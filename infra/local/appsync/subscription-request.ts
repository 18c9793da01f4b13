/**
 * What a `start` asks for, checked as AppSync checks it before registering: a valid document whose
 * operation is a subscription (a query or mutation is `UnsupportedOperation` on this channel), its
 * variables coerced, the caller's mode allowed on the subscription field, the field's arguments.
 */
import {
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql'
import { requestErrorEntry, type AppSyncErrorEntry } from './errors.js'
import { allowedModes, type AuthMode } from './field-auth.js'
import type { GraphqlRequest, GraphqlResponseBody } from './graphql-types.js'
import type { Caller } from './request-auth.js'
import { variableErrorEntry } from './request-errors.js'

/** An error a `start` is refused with: AppSync's request-error shape, or a bare type and message. */
export type StartErrorEntry = AppSyncErrorEntry | { errorType: string; message: string }

/** A subscription ready to register. */
export interface SubscriptionTarget {
  fieldName: string
  /** The field's arguments as given (an omitted argument is absent). */
  arguments: Record<string, unknown>
  document: DocumentNode
  operationName: string | undefined
  /** Coerced variables. */
  variables: Record<string, unknown>
}

const refusal = (errorType: string, message: string) => ({
  errors: [{ errorType, message }],
})

/** The subscription a request names, or the errors AppSync answers its `start` with. */
export function checkSubscriptionRequest(
  schema: GraphQLSchema,
  prepared: DocumentNode | GraphqlResponseBody,
  request: GraphqlRequest,
  caller: Caller,
  defaultAuthMode: AuthMode,
): SubscriptionTarget | { errors: StartErrorEntry[] } {
  if (!('kind' in prepared)) return { errors: prepared.errors ?? [] }
  const document = prepared
  const operationName = request.operationName ?? undefined
  const operation = getOperationAST(document, operationName)
  if (!operation) {
    const message = operationName
      ? `Unknown operation named "${operationName}".`
      : 'Must provide operation name if query contains multiple operations.'
    return { errors: [requestErrorEntry(new GraphQLError(message))] }
  }
  if (operation.operation !== 'subscription')
    return refusal(
      'UnsupportedOperation',
      `${operation.operation} not supported through the realtime channel`,
    )
  // Validation leaves exactly one root selection in a subscription.
  const root = operation.selectionSet.selections[0]
  const type = schema.getSubscriptionType()
  const field = root?.kind === Kind.FIELD ? type?.getFields()[root.name.value] : undefined
  if (root?.kind !== Kind.FIELD || !type || !field)
    return refusal(
      'LocalRuntimeUnsupported',
      '`a fragment at the root of a subscription` is not supported by the local AppSync runtime',
    )
  const variables = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    request.variables ?? {},
  )
  if (variables.errors)
    return { errors: variables.errors.map((error) => variableErrorEntry(error, document)) }
  if (!allowedModes(type, field, defaultAuthMode).includes(caller.mode))
    return refusal('Unauthorized', `Not Authorized to access ${field.name} on type ${type.name}`)
  return {
    fieldName: field.name,
    arguments: getArgumentValues(field, root, variables.coerced),
    document,
    operationName,
    variables: variables.coerced,
  }
}
