import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createGraphqlRuntime,
  type GraphqlRuntime,
} from '../../infra/local/appsync/graphql-runtime.js'
import type { Caller } from '../../infra/local/appsync/request-auth.js'
import { useDynamoDbTable } from '../fixtures/dynamodb.js'
import { fixtureApi } from '../fixtures/resolvers/api.js'

const apiKeyCaller: Caller = { mode: 'API_KEY', identity: null }
const table = useDynamoDbTable()
let runtime: GraphqlRuntime

beforeAll(async () => {
  runtime = await createGraphqlRuntime({
    api: await fixtureApi(),
    resolverEnv: { TABLE_NAME: table().tableName, GREETING: 'hello' },
    dynamodb: table().client,
  })
})

const run = (query: string, variables: Record<string, unknown> = {}) =>
  runtime.execute({ query, variables }, apiKeyCaller)
const json = (value: unknown) => JSON.parse(String(value)) as Record<string, unknown>
const unique = (label: string) =>
  `${label}-${Date.now().toString(36)}-${process.hrtime.bigint().toString(36)}`

describe('Pipeline: order, stash and ctx.prev.result', () => {
  it('runs the resolver request, each step in order, then the resolver response, sharing one stash', async () => {
    const body = await run('{ trace { order } }')

    expect(body).toEqual({
      data: {
        trace: {
          order: [
            'resolver.request',
            'A.request',
            'A.response',
            'B.request',
            'B.response',
            'resolver.response',
          ],
        },
      },
    })
  })

  it('hands each handler the previous result as ctx.prev.result and the data source result as ctx.result', async () => {
    const body = await run('{ trace { prev results } }')
    const trace = body.data?.trace as { prev: string; results: string }

    expect(json(trace.results)).toEqual({
      prevAtA: { from: 'resolver.request' },
      resultAtA: { from: 'A.datasource' },
      prevAtB: { from: 'A.response' },
    })
    expect(json(trace.prev)).toEqual({ from: 'B.response' })
  })
})

describe('runtime.earlyReturn', () => {
  const early = async (where: string, skipTo?: string) => {
    const body = await run(
      'query E($where: String!, $skipTo: String) { early(where: $where, skipTo: $skipTo) { order prev } }',
      { where, skipTo },
    )
    const trace = body.data?.early as { order: string[]; prev: string }
    return { order: trace.order, prev: json(trace.prev) }
  }

  it('from the resolver request skips every step and calls the resolver response', async () => {
    expect(await early('resolver')).toEqual({
      order: ['resolver.request', 'resolver.response'],
      prev: { from: 'resolver.request' },
    })
  })

  it('from the resolver request with skipTo END does the same', async () => {
    expect((await early('resolver', 'END')).order).toEqual([
      'resolver.request',
      'resolver.response',
    ])
  })

  it('from the resolver request with skipTo NEXT runs the steps, starting from the returned value', async () => {
    const body = await run('{ early(where: "resolver", skipTo: "NEXT") { order results } }')
    const trace = body.data?.early as { order: string[]; results: string }

    expect(trace.order).toEqual([
      'resolver.request',
      'A.request',
      'A.response',
      'B.request',
      'B.response',
      'resolver.response',
    ])
    expect(json(trace.results).prevAtA).toEqual({ from: 'resolver.request' })
  })

  it('from a step request skips that step’s data source and response and goes on with the next step', async () => {
    const result = await early('step')

    expect(result.order).toEqual([
      'resolver.request',
      'A.request',
      'B.request',
      'B.response',
      'resolver.response',
    ])
  })

  it('from a step request with skipTo NEXT goes on with the next step, passing the value as ctx.prev.result', async () => {
    const body = await run('{ early(where: "step", skipTo: "NEXT") { order results } }')
    const trace = body.data?.early as { order: string[]; results: string }

    expect(trace.order).toEqual([
      'resolver.request',
      'A.request',
      'B.request',
      'B.response',
      'resolver.response',
    ])
    expect(json(trace.results).prevAtB).toEqual({ from: 'A.request' })
  })

  it('from a step request with skipTo END goes straight to the resolver response', async () => {
    expect(await early('step', 'END')).toEqual({
      order: ['resolver.request', 'A.request', 'resolver.response'],
      prev: { from: 'A.request' },
    })
  })
})

describe('Errors raised by resolver code', () => {
  it('halts on util.error and reports its errorType, errorInfo and data filtered by the selection set', async () => {
    const body = await run('{ fail(kind: "error") { kept } }')

    expect(body).toEqual({
      data: { fail: null },
      errors: [
        {
          path: ['fail'],
          data: { kept: 'yes' },
          errorType: 'CustomError',
          errorInfo: { retryAfterSeconds: 7 },
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: 'Custom failure',
        },
      ],
    })
  })

  it('keeps resolving after util.appendError and returns the data with the appended error', async () => {
    const body = await run('{ fail(kind: "append") { kept } }')

    expect(body.data).toEqual({ fail: { kept: 'still here' } })
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ['fail'],
        errorType: 'Warning',
        errorInfo: { detail: 1 },
        message: 'Something worth knowing',
      }),
    ])
  })

  it('goes on after util.error(25), as AppSync ignores util.error with a non-string message', async () => {
    const body = await run('{ fail(kind: "ignored") { kept } }')

    expect(body).toEqual({ data: { fail: { kept: 'after util.error(25)' } } })
  })

  it('reports a refused util member as a LocalRuntimeUnsupported error naming the bundle and the member', async () => {
    const body = await run('{ fail(kind: "unsupported") { kept } }')

    expect(body.data).toEqual({ fail: null })
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ['fail'],
        errorType: 'LocalRuntimeUnsupported',
        message:
          'failStep.js: `util.transform.toDynamoDBFilterExpression` is not supported by the local AppSync runtime',
      }),
    ])
  })

  it('reports an exception in resolver code as errorType Code, naming the bundle but showing no stack', async () => {
    const body = await run('{ fail(kind: "code") { kept } }')
    const error = body.errors?.[0]

    expect(body.data).toEqual({ fail: null })
    expect(error?.errorType).toBe('Code')
    expect(error?.message).toMatch(/^failStep\.js: TypeError: /)
    expect(JSON.stringify(body)).not.toMatch(/\n\s+at |\.ts:\d+/)
  })
})

describe('DynamoDB data source', () => {
  const putItem = async (id: string, value: string) => {
    const body = await run(
      'mutation P($id: ID!, $value: String!) { putItem(id: $id, value: $value) }',
      { id, value },
    )
    return json(body.data?.putItem)
  }

  it('surfaces a failed PutItem condition as ctx.error.type DynamoDB:ConditionalCheckFailedException', async () => {
    const id = unique('put')
    expect(await putItem(id, 'first')).toEqual({
      ok: true,
      errorType: null,
      result: { pk: id, value: 'first' },
    })

    expect(await putItem(id, 'second')).toEqual({
      ok: false,
      errorType: 'DynamoDB:ConditionalCheckFailedException',
      result: null,
    })
  })

  it('treats a failed PutItem condition as success when the stored item already equals the item written, as AppSync does', async () => {
    const id = unique('same')
    await putItem(id, 'same')

    expect(await putItem(id, 'same')).toEqual({
      ok: true,
      errorType: null,
      result: { pk: id, value: 'same' },
    })
  })

  it('exposes the cancellation reasons of a cancelled transaction in ctx.result, with the conflicting item', async () => {
    const id = unique('tx')
    await putItem(`${id}#a`, 'already here')

    const body = await run('mutation T($id: ID!) { transact(id: $id) }', { id })

    expect(json(body.data?.transact)).toEqual({
      errorType: 'DynamoDB:TransactionCanceledException',
      keys: null,
      cancellationReasons: [
        {
          type: 'ConditionalCheckFailed',
          message: 'The conditional request failed',
          item: { pk: `${id}#a`, value: 'already here' },
        },
        { type: 'None', message: null },
      ],
    })
  })

  it('returns the keys written by a committed transaction', async () => {
    const id = unique('tx-ok')

    const body = await run('mutation T($id: ID!) { transact(id: $id) }', { id })

    expect(json(body.data?.transact)).toEqual({
      errorType: null,
      keys: [{ pk: `${id}#a` }, { pk: `${id}#b` }],
      cancellationReasons: null,
    })
  })

  it('runs an UpdateItem and hands the response handler the item as updated (ALL_NEW)', async () => {
    const id = unique('count')
    await run('mutation C($id: ID!) { count(id: $id) }', { id })
    const second = await run('mutation C($id: ID!) { count(id: $id) }', { id })
    const read = await run('query I($id: ID!) { item(id: $id) }', { id })

    expect(second.data).toEqual({ count: 2 })
    expect(json(read.data?.item)).toEqual({ pk: id, count: 2 })
  })

  it('tallies the capacity units DynamoDB reports', async () => {
    const before = runtime.consumedCapacity()
    const id = unique('tally')

    await putItem(id, 'v')
    await run('query I($id: ID!) { item(id: $id) }', { id })
    const after = runtime.consumedCapacity()

    expect(after.writeUnits).toBeGreaterThan(before.writeUnits)
    expect(after.readUnits).toBeGreaterThan(before.readUnits)
    await table().client.send(
      new DeleteItemCommand({ TableName: table().tableName, Key: { pk: { S: id } } }),
    )
  })
})

describe('Request objects: what AppSync accepts, what the local runtime refuses', () => {
  const raw = async (request: unknown, field = 'raw') => {
    const body = await run(`mutation R($r: AWSJSON!) { ${field}(request: $r) }`, {
      r: JSON.stringify(request),
    })
    return body.errors ? body.errors[0] : json(body.data?.[field])
  }
  const key = (id: string) => ({ pk: { S: id } })

  it.each([
    [
      'a key AppSync does not accept (returnValues on UpdateItem)',
      {
        operation: 'UpdateItem',
        key: key('x'),
        update: { expression: 'SET a = :a', expressionValues: { ':a': { N: 1 } } },
        returnValues: 'UPDATED_OLD',
      },
      "Unsupported element '$[returnValues]'.",
    ],
    [
      'returnValuesOnConditionCheckFailure outside a transaction',
      {
        operation: 'UpdateItem',
        key: key('x'),
        update: { expression: 'SET a = :a', expressionValues: { ':a': { N: 1 } } },
        condition: {
          expression: 'attribute_exists(pk)',
          returnValuesOnConditionCheckFailure: false,
        },
      },
      "Unsupported element '$[condition][returnValuesOnConditionCheckFailure]'.",
    ],
    [
      'an unknown key in a transaction item',
      {
        operation: 'TransactWriteItems',
        transactItems: [
          { table: '$TABLE', operation: 'DeleteItem', key: key('x'), returnValues: 'ALL_OLD' },
        ],
      },
      "Unsupported element '$[transactItems][0][returnValues]'.",
    ],
    [
      'an unknown key in an update expression',
      { operation: 'UpdateItem', key: key('x'), update: { expression: 'SET a = :a', values: {} } },
      "Unsupported element '$[update][values]'.",
    ],
  ])('refuses %s with AppSync’s MappingTemplate error', async (_case, request, message) => {
    expect(await raw(request)).toMatchObject({ errorType: 'MappingTemplate', message })
  })

  it('refuses an unknown key in a NONE request object the same way', async () => {
    expect(await raw({ payload: 1, extra: true }, 'rawNone')).toMatchObject({
      errorType: 'MappingTemplate',
      message: "Unsupported element '$[extra]'.",
    })
  })

  it.each([
    [{ operation: 'Query', query: { expression: 'pk = :pk' } }, '`Query`'],
    [{ operation: 'Scan' }, '`Scan`'],
    [{ operation: 'BatchGetItem', tables: {} }, '`BatchGetItem`'],
    [{ operation: 'BatchPutItem', tables: {} }, '`BatchPutItem`'],
    [{ operation: 'BatchDeleteItem', tables: {} }, '`BatchDeleteItem`'],
    [{ operation: 'TransactGetItems', transactItems: [] }, '`TransactGetItems`'],
    [{ operation: 'Sync' }, '`Sync`'],
    [{ operation: 'PutItem', key: key('x'), _version: 1 }, '`_version`'],
    [
      {
        operation: 'DeleteItem',
        key: key('x'),
        condition: {
          expression: 'attribute_exists(pk)',
          conditionalCheckFailedHandler: { strategy: 'Custom', lambdaArn: 'arn:aws:lambda:x' },
        },
      },
      "`conditionalCheckFailedHandler: { strategy: 'Custom' }`",
    ],
  ])('refuses %j as a local gap, naming it', async (request, feature) => {
    expect(await raw(request)).toMatchObject({
      errorType: 'LocalRuntimeUnsupported',
      message: `rawTable: ${feature} is not supported by the local AppSync runtime`,
    })
  })

  it('hands a NONE step its payload as ctx.result', async () => {
    expect(await raw({ version: '2018-05-29', payload: { a: 1 } }, 'rawNone')).toEqual({
      error: null,
      result: { a: 1 },
    })
  })

  it('reads only the projected attributes of a GetItem and returns the old item of a DeleteItem', async () => {
    const id = unique('projection')
    await raw({
      operation: 'PutItem',
      key: key(id),
      attributeValues: { a: { S: 'x' }, b: { N: 2 } },
    })

    const projected = await raw({
      operation: 'GetItem',
      key: key(id),
      consistentRead: true,
      projection: { expression: '#b', expressionNames: { '#b': 'b' } },
    })
    const deleted = await raw({ operation: 'DeleteItem', key: key(id) })
    const gone = await raw({ operation: 'GetItem', key: key(id), consistentRead: true })

    expect(projected).toEqual({ error: null, result: { b: 2 } })
    expect(deleted).toEqual({ error: null, result: { pk: id, a: 'x', b: 2 } })
    expect(gone).toEqual({ error: null, result: null })
  })

  it('accepts every key AWS documents for a conditional PutItem', async () => {
    const id = unique('keys')

    expect(
      await raw({
        version: '2018-05-29',
        operation: 'PutItem',
        key: key(id),
        attributeValues: { value: { S: 'v' } },
        condition: {
          expression: 'attribute_not_exists(#pk)',
          expressionNames: { '#pk': 'pk' },
          expressionValues: {},
          equalsIgnore: ['updatedAt'],
          consistentRead: true,
          conditionalCheckFailedHandler: { strategy: 'Reject' },
        },
      }),
    ).toEqual({ error: null, result: { pk: id, value: 'v' } })
  })
})

describe('Unexpected failures', () => {
  it('answers with a generic InternalFailure and no stack trace when the data source cannot be reached', async () => {
    const unreachable = new DynamoDBClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    })
    const logged: Record<string, unknown>[] = []
    const broken = await createGraphqlRuntime({
      api: await fixtureApi(),
      resolverEnv: { TABLE_NAME: 'nowhere' },
      dynamodb: unreachable,
      log: (entry) => logged.push(entry),
    })

    const body = await broken.execute(
      { query: 'query { item(id: "x") }', variables: {} },
      apiKeyCaller,
    )
    unreachable.destroy()

    expect(body).toEqual({
      data: { item: null },
      errors: [
        {
          path: ['item'],
          data: null,
          errorType: 'InternalFailure',
          errorInfo: null,
          locations: [{ line: 1, column: 9, sourceName: null }],
          message: 'An internal failure occurred while resolving this field.',
        },
      ],
    })
    expect(logged).toEqual([expect.objectContaining({ event: 'internal-error', path: 'item' })])
  })
})
