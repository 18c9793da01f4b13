import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import vm from 'node:vm'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildResolverBundles } from '../../infra/bundle.js'
import {
  createGraphqlRuntime,
  type GraphqlRuntime,
} from '../../infra/local/appsync/graphql-runtime.js'
import { runtimeLibScript } from '../../infra/local/appsync/runtime-lib-script.js'
import { BundleRejectedError, loadResolverBundle } from '../../infra/local/appsync/sandbox.js'
import { hostBridge } from '../../infra/local/appsync/sandbox-host.js'
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

  it('offers Math.random and String.raw, which AWS lists as supported', async () => {
    const random = await run('{ fail(kind: "random") { kept } }')
    const raw = await run('{ fail(kind: "raw") { kept } }')

    expect(Number((random.data?.fail as { kept: string }).kept)).toBeLessThan(1)
    expect(raw.data).toEqual({ fail: { kept: 'a\\n2' } })
  })

  it('lacks the methods AWS’s linter reports as not implemented, such as String.prototype.padStart', async () => {
    const body = await run('{ fail(kind: "padStart") { kept } }')

    expect(body.errors?.[0]?.message).toBe(
      'failStep.js: TypeError: String.prototype.padStart is not implemented in APPSYNC_JS',
    )
  })
})

describe('Sandbox: no way out to the host', () => {
  // Each expression is a function constructor reached from something resolver code can touch;
  // the host's would compile `return process`, the sandbox's refuses to compile anything.
  it.each([
    'globalThis.constructor.constructor',
    'globalThis.hasOwnProperty.constructor',
    'Object.constructor',
    'util.constructor.constructor',
    'util.error.constructor',
    'util.time.nowISO8601.constructor',
    'util.dynamodb.toMapValues.constructor',
    'runtime.constructor.constructor',
    'runtime.earlyReturn.constructor',
    'extensions.evictFromApiCache.constructor',
    'console.constructor.constructor',
    'console.log.constructor',
    'ctx.constructor.constructor',
    'ctx.args.constructor.constructor',
    'ctx.arguments.email.constructor.constructor',
    'ctx.stash.constructor.constructor',
    'ctx.env.constructor.constructor',
    'ctx.identity.constructor.constructor',
    'ctx.request.headers.constructor.constructor',
    'ctx.prev.result.constructor.constructor',
    'ctx.result.items.constructor.constructor',
    '(Error.prepareStackTrace = (error, sites) => sites, new Error().stack.at(-1).constructor.constructor)',
  ])('cannot reach process through %s', async (path) => {
    const bundle = await loadResolverBundle(
      'escape',
      `export function request(ctx) { return { reached: typeof (${path})('return process')() } }\n` +
        'export function response(ctx) { return {} }',
    )

    const report = bundle.invoke({
      handler: 'request',
      ctx: {
        arguments: { email: 'a@example.com' },
        stash: { seen: true },
        env: { TABLE_NAME: 'table' },
        identity: { username: 'backend' },
        request: { headers: { host: 'localhost' } },
        prev: { result: { id: 'x' } },
        result: { items: [{ id: 'x' }] },
      },
      authType: 'API Key Authorization',
    })

    expect(report.outcome).toEqual({
      kind: 'exception',
      name: 'EvalError',
      message: 'Code generation from strings disallowed for this context',
    })
  })

  it('re-raises a failing host call as an error of the sandbox, not of the host', async () => {
    const context = vm.createContext(Object.create(null) as object, {
      codeGeneration: { strings: false, wasm: false },
    })
    ;(await runtimeLibScript()).runInContext(context)
    const failingBridge = {
      ...hostBridge,
      randomUuid: () => {
        throw new RangeError('Maximum call stack size exceeded')
      },
    }
    Object.assign(context, { failingBridge })
    vm.runInContext('__appsyncRuntimeLib.installRuntime(failingBridge)', context)

    // Test code, not a bundle: a bundle could not catch (try/catch is refused when it loads).
    const caught = vm.runInContext(
      `(() => {
        try { util.autoId() } catch (error) {
          try { return typeof error.constructor.constructor('return process')() }
          catch (refused) { return refused.name + ' after ' + error.name + ': ' + error.message }
        }
      })()`,
      context,
    ) as string

    expect(caught).toBe('EvalError after RangeError: Maximum call stack size exceeded')
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

  // AWS's list of what the APPSYNC_JS runtime does not support ("Supported runtime features").
  it.each([
    [
      'try/catch',
      'export function request(ctx) {\n  try { util.error("no") } catch (e) { return {} }\n}',
      '2:3',
    ],
    [
      'try/finally',
      'export function request(ctx) {\n  try { return {} } finally { ctx.stash.x = 1 }\n}',
      '2:3',
    ],
    [
      'try/catch/finally',
      'export function request(ctx) {\n  try { return {} } catch (e) {} finally {}\n}',
      '2:3',
    ],
    ['throw', 'export function request(ctx) {\n  throw new Error("no")\n}', '2:3'],
    ['while loops', 'export function request(ctx) {\n  while (ctx.stash.x) {}\n}', '2:3'],
    ['do-while loops', 'export function request(ctx) {\n  do {} while (false)\n}', '2:3'],
    [
      'for(;;) loops (for-in and for-of are supported)',
      'export function request(ctx) {\n  for (let i = 0; i < 3; i = i + 1) {}\n}',
      '2:3',
    ],
    [
      'continue',
      'export function request(ctx) {\n  for (const x of [1]) { if (x) continue }\n}',
      '2:33',
    ],
    ['labeled statements', 'export function request(ctx) {\n  outer: if (ctx) {}\n}', '2:3'],
    ['the ++ operator', 'export function request(ctx) {\n  let n = 0\n  n++\n}', '3:3'],
    ['the -- operator', 'export function request(ctx) {\n  let n = 0\n  --n\n}', '3:3'],
    ['the ~ operator', 'export function request(ctx) {\n  return { n: ~1 }\n}', '2:15'],
    [
      'the in operator (Object.hasOwn is supported)',
      'export function request(ctx) {\n  return { n: "a" in ctx }\n}',
      '2:15',
    ],
    [
      'dynamic import()',
      'export function request(ctx) {\n  const fs = "node:fs"\n  import(fs)\n  return {}\n}',
      '3:3',
    ],
  ])('refuses %s when loading, naming the place', async (construct, request, where) => {
    const code = `${request}\nexport function response(ctx) { return {} }`

    await expect(loadResolverBundle('bad', code)).rejects.toThrow(
      new BundleRejectedError(`bad: APPSYNC_JS does not support ${construct} (bad.js:${where})`),
    )
  })

  it('accepts every resolver and step bundle the build produces', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'appsync-bundles-'))
    try {
      const bundles = await buildResolverBundles(outDir)

      const loaded = await Promise.all(
        [...bundles].map(([name, code]) => loadResolverBundle(name, code)),
      )

      expect(loaded.map((bundle) => bundle.name).sort()).toEqual([...bundles.keys()].sort())
    } finally {
      await rm(outDir, { recursive: true, force: true })
    }
  })

  it('accepts every fixture bundle', async () => {
    const { bundles } = await fixtureApi()

    const loaded = await Promise.all(
      [...bundles].map(([name, code]) => loadResolverBundle(name, code)),
    )

    expect(loaded).toHaveLength(bundles.size)
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

  it('stops a handler that outlives its time limit', async () => {
    // AppSync allows for-of; three nested loops over 100,000 items would run for days.
    const bundle = await loadResolverBundle(
      'spin',
      `export function request(ctx) {
        const row = new Array(100000).fill(0)
        let sum = 0
        for (const a of row) for (const b of row) for (const c of row) sum = sum + a + b + c
        return { sum }
      }
      export function response(ctx) {}`,
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
