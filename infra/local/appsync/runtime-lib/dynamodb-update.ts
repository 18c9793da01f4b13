/**
 * The `update` object of `@aws-appsync/utils/dynamodb` (`{ count: operations.increment(1), ... }`)
 * to a DynamoDB update expression. Runs inside the sandbox: plain ECMAScript only.
 */
import { toDynamoDB } from './dynamodb-values.js'
import type { DynamoDBExpression } from './transform.js'

/** An operation marker built by `operations.*`. */
export interface UpdateOperation {
  _type:
    | 'add'
    | 'remove'
    | 'replace'
    | 'increment'
    | 'decrement'
    | 'append'
    | 'prepend'
    | 'updateListItem'
  value?: unknown
  by?: number
  index?: number
}

const operationTypes = [
  'add',
  'remove',
  'replace',
  'increment',
  'decrement',
  'append',
  'prepend',
  'updateListItem',
]

function isOperation(value: unknown): value is UpdateOperation {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { _type?: unknown })._type === 'string' &&
    operationTypes.indexOf((value as { _type: string })._type) >= 0
  )
}

/** The `operations` export. */
export const operations = {
  add: (value: unknown): UpdateOperation => ({ _type: 'add', value }),
  remove: (): UpdateOperation => ({ _type: 'remove' }),
  replace: (value: unknown): UpdateOperation => ({ _type: 'replace', value }),
  increment: (by = 1): UpdateOperation => ({ _type: 'increment', by }),
  decrement: (by = 1): UpdateOperation => ({ _type: 'decrement', by }),
  append: (value: unknown[]): UpdateOperation => ({ _type: 'append', value }),
  prepend: (value: unknown[]): UpdateOperation => ({ _type: 'prepend', value }),
  updateListItem: (value: unknown, index: number): UpdateOperation => ({
    _type: 'updateListItem',
    value,
    index,
  }),
}

interface Clauses {
  set: string[]
  add: string[]
  remove: string[]
  names: Record<string, string>
  values: Record<string, unknown>
  counter: number
}

function name(clauses: Clauses, attribute: string): string {
  for (const key of Object.keys(clauses.names)) if (clauses.names[key] === attribute) return key
  const placeholder = `#upd${Object.keys(clauses.names).length}`
  clauses.names[placeholder] = attribute
  return placeholder
}

function value(clauses: Clauses, raw: unknown): string {
  const placeholder = `:upd${clauses.counter}`
  clauses.counter += 1
  clauses.values[placeholder] = toDynamoDB(raw) ?? { NULL: null }
  return placeholder
}

function apply(clauses: Clauses, path: string, operation: UpdateOperation): void {
  switch (operation._type) {
    case 'remove':
      clauses.remove.push(path)
      return
    case 'increment':
      clauses.add.push(`${path} ${value(clauses, operation.by ?? 1)}`)
      return
    case 'decrement':
      clauses.add.push(`${path} ${value(clauses, -(operation.by ?? 1))}`)
      return
    case 'add':
      if (typeof operation.value === 'number')
        clauses.add.push(`${path} ${value(clauses, operation.value)}`)
      else clauses.set.push(`${path} = ${value(clauses, operation.value)}`)
      return
    case 'append':
      clauses.set.push(
        `${path} = list_append(if_not_exists(${path}, ${value(clauses, [])}), ${value(
          clauses,
          operation.value,
        )})`,
      )
      return
    case 'prepend':
      clauses.set.push(
        `${path} = list_append(${value(clauses, operation.value)}, if_not_exists(${path}, ${value(
          clauses,
          [],
        )}))`,
      )
      return
    case 'updateListItem':
      clauses.set.push(
        `${path}[${String(operation.index ?? 0)}] = ${value(clauses, operation.value)}`,
      )
      return
    default:
      clauses.set.push(`${path} = ${value(clauses, operation.value)}`)
  }
}

function walk(clauses: Clauses, prefix: string, update: Record<string, unknown>): void {
  for (const key of Object.keys(update)) {
    const entry = update[key]
    if (entry === undefined) continue
    const path = prefix === '' ? name(clauses, key) : `${prefix}.${name(clauses, key)}`
    if (isOperation(entry)) apply(clauses, path, entry)
    else if (Array.isArray(entry) && entry.length > 0 && entry.every(isOperation)) {
      for (const item of entry) apply(clauses, path, item)
    } else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
      walk(clauses, path, entry as Record<string, unknown>)
    } else clauses.set.push(`${path} = ${value(clauses, entry)}`)
  }
}

/** Builds the `update` section of an UpdateItem request. */
export function buildUpdateExpression(update: Record<string, unknown>): DynamoDBExpression {
  const clauses: Clauses = { set: [], add: [], remove: [], names: {}, values: {}, counter: 0 }
  walk(clauses, '', update)
  const sections: string[] = []
  if (clauses.set.length > 0) sections.push(`SET ${clauses.set.join(', ')}`)
  if (clauses.add.length > 0) sections.push(`ADD ${clauses.add.join(', ')}`)
  if (clauses.remove.length > 0) sections.push(`REMOVE ${clauses.remove.join(', ')}`)
  return {
    expression: sections.join(' '),
    expressionNames: clauses.names,
    expressionValues: clauses.values,
  }
}
