import { describe, expect, it } from 'vitest'
import { loadResolverBundle } from '../../infra/local/appsync/sandbox.js'

/** Evaluates `expression` inside a request handler in the sandbox and returns its value (or the halt). */
async function evaluate(expression: string, ctx: Record<string, unknown> = {}) {
  const code = [
    "import { util, runtime } from '@aws-appsync/utils'",
    "import * as ddb from '@aws-appsync/utils/dynamodb'",
    `export function request(ctx) { return ${expression} }`,
    'export function response(ctx) { return ctx.result }',
  ].join('\n')
  const bundle = await loadResolverBundle('probe', code)
  const report = bundle.invoke({
    handler: 'request',
    ctx: { stash: {}, ...ctx },
    authType: 'API Key Authorization',
  })
  return report.outcome.kind === 'return' ? report.outcome.value : report.outcome
}

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
  it('converts between epoch milliseconds and ISO 8601', async () => {
    expect(
      await evaluate(`({
        iso: util.time.epochMilliSecondsToISO8601(1517943695750),
        parsed: util.time.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:05.180+08:00'),
        seconds: util.time.epochMilliSecondsToSeconds(1517943695750),
      })`),
    ).toEqual({ iso: '2018-02-06T19:01:35.750Z', parsed: 1517476865180, seconds: 1517943695 })
  })

  it('formats and parses with DateTimeFormatter patterns and zones', async () => {
    expect(
      await evaluate(`({
        utc: util.time.epochMilliSecondsToFormatted(1517943695750, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"),
        berlin: util.time.epochMilliSecondsToFormatted(1517943695750, 'yyyy-MM-dd HH:mm:ssZ', 'Europe/Berlin'),
        named: util.time.epochMilliSecondsToFormatted(1517943695750, 'EEE, d MMM yyyy hh:mm a'),
        parsed: util.time.parseFormattedToEpochMilliSeconds('2018-02-06 20:01:35+0100', 'yyyy-MM-dd HH:mm:ssZ'),
        zoned: util.time.parseFormattedToEpochMilliSeconds('2018-02-06 20:01:35', 'yyyy-MM-dd HH:mm:ss', 'Europe/Berlin'),
      })`),
    ).toEqual({
      utc: '2018-02-06T19:01:35.750Z',
      berlin: '2018-02-06 20:01:35+0100',
      named: 'Tue, 6 Feb 2018 07:01 PM',
      parsed: 1517943695000,
      zoned: 1517943695000,
    })
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
})

describe('util.dynamodb and util.transform', () => {
  it('converts values to DynamoDB JSON with numbers left as numbers and lists as L', async () => {
    expect(
      await evaluate(
        "util.dynamodb.toMapValues({ foo: 'bar', baz: 1234, beep: ['boop'], on: true, none: null })",
      ),
    ).toEqual({
      foo: { S: 'bar' },
      baz: { N: 1234 },
      beep: { L: [{ S: 'boop' }] },
      on: { BOOL: true },
      none: { NULL: null },
    })
  })

  it('builds filter expressions from filter objects', async () => {
    const expression = await evaluate(
      "JSON.parse(util.transform.toDynamoDBFilterExpression({ title: { contains: 'Hello World' } }))",
    )

    expect(expression).toEqual({
      expression: 'contains(#title, :title_contains)',
      expressionNames: { '#title': 'title' },
      expressionValues: { ':title_contains': { S: 'Hello World' } },
    })
  })
})

describe('@aws-appsync/utils/dynamodb', () => {
  it('builds GetItem and PutItem requests with a condition from a filter object', async () => {
    expect(
      await evaluate(
        "[ddb.get({ key: { id: 'a' }, consistentRead: true }), ddb.put({ key: { id: 'a' }, item: { n: 1 }, condition: { id: { attributeExists: false } } })]",
      ),
    ).toEqual([
      { operation: 'GetItem', key: { id: { S: 'a' } }, consistentRead: true },
      {
        operation: 'PutItem',
        key: { id: { S: 'a' } },
        attributeValues: { n: { N: 1 } },
        condition: {
          expression: 'attribute_not_exists(#id)',
          expressionNames: { '#id': 'id' },
          expressionValues: {},
        },
      },
    ])
  })

  it('builds an UpdateItem expression from operations', async () => {
    const request = (await evaluate(
      "ddb.update({ key: { id: 'a' }, update: { count: ddb.operations.increment(2), name: 'x', gone: ddb.operations.remove() } })",
    )) as {
      update: { expression: string; expressionNames: Record<string, string> }
    }

    expect(request.update.expression).toBe('SET #upd1 = :upd1 ADD #upd0 :upd0 REMOVE #upd2')
    expect(request.update.expressionNames).toEqual({
      '#upd0': 'count',
      '#upd1': 'name',
      '#upd2': 'gone',
    })
  })
})

describe('util: strings, errors and context', () => {
  it('encodes like Java: URL form encoding, base64 of UTF-8, ECMAScript escaping', async () => {
    expect(
      await evaluate(`({
        url: util.urlEncode("a b!'(~)*"),
        back: util.urlDecode('a+b%21'),
        b64: util.base64Encode('héllo'),
        text: util.base64Decode('aMOpbGxv'),
        js: util.escapeJavaScript('say "hi"/é'),
      })`),
    ).toEqual({
      url: 'a+b%21%27%28%7E%29*',
      back: 'a b!',
      b64: 'aMOpbGxv',
      text: 'héllo',
      js: 'say \\"hi\\"\\/\\u00E9',
    })
  })

  it('matches a pattern against the whole string, as Java does', async () => {
    expect(
      await evaluate(
        "[util.matches('a*b', 'aaab'), util.matches('a*b', 'aaabc'), util.matches('[0-9]{6}', '123456')]",
      ),
    ).toEqual([true, false, true])
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

  it('hands the handler ctx.args as the same object as ctx.arguments', async () => {
    expect(
      await evaluate('[ctx.args === ctx.arguments, ctx.args.a]', { arguments: { a: 1 } }),
    ).toEqual([true, 1])
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
