/**
 * Request-level errors (syntax, validation, variable coercion) worded as AppSync (graphql-java)
 * words them, in AppSync's shape: `{ path: null, locations, message }`. Messages never repeat
 * the rejected value: a wrong code or an address has no place in an error.
 */
import { GraphQLError, Kind, visit, type DocumentNode, type ValueNode } from 'graphql'
import { requestErrorEntry, type AppSyncErrorEntry } from './errors.js'
import { ScalarValidationError } from './scalars.js'

// graphql-js wraps a scalar's error in one or two GraphQLErrors.
function rootCause(error: GraphQLError): Error | undefined {
  let cause: Error | undefined = error.originalError
  while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError
  return cause
}

/** The argument and field a literal value belongs to. */
function argumentOf(
  document: DocumentNode,
  value: ValueNode,
): { argument: string; field: string } | undefined {
  let found: { argument: string; field: string } | undefined
  const fields: string[] = []
  visit(document, {
    Field: { enter: (node) => void fields.push(node.name.value), leave: () => void fields.pop() },
    Argument: (node) => {
      if (node.value.loc?.start === value.loc?.start)
        found = { argument: node.name.value, field: fields.join('/') }
    },
  })
  return found
}

/** A syntax error from `parse`. */
export function syntaxErrorEntry(error: GraphQLError): AppSyncErrorEntry {
  return requestErrorEntry(
    error,
    `Invalid Syntax : ${error.message.replace(/^Syntax Error: /, '')}`,
  )
}

/** A validation error; scalar literals get graphql-java's `WrongType` wording. */
export function validationErrorEntry(
  error: GraphQLError,
  document: DocumentNode,
): AppSyncErrorEntry {
  const original = rootCause(error)
  const node = error.nodes?.[0]
  if (original instanceof ScalarValidationError && node && 'kind' in node) {
    const owner = argumentOf(document, node as ValueNode)
    if (owner) {
      return requestErrorEntry(
        error,
        `Validation error of type WrongType: argument '${owner.argument}' is ${original.message} @ '${owner.field}'`,
      )
    }
  }
  const undefinedField = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(error.message)
  if (undefinedField) {
    return requestErrorEntry(
      error,
      `Validation error of type FieldUndefined: Field '${undefinedField[1]}' in type '${undefinedField[2]}' is undefined @ '${undefinedField[1]}'`,
    )
  }
  if (/^Expected value of type|cannot represent/.test(error.message)) {
    return requestErrorEntry(
      error,
      `Validation error of type WrongType: ${error.message
        .split(';')[0]
        ?.replace(/, found .*$/, '')}`,
    )
  }
  return requestErrorEntry(error, `Validation error: ${error.message}`)
}

/** An error coercing variables, before any resolver runs. */
export function variableErrorEntry(error: GraphQLError, document: DocumentNode): AppSyncErrorEntry {
  const name = /^Variable "\$(\w+)"/.exec(error.message)?.[1]
  if (name === undefined) return requestErrorEntry(error)
  let declared = ''
  visit(document, {
    VariableDefinition: (node) => {
      if (node.variable.name.value === name) declared = printType(node.type)
    },
  })
  if (/was not provided|must not be null/.test(error.message)) {
    return requestErrorEntry(
      error,
      `Variable '${name}' has coerced Null value for NonNull type '${declared}'`,
    )
  }
  const cause = rootCause(error)
  const reason =
    cause instanceof ScalarValidationError ? cause.message : `expected type '${declared}'`
  return requestErrorEntry(error, `Variable '${name}' has an invalid value: ${reason}`)
}

function printType(node: { kind: Kind; type?: unknown; name?: { value: string } }): string {
  if (node.kind === Kind.NON_NULL_TYPE) return `${printType(node.type as typeof node)}!`
  if (node.kind === Kind.LIST_TYPE) return `[${printType(node.type as typeof node)}]`
  return node.name?.value ?? ''
}
