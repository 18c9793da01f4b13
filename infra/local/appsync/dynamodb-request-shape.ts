/**
 * The keys a DynamoDB request object may hold, per operation, as the AppSync DynamoDB function
 * reference ("JavaScript resolver function reference for DynamoDB") lists them. A key AppSync does
 * not accept is refused with AppSync's own error, naming its path: `Unsupported element
 * '$[returnValues]'.` (aws-appsync-community #341) or `Unsupported element
 * '$[condition][returnValuesOnConditionCheckFailure]'.` (#110: that key belongs to transactions).
 * Keys AppSync accepts but the local runtime does not implement (versioned data sources, a Lambda
 * conflict handler) are refused as such. Operations other than those listed here are refused too.
 */
import { InvalidRequestError, UnsupportedRequestError } from './data-sources.js'
import { notSupported } from './runtime-lib/unsupported.js'

/** The keys of an object; `'local'` marks a key AppSync accepts that the local runtime refuses. */
interface Shape {
  [key: string]: true | 'local' | Shape
}

const expression: Shape = { expression: true, expressionNames: true, expressionValues: true }
const projection: Shape = { expression: true, expressionNames: true }
const condition: Shape = {
  ...expression,
  equalsIgnore: true,
  consistentRead: true,
  conditionalCheckFailedHandler: { strategy: true, lambdaArn: true },
}
// Versioned (conflict detection and sync) data sources; this table is not one.
const versioned: Shape = {
  _version: 'local',
  customPartitionKey: 'local',
  populateIndexFields: 'local',
}

const operations: Record<string, Shape> = {
  GetItem: { version: true, operation: true, key: true, consistentRead: true, projection },
  PutItem: {
    version: true,
    operation: true,
    key: true,
    attributeValues: true,
    condition,
    ...versioned,
  },
  UpdateItem: {
    version: true,
    operation: true,
    key: true,
    update: expression,
    condition,
    ...versioned,
  },
  DeleteItem: { version: true, operation: true, key: true, condition, ...versioned },
  TransactWriteItems: { version: true, operation: true, transactItems: true },
}

const transactCondition: Shape = { ...expression, returnValuesOnConditionCheckFailure: true }
const transactItems: Record<string, Shape> = {
  PutItem: {
    table: true,
    operation: true,
    key: true,
    attributeValues: true,
    condition: transactCondition,
  },
  UpdateItem: {
    table: true,
    operation: true,
    key: true,
    update: expression,
    condition: transactCondition,
  },
  DeleteItem: { table: true, operation: true, key: true, condition: transactCondition },
  ConditionCheck: { table: true, operation: true, key: true, condition: transactCondition },
}

/** Operations AppSync's DynamoDB data source runs that the local runtime does not. */
const localGaps = [
  'Query',
  'Scan',
  'Sync',
  'BatchGetItem',
  'BatchPutItem',
  'BatchDeleteItem',
  'TransactGetItems',
]

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function check(value: Record<string, unknown>, shape: Shape, path: string): void {
  for (const key of Object.keys(value)) {
    const where = `${path}[${key}]`
    const rule = shape[key]
    if (rule === undefined) throw new InvalidRequestError(`Unsupported element '${where}'.`)
    if (rule === 'local') throw new UnsupportedRequestError(notSupported(key))
    const inner = value[key]
    if (rule !== true && isRecord(inner)) check(inner, rule, where)
  }
}

function checkConflictHandler(condition: unknown): void {
  const handler = isRecord(condition) ? condition.conditionalCheckFailedHandler : undefined
  if (isRecord(handler) && handler.strategy === 'Custom')
    throw new UnsupportedRequestError(
      notSupported("conditionalCheckFailedHandler: { strategy: 'Custom' }"),
    )
}

/**
 * Refuses a request object AppSync would refuse (unknown keys) or the local runtime cannot run;
 * the operation is then one the local data source runs.
 */
export function checkRequestShape(request: unknown): asserts request is Record<string, unknown> {
  if (!isRecord(request))
    throw new InvalidRequestError('The request must be an object with an operation')
  const operation = String(request.operation)
  if (localGaps.includes(operation)) throw new UnsupportedRequestError(notSupported(operation))
  const shape = operations[operation]
  if (!shape)
    throw new InvalidRequestError(
      `Unsupported operation '${operation}' (AppSync's DynamoDB operations are GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, Sync, BatchGetItem, BatchPutItem, BatchDeleteItem, TransactGetItems and TransactWriteItems)`,
    )
  check(request, shape, '$')
  checkConflictHandler(request.condition)
  if (operation !== 'TransactWriteItems' || !Array.isArray(request.transactItems)) return
  request.transactItems.forEach((item: unknown, index: number) => {
    if (!isRecord(item)) return
    const itemShape = transactItems[String(item.operation)]
    if (itemShape) check(item, itemShape, `$[transactItems][${index}]`)
  })
}
