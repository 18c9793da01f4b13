/**
 * GraphQL errors in AppSync's shape: `{ path, data, errorType, errorInfo, locations, message }`,
 * locations carrying `sourceName: null`. `data` from `util.error` is filtered by the field's
 * selection set; `errorInfo` is not. Unexpected failures become a generic error, never a stack.
 */
import { GraphQLError, Kind, type FieldNode, type FragmentDefinitionNode } from 'graphql'
import type { RaisedError } from './runtime-lib/host.js'
import { ScalarValidationError } from './scalars.js'
import { projectSelection } from './selection.js'

/** One entry of a response's `errors`. */
export interface AppSyncErrorEntry {
  path: readonly (string | number)[] | null
  data?: unknown
  errorType?: string | null
  errorInfo?: unknown
  locations: { line: number; column: number; sourceName: null }[] | null
  message: string
}

/** A field error raised by resolver code (`util.error`, an exception) or by the runtime (auth). */
export class FieldRaisedError extends Error {
  override name = 'FieldRaisedError'
  constructor(readonly raised: RaisedError) {
    super(raised.message)
  }
}

/** The generic message for a failure inside the local runtime (details go to the server log). */
const INTERNAL_FAILURE_MESSAGE = 'An internal failure occurred while resolving this field.'

function locationsOf(error: GraphQLError): AppSyncErrorEntry['locations'] {
  return error.locations
    ? error.locations.map(({ line, column }) => ({ line, column, sourceName: null }))
    : null
}

/** An error raised while resolving a field, in AppSync's shape. */
export function fieldErrorEntry(
  raised: RaisedError,
  path: readonly (string | number)[],
  nodes: readonly FieldNode[],
  fragments: Record<string, FragmentDefinitionNode>,
): AppSyncErrorEntry {
  const located = new GraphQLError(raised.message, { nodes })
  return {
    path,
    // As util.error's data is keyed: by field name, answered by response name.
    data: projectSelection(raised.data, nodes[0]?.selectionSet, fragments, {
      from: 'fieldName',
      to: 'responseName',
    }),
    errorType: raised.errorType,
    errorInfo: raised.errorInfo,
    locations: locationsOf(located),
    message: raised.message,
  }
}

/** An error graphql-js reported during execution (a raised field error, or anything unexpected). */
export function executionErrorEntry(
  error: GraphQLError,
  fragments: Record<string, FragmentDefinitionNode>,
  report: (error: GraphQLError) => void,
): AppSyncErrorEntry {
  const original = error.originalError
  const path = error.path ?? null
  if (original instanceof FieldRaisedError) {
    const nodes = (error.nodes ?? []).filter((node): node is FieldNode => node.kind === Kind.FIELD)
    return fieldErrorEntry(original.raised, path ?? [], nodes, fragments)
  }
  if (original instanceof ScalarValidationError) {
    // A resolver returned a value its scalar refuses (graphql-java words it this way).
    const where = (path ?? []).join('/')
    return {
      path,
      data: null,
      errorType: null,
      errorInfo: null,
      locations: locationsOf(error),
      message: `Can't serialize value (/${where}) : ${original.message}`,
    }
  }
  if (original === undefined || original instanceof GraphQLError) {
    // graphql-js's own field errors (a null for a non-null field, a value a scalar cannot serialize).
    return {
      path,
      data: null,
      errorType: null,
      errorInfo: null,
      locations: locationsOf(error),
      message: error.message,
    }
  }
  report(error)
  return {
    path,
    data: null,
    errorType: 'InternalFailure',
    errorInfo: null,
    locations: locationsOf(error),
    message: INTERNAL_FAILURE_MESSAGE,
  }
}

/** A request-level error (syntax, validation, variables): `path: null`, no error type. */
export function requestErrorEntry(error: GraphQLError, message = error.message): AppSyncErrorEntry {
  return { path: null, locations: locationsOf(error), message }
}
