import { describe, expect, it } from 'vitest'
import { BundleRejectedError, loadResolverBundle } from '../../infra/local/appsync/sandbox.js'

/** Runs `body` as a request handler in the sandbox and returns its outcome. */
async function outcomeOf(body: string, ctx: Record<string, unknown> = {}) {
  const code = [
    "import { util, runtime, extensions } from '@aws-appsync/utils'",
    `export function request(ctx) { ${body} }`,
    'export function response(ctx) { return ctx.result }',
  ].join('\n')
  const bundle = await loadResolverBundle('probe', code)
  return bundle.invoke({
    handler: 'request',
    ctx: { stash: {}, ...ctx },
    authType: 'API Key Authorization',
  })
}

/** Evaluates `expression` inside a request handler and returns its value (or the halt). */
async function evaluate(expression: string, ctx: Record<string, unknown> = {}) {
  const report = await outcomeOf(`return ${expression}`, ctx)
  return report.outcome.kind === 'return' ? report.outcome.value : report.outcome
}

const refusal = (feature: string) => ({
  kind: 'unsupported',
  message: `\`${feature}\` is not supported by the local AppSync runtime`,
})

describe('util: identifiers', () => {
  it('autoId returns distinct random v4 UUIDs', async () => {
    const [a, b] = (await evaluate('[util.autoId(), util.autoId()]')) as string[]

    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(a).not.toBe(b)
  })

  it('autoUlid and autoKsuid have their formats', async () => {
    const { ulid, ksuid } = (await evaluate(
      '({ ulid: util.autoUlid(), ksuid: util.autoKsuid() })',
    )) as Record<string, string>

    expect(ulid).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/)
    expect(ksuid).toMatch(/^[0-9A-Za-z]{27}$/)
  })
})

describe('util.time', () => {
  it('converts epoch milliseconds to ISO 8601 and to seconds, as AWS’s examples show', async () => {
    expect(
      await evaluate(`({
        iso: util.time.epochMilliSecondsToISO8601(1517943695750),
        seconds: util.time.epochMilliSecondsToSeconds(1517943695750),
      })`),
    ).toEqual({ iso: '2018-02-06T19:01:35.750Z', seconds: 1517943695 })
  })

  it('reads the clock in milliseconds, seconds and ISO 8601', async () => {
    const before = Date.now()
    const now = (await evaluate(
      '({ ms: util.time.nowEpochMilliSeconds(), s: util.time.nowEpochSeconds(), iso: util.time.nowISO8601() })',
    )) as { ms: number; s: number; iso: string }

    expect(now.ms).toBeGreaterThanOrEqual(before)
    expect(now.s).toBe(Math.floor(now.ms / 1000))
    expect(now.iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  })

  it.each([
    ["util.time.nowFormatted('yyyy')", 'util.time.nowFormatted'],
    ["util.time.epochMilliSecondsToFormatted(0, 'yyyy')", 'util.time.epochMilliSecondsToFormatted'],
    [
      "util.time.parseFormattedToEpochMilliSeconds('2018', 'yyyy')",
      'util.time.parseFormattedToEpochMilliSeconds',
    ],
    [
      "util.time.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:05.180+08:00')",
      'util.time.parseISO8601ToEpochMilliSeconds',
    ],
    [
      "util.time.epochMilliSecondsToISO8601('1517943695750')",
      'util.time.epochMilliSecondsToISO8601 with string',
    ],
    ['util.time.epochMilliSecondsToISO8601(1.5)', 'util.time.epochMilliSecondsToISO8601 with 1.5'],
    ['util.time.epochMilliSecondsToSeconds(-1)', 'util.time.epochMilliSecondsToSeconds with -1'],
  ])('refuses %s', async (expression, feature) => {
    expect(await evaluate(expression)).toEqual(refusal(feature))
  })
})

describe('util.dynamodb', () => {
  it('converts values as AWS’s examples show: numbers stay numbers, lists are L, maps are M', async () => {
    expect(
      await evaluate(`[
        util.dynamodb.toDynamoDB('foo'),
        util.dynamodb.toDynamoDB(12345),
        util.dynamodb.toDynamoDB(true),
        util.dynamodb.toDynamoDB(null),
        util.dynamodb.toDynamoDB({ foo: 'bar', baz: 1234, beep: ['boop'] }),
        util.dynamodb.toList(['foo', 123, { bar: 'baz' }]),
        util.dynamodb.toMap({ foo: 'bar' }),
      ]`),
    ).toEqual([
      { S: 'foo' },
      { N: 12345 },
      { BOOL: true },
      { NULL: null },
      { M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } } },
      { L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }] },
      { M: { foo: { S: 'bar' } } },
    ])
  })

  it('gives the inside of toMap from toMapValues', async () => {
    expect(
      await evaluate(
        "util.dynamodb.toMapValues({ foo: 'bar', baz: 1234, beep: ['boop'], none: null })",
      ),
    ).toEqual({
      foo: { S: 'bar' },
      baz: { N: 1234 },
      beep: { L: [{ S: 'boop' }] },
      none: { NULL: null },
    })
  })

  it('builds single-type values, and null from null', async () => {
    expect(
      await evaluate(`[
        util.dynamodb.toString('foo'), util.dynamodb.toNumber(12345), util.dynamodb.toBoolean(false),
        util.dynamodb.toStringSet(['foo', 'bar']), util.dynamodb.toNumberSet([1, 23, 4.56]),
        util.dynamodb.toBinary('Zm9v'), util.dynamodb.toBinarySet(['Zm9v']), util.dynamodb.toNull(),
        util.dynamodb.toString(null), util.dynamodb.toNumber(null),
      ]`),
    ).toEqual([
      { S: 'foo' },
      { N: 12345 },
      { BOOL: false },
      { SS: ['foo', 'bar'] },
      { NS: [1, 23, 4.56] },
      { B: 'Zm9v' },
      { BS: ['Zm9v'] },
      { NULL: null },
      null,
      null,
    ])
  })

  it.each([
    ['util.dynamodb.toMapValues({ a: undefined })', 'util.dynamodb.toDynamoDB with undefined'],
    ['util.dynamodb.toDynamoDB(NaN)', 'util.dynamodb.toDynamoDB with NaN'],
    ['util.dynamodb.toDynamoDB(() => 1)', 'util.dynamodb.toDynamoDB with function'],
    ['util.dynamodb.toDynamoDB(new Date(0))', 'util.dynamodb.toDynamoDB with [object Date]'],
    ["util.dynamodb.toMapValues('text')", 'util.dynamodb.toMapValues with string'],
    ["util.dynamodb.toNumber('1')", 'util.dynamodb.toNumber with string'],
    ["util.dynamodb.toS3Object('k', 'b', 'r')", 'util.dynamodb.toS3Object'],
    ["util.dynamodb.fromS3ObjectJson('{}')", 'util.dynamodb.fromS3ObjectJson'],
  ])('refuses %s', async (expression, feature) => {
    expect(await evaluate(expression)).toEqual(refusal(feature))
  })
})

describe('util.error and util.appendError', () => {
  it('halts with the message, errorType, data and errorInfo', async () => {
    expect(await evaluate("util.error('Bad', 'BadRequest', null, { field: 'email' })")).toEqual({
      kind: 'error',
      error: { message: 'Bad', errorType: 'BadRequest', data: null, errorInfo: { field: 'email' } },
    })
  })

  it.each([['util.error(25)'], ['util.error(true)'], ["util.error('abc', 25)"]])(
    'ignores %s and goes on, as AppSync ignores util.error with a non-string argument',
    async (call) => {
      expect((await outcomeOf(`${call}; return 'went on'`)).outcome).toEqual({
        kind: 'return',
        value: 'went on',
      })
    },
  )

  it('treats a null errorType as none', async () => {
    expect(await evaluate("util.error('Bad', null)")).toEqual({
      kind: 'error',
      error: { message: 'Bad', errorType: null, data: null, errorInfo: null },
    })
  })

  it('refuses util.error without a message', async () => {
    expect(await evaluate('util.error()')).toEqual(refusal('util.error with a undefined message'))
  })

  it('records util.appendError and goes on', async () => {
    const report = await outcomeOf("util.appendError('Note', 'Warning', null, { n: 1 }); return 1")

    expect(report.outcome).toEqual({ kind: 'return', value: 1 })
    expect(report.appendedErrors).toEqual([
      { message: 'Note', errorType: 'Warning', data: null, errorInfo: { n: 1 } },
    ])
  })

  it('refuses util.appendError with a message that is not a string', async () => {
    expect(await evaluate('util.appendError(25)')).toEqual(
      refusal('util.appendError with a message or error type that is not a string'),
    )
  })

  it('halts with util.unauthorized as AppSync’s Unauthorized error for the field', async () => {
    expect(
      await evaluate('util.unauthorized()', {
        info: { fieldName: 'secret', parentTypeName: 'Query' },
      }),
    ).toEqual({
      kind: 'error',
      error: {
        message: 'Not Authorized to access secret on type Query',
        errorType: 'Unauthorized',
        data: null,
        errorInfo: null,
      },
    })
  })

  it('names the auth mode with util.authType', async () => {
    expect(await evaluate('util.authType()')).toBe('API Key Authorization')
  })
})

describe('What the local runtime refuses', () => {
  it.each([
    ["util.escapeJavaScript('a')", 'util.escapeJavaScript'],
    ["util.urlEncode('a b')", 'util.urlEncode'],
    ["util.urlDecode('a+b')", 'util.urlDecode'],
    ["util.base64Encode('a')", 'util.base64Encode'],
    ["util.base64Decode('YQ==')", 'util.base64Decode'],
    [
      'util.transform.toDynamoDBFilterExpression({ a: { eq: 1 } })',
      'util.transform.toDynamoDBFilterExpression',
    ],
    [
      'util.transform.toDynamoDBConditionExpression({ a: { eq: 1 } })',
      'util.transform.toDynamoDBConditionExpression',
    ],
    ['util.transform.toElasticsearchQueryDSL({})', 'util.transform.toElasticsearchQueryDSL'],
    ['util.transform.toSubscriptionFilter({})', 'util.transform.toSubscriptionFilter'],
    ["util.str.normalize('a', 'nfc')", 'util.str.normalize'],
    ['util.math.roundNum(1.5)', 'util.math.roundNum'],
    ['util.math.minVal(1, 2)', 'util.math.minVal'],
    ['util.math.maxVal(1, 2)', 'util.math.maxVal'],
    ['util.math.randomDouble()', 'util.math.randomDouble'],
    ['util.math.randomWithinRange(1, 2)', 'util.math.randomWithinRange'],
    ['util.http.copyHeaders({})', 'util.http.copyHeaders'],
    ["util.http.addResponseHeader('a', 'b')", 'util.http.addResponseHeader'],
    ['util.http.addResponseHeaders({})', 'util.http.addResponseHeaders'],
    ["util.xml.toMap('<a/>')", 'util.xml.toMap'],
    ["util.xml.toJsonString('<a/>')", 'util.xml.toJsonString'],
    ["util.rds.toJsonObject('{}')", 'util.rds.toJsonObject'],
    ["extensions.evictFromApiCache('Query', 'a', {})", 'extensions.evictFromApiCache'],
    ['extensions.setSubscriptionFilter({})', 'extensions.setSubscriptionFilter'],
    [
      'extensions.setSubscriptionInvalidationFilter({})',
      'extensions.setSubscriptionInvalidationFilter',
    ],
    ['extensions.invalidateSubscriptions({})', 'extensions.invalidateSubscriptions'],
    ['ctx.info.selectionSetList', 'ctx.info.selectionSetList'],
    ['ctx.info.selectionSetGraphQL', 'ctx.info.selectionSetGraphQL'],
    ['String.fromCharCode(65)', 'String.fromCharCode'],
    ['String.fromCodePoint(65)', 'String.fromCodePoint'],
  ])('refuses %s, naming it', async (expression, feature) => {
    expect(await evaluate(expression)).toEqual(refusal(feature))
  })

  it('offers none of the VTL helpers AWS’s JS typings lack, as on AppSync', async () => {
    expect(await evaluate('[typeof util.isNull, typeof util.str.toUpper, typeof util.qr]')).toEqual(
      ['undefined', 'undefined', 'undefined'],
    )
  })

  it.each(['@aws-appsync/utils/dynamodb', '@aws-appsync/utils/rds', '@aws-appsync/utils/ai'])(
    'refuses a bundle that imports %s when it loads',
    async (module) => {
      const code = `import * as helpers from '${module}'\nexport function request(ctx) { return helpers }\nexport function response(ctx) { return ctx.result }`

      await expect(loadResolverBundle('helpers', code)).rejects.toThrow(
        new BundleRejectedError(
          `helpers failed while loading: Error: \`${module}\` is not supported by the local AppSync runtime`,
        ),
      )
    },
  )
})

describe('Built-ins AWS lists as supported', () => {
  it('offers Math.random, a number in [0, 1)', async () => {
    const values = (await evaluate('[Math.random(), Math.random(), Math.random()]')) as number[]

    expect(values.every((value) => value >= 0 && value < 1)).toBe(true)
    expect(new Set(values).size).toBeGreaterThan(1)
  })

  it('offers String.raw', async () => {
    expect(await evaluate('String.raw`a\\n${1 + 1}`')).toBe('a\\n2')
  })
})

describe('ctx', () => {
  it('hands the handler ctx.args as the same object as ctx.arguments', async () => {
    expect(
      await evaluate('[ctx.args === ctx.arguments, ctx.args.a]', { arguments: { a: 1 } }),
    ).toEqual([true, 1])
  })

  it('hands the handler the field’s name and parent type in ctx.info', async () => {
    expect(
      await evaluate('[ctx.info.fieldName, ctx.info.parentTypeName, ctx.info.variables]', {
        info: { fieldName: 'f', parentTypeName: 'Query', variables: { a: 1 } },
      }),
    ).toEqual(['f', 'Query', { a: 1 }])
  })

  it('collects console lines for the log instead of answering with them', async () => {
    const report = await outcomeOf("console.log('seen', { n: 1 }); console.error('bad'); return 1")

    expect(report.outcome).toEqual({ kind: 'return', value: 1 })
    expect(report.logs).toEqual([
      { level: 'INFO', message: 'seen {"n":1}' },
      { level: 'ERROR', message: 'bad' },
    ])
  })

  it('makes ctx.env read-only', async () => {
    expect(
      await evaluate("[ctx.env.NAME, (ctx.env.NAME = 'changed')]", { env: { NAME: 'v' } }),
    ).toMatchObject({
      kind: 'exception',
      name: 'TypeError',
      message: expect.stringContaining("read only property 'NAME'"),
    })
  })
})
