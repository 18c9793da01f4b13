/**
 * `@aws-appsync/utils/dynamodb`: helpers that build the DynamoDB data source's request objects
 * from plain values (keys, items, filter objects). Runs inside the sandbox: plain ECMAScript only.
 * `sync` (versioned data sources) is not offered locally.
 */
import { toMapValues } from './dynamodb-values.js'
import { buildUpdateExpression, operations } from './dynamodb-update.js'
import { buildExpression } from './transform.js'

type Input = Record<string, unknown>

function projection(
  paths: unknown,
): { expression: string; expressionNames: Record<string, string> } | undefined {
  if (!Array.isArray(paths) || paths.length === 0) return undefined
  const expressionNames: Record<string, string> = {}
  const parts = (paths as string[]).map((path) =>
    path
      .split('.')
      .map((segment) => {
        const placeholder = `#proj${Object.keys(expressionNames).length}`
        expressionNames[placeholder] = segment
        return placeholder
      })
      .join('.'),
  )
  return { expression: parts.join(', '), expressionNames }
}

// Request objects leave optional fields out rather than set them to undefined.
function compact(request: Input): Input {
  const out: Input = {}
  for (const key of Object.keys(request))
    if (request[key] !== undefined && request[key] !== null) out[key] = request[key]
  return out
}

function condition(filter: unknown) {
  return buildExpression(filter) ?? undefined
}

function writeItem(kind: string, input: Input): Input {
  const base = { table: input.table, key: toMapValues(input.key) }
  if (kind === 'putItem')
    return compact({
      ...base,
      operation: 'PutItem',
      attributeValues: toMapValues(input.item),
      condition: condition(input.condition),
    })
  if (kind === 'updateItem') {
    return compact({
      ...base,
      operation: 'UpdateItem',
      update: buildUpdateExpression(input.update as Input),
      condition: condition(input.condition),
    })
  }
  if (kind === 'deleteItem')
    return compact({ ...base, operation: 'DeleteItem', condition: condition(input.condition) })
  return compact({ ...base, operation: 'ConditionCheck', condition: condition(input.condition) })
}

function listRequest(operation: 'Query' | 'Scan', input: Input): Input {
  return compact({
    operation,
    query: operation === 'Query' ? buildExpression(input.query) : undefined,
    filter: condition(input.filter),
    index: input.index,
    limit: input.limit,
    nextToken: input.nextToken,
    scanIndexForward: input.scanIndexForward,
    consistentRead: input.consistentRead,
    select: input.select,
    segment: input.segment,
    totalSegments: input.totalSegments,
    projection: projection(input.projection),
  })
}

/** The module's exports, as `require('@aws-appsync/utils/dynamodb')` returns them. */
export function createDynamodbModule() {
  return {
    get: (input: Input) =>
      compact({
        operation: 'GetItem',
        key: toMapValues(input.key),
        consistentRead: input.consistentRead,
        projection: projection(input.projection),
      }),
    put: (input: Input) =>
      compact({
        operation: 'PutItem',
        key: toMapValues(input.key),
        attributeValues: toMapValues(input.item),
        condition: condition(input.condition),
      }),
    remove: (input: Input) =>
      compact({
        operation: 'DeleteItem',
        key: toMapValues(input.key),
        condition: condition(input.condition),
      }),
    update: (input: Input) =>
      compact({
        operation: 'UpdateItem',
        key: toMapValues(input.key),
        update: buildUpdateExpression(input.update as Input),
        condition: condition(input.condition),
      }),
    query: (input: Input) => listRequest('Query', input),
    scan: (input: Input) => listRequest('Scan', input),
    batchGet: (input: { tables: Record<string, Input> }) => {
      const tables: Record<string, Input> = {}
      for (const table of Object.keys(input.tables)) {
        const entry = input.tables[table] as Input
        tables[table] = compact({
          keys: (entry.keys as unknown[]).map((key) => toMapValues(key)),
          consistentRead: entry.consistentRead,
          projection: projection(entry.projection),
        })
      }
      return { operation: 'BatchGetItem', tables }
    },
    batchPut: (input: { tables: Record<string, unknown[]> }) => {
      const tables: Record<string, unknown[]> = {}
      for (const table of Object.keys(input.tables))
        tables[table] = (input.tables[table] ?? []).map((item) => toMapValues(item))
      return { operation: 'BatchPutItem', tables }
    },
    batchDelete: (input: { tables: Record<string, unknown[]> }) => {
      const tables: Record<string, unknown[]> = {}
      for (const table of Object.keys(input.tables))
        tables[table] = (input.tables[table] ?? []).map((key) => toMapValues(key))
      return { operation: 'BatchDeleteItem', tables }
    },
    transactGet: (input: { items: Input[] }) => ({
      operation: 'TransactGetItems',
      transactItems: input.items.map((item) =>
        compact({
          table: item.table,
          key: toMapValues(item.key),
          projection: projection(item.projection),
        }),
      ),
    }),
    transactWrite: (input: { items: Record<string, Input>[] }) => ({
      operation: 'TransactWriteItems',
      transactItems: input.items.map((item) => {
        const kind = Object.keys(item)[0] ?? 'conditionCheck'
        return writeItem(kind, item[kind] as Input)
      }),
    }),
    toStringSet: (list: string[]) => ({ SS: list }),
    toNumberSet: (list: number[]) => ({ NS: list }),
    toBinarySet: (list: string[]) => ({ BS: list }),
    operations,
  }
}
