import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createGraphqlRuntime,
  type GraphqlRuntime,
} from '../../infra/local/appsync/graphql-runtime.js'
import { BundleRejectedError, loadResolverBundle } from '../../infra/local/appsync/sandbox.js'
import { fixtureApi } from '../fixtures/resolvers/api.js'

// These resolvers never reach DynamoDB: the client only has to exist.
const idleClient = new DynamoDBClient({
  endpoint: 'http://127.0.0.1:9',
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
})
let runtime: GraphqlRuntime

beforeAll(async () => {
  runtime = await createGraphqlRuntime({
    api: await fixtureApi(),
    resolverEnv: { TABLE_NAME: 'unused' },
    dynamodb: idleClient,
  })
})
afterAll(() => idleClient.destroy())

const run = (query: string) => runtime.execute({ query }, { mode: 'API_KEY', identity: null })
const handlers =
  'export function request(ctx) { return {} }\nexport function response(ctx) { return ctx.prev.result }\n'

describe('Sandbox: what resolver code can reach', () => {
  it('offers no process, require, fetch, timers, Buffer, WebAssembly or Promise, but util, runtime, console and Date', async () => {
    const body = await run('{ sandbox }')

    expect(JSON.parse(String(body.data?.sandbox))).toEqual({
      process: 'undefined',
      require: 'undefined',
      fetch: 'undefined',
      setTimeout: 'undefined',
      setImmediate: 'undefined',
      Buffer: 'undefined',
      WebAssembly: 'undefined',
      Promise: 'undefined',
      util: 'object',
      runtime: 'object',
      console: 'function',
      dateNow: 'function',
    })
  })

  it('refuses to compile code from strings (eval, the Function constructor)', async () => {
    const body = await run('{ fail(kind: "eval") { kept } }')

    expect(body.errors?.[0]).toMatchObject({
      errorType: 'Code',
      message: expect.stringMatching(/EvalError: Code generation from strings disallowed/),
    })
  })

  it('offers no Math.random (util.autoId() is the cryptographic source)', async () => {
    const body = await run('{ fail(kind: "random") { kept } }')

    expect(body.errors?.[0]).toMatchObject({
      errorType: 'Code',
      message: 'failStep.js: TypeError: Math.random is not implemented in APPSYNC_JS',
    })
  })

  it('lacks the methods AWS’s linter reports as not implemented, such as String.prototype.padStart', async () => {
    const body = await run('{ fail(kind: "padStart") { kept } }')

    expect(body.errors?.[0]?.message).toBe(
      'failStep.js: TypeError: String.prototype.padStart is not implemented in APPSYNC_JS',
    )
  })
})

describe('Sandbox: loading a bundle', () => {
  it('refuses a bundle over 32,768 characters', async () => {
    const code = `${handlers}// ${'x'.repeat(32_768)}`

    await expect(loadResolverBundle('huge', code)).rejects.toThrow(
      new BundleRejectedError(`huge is ${code.length} characters; AppSync accepts at most 32768`),
    )
  })

  it('accepts a bundle of exactly 32,768 characters', async () => {
    const code = `${handlers}//`.padEnd(32_768, 'x')

    await expect(loadResolverBundle('fits', code)).resolves.toMatchObject({ name: 'fits' })
  })

  it.each([
    [
      'async functions',
      'export async function request(ctx) { return {} }\nexport function response(ctx) {}',
      'async functions (bad.js:1:8)',
    ],
    [
      'generators',
      'export function request(ctx) { return {} }\nexport function* response(ctx) {}',
      'generators (bad.js:2:16)',
    ],
    [
      'classes',
      'class A {}\nexport function request(ctx) { return new A() }\nexport function response(ctx) {}',
      'classes (bad.js:1:1)',
    ],
  ])('refuses %s when loading, naming the place', async (_feature, code, where) => {
    await expect(loadResolverBundle('bad', code)).rejects.toThrow(
      `bad: APPSYNC_JS does not support ${where}`,
    )
  })

  it('refuses imports other than @aws-appsync/utils and @aws-appsync/utils/dynamodb', async () => {
    await expect(
      loadResolverBundle(
        'imports',
        `import { readFile } from 'node:fs'\n${handlers}export const r = readFile`,
      ),
    ).rejects.toThrow(BundleRejectedError)
  })

  it('refuses a bundle that does not export both handlers', async () => {
    await expect(
      loadResolverBundle('half', 'export function request(ctx) { return {} }'),
    ).rejects.toThrow('half must export both a request and a response function')
  })

  it('stops a handler that never returns', async () => {
    const bundle = await loadResolverBundle(
      'spin',
      'export function request(ctx) { while (true) {} }\nexport function response(ctx) {}',
      { timeoutMs: 50 },
    )

    const report = bundle.invoke({
      handler: 'request',
      ctx: { stash: {} },
      authType: 'API Key Authorization',
    })

    expect(report.outcome).toEqual({
      kind: 'exception',
      name: 'Error',
      message: 'Execution timed out after 50 ms',
    })
  })
})
