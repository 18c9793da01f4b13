import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { Sha256 } from '@aws-crypto/sha256-js'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { SignatureV4 } from '@smithy/signature-v4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startGraphqlServer, type GraphqlServer } from '../../infra/local/appsync/graphql-server.js'
import { fixtureApi } from '../fixtures/resolvers/api.js'

const API_KEY = 'da2-test-key'
const iam = {
  accessKeyId: 'AKIATESTBACKEND',
  secretAccessKey: 'test/secret/key',
  region: 'eu-west-1',
  accountId: '123456789012',
}
// The fields these tests call never reach DynamoDB: the client only has to exist.
const idleClient = new DynamoDBClient({
  endpoint: 'http://127.0.0.1:9',
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
})
let server: GraphqlServer
let webDir: string

beforeAll(async () => {
  webDir = await mkdtemp(join(tmpdir(), 'appsync-web-'))
  await mkdir(join(webDir, 'assets'))
  await writeFile(join(webDir, 'index.html'), '<!doctype html><title>app</title>')
  await writeFile(join(webDir, 'assets', 'app.js'), 'console.log(1)')
  server = await startGraphqlServer({
    port: 0,
    apiKey: API_KEY,
    iam,
    resolverEnv: { TABLE_NAME: 'unused', GREETING: 'hello' },
    dynamodb: idleClient,
    api: await fixtureApi(),
    staticDir: webDir,
    webConfig: { apiUrl: 'http://example.test/graphql' },
  })
})

afterAll(async () => {
  await server?.close()
  idleClient.destroy()
  await rm(webDir, { recursive: true, force: true })
})

async function post(
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = { 'x-api-key': API_KEY },
) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  })
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: Record<string, unknown> | null
      errors?: Record<string, unknown>[]
    },
  }
}

/** How a test bends the signing: extra headers to send, headers to leave out of the signature. */
interface SigningVariant {
  headers?: Record<string, string>
  unsigned?: string[]
}

/** Signs a POST as a backend would (SigV4, service appsync) and returns the headers and body to send. */
async function signed(
  query: string,
  credentials: Partial<typeof iam> = {},
  variant: SigningVariant = {},
) {
  const url = new URL(server.url)
  const body = JSON.stringify({ query })
  const signer = new SignatureV4({
    credentials: { ...iam, ...credentials },
    region: iam.region,
    service: 'appsync',
    sha256: Sha256,
  })
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/json', ...variant.headers },
      body,
    },
    { unsignableHeaders: new Set(variant.unsigned) },
  )
  return { headers: request.headers, body }
}

const signatureMismatch = {
  errorType: 'InvalidSignatureException',
  message:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
}

async function postSigned(headers: Record<string, string>, body: string) {
  const response = await fetch(server.url, { method: 'POST', headers, body })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('GraphQL endpoint: API key', () => {
  it('answers an introspection query made with the API key', async () => {
    const { status, body } = await post('{ __schema { queryType { name } types { name } } }')
    const schema = body.data?.__schema as { queryType: { name: string }; types: { name: string }[] }

    expect(status).toBe(200)
    expect(schema.queryType.name).toBe('Query')
    expect(schema.types.map((t) => t.name)).toEqual(
      expect.arrayContaining(['AWSEmail', 'AWSJSON', 'Trace']),
    )
  })

  it.each([
    ['without an API key', {}],
    ['with a wrong API key', { 'x-api-key': 'da2-wrong' }],
  ])('refuses a call %s with 401 and UnauthorizedException', async (_case, headers) => {
    const { status, body } = await post('{ sandbox }', {}, headers)

    expect(status).toBe(401)
    expect(body).toEqual({
      errors: [
        {
          errorType: 'UnauthorizedException',
          message: 'You are not authorized to make this call.',
        },
      ],
    })
  })

  it('refuses an API-key call to an @aws_iam field with AppSync’s Unauthorized error', async () => {
    const { status, body } = await post('{ secret }')

    expect(status).toBe(200)
    expect(body).toEqual({
      data: { secret: null },
      errors: [
        {
          path: ['secret'],
          data: null,
          errorType: 'Unauthorized',
          errorInfo: null,
          locations: [{ line: 1, column: 3, sourceName: null }],
          message: 'Not Authorized to access secret on type Query',
        },
      ],
    })
  })

  it('hands resolvers a null identity, the request headers and the field info', async () => {
    const { body } = await post(
      'query Who { whoami }',
      {},
      { 'x-api-key': API_KEY, 'x-probe': 'seen' },
    )

    expect(JSON.parse(String(body.data?.whoami))).toEqual({
      identity: null,
      authType: 'API Key Authorization',
      probe: 'seen',
      fieldName: 'whoami',
      parentTypeName: 'Query',
      selectionSetList: [],
      variables: {},
      greeting: 'hello',
    })
  })
})

describe('GraphQL endpoint: IAM (SigV4)', () => {
  it('accepts a SigV4-signed call to an @aws_iam field and hands resolvers the IAM identity', async () => {
    const request = await signed('{ secret whoami }')

    const { status, body } = await postSigned(request.headers, request.body)
    const data = body.data as { secret: string; whoami: string }
    const whoami = JSON.parse(data.whoami) as {
      identity: Record<string, unknown>
      authType: string
    }

    expect(status).toBe(200)
    expect(data.secret).toBe('iam-only')
    expect(whoami.authType).toBe('IAM Authorization')
    expect(whoami.identity).toMatchObject({
      accountId: '123456789012',
      username: 'AKIATESTBACKEND',
      userArn: 'arn:aws:iam::123456789012:user/local-backend',
    })
  })

  it('refuses a call signed with the wrong secret with 403 InvalidSignatureException', async () => {
    const request = await signed('{ secret }', { secretAccessKey: 'not/the/secret' })

    const { status, body } = await postSigned(request.headers, request.body)

    expect(status).toBe(403)
    expect(body).toEqual({
      errors: [expect.objectContaining({ errorType: 'InvalidSignatureException' })],
    })
  })

  it('refuses a signed call whose body was changed after signing', async () => {
    const request = await signed('{ secret }')

    const { status } = await postSigned(request.headers, request.body.replace('secret', 'whoami'))

    expect(status).toBe(403)
  })

  it('refuses UNSIGNED-PAYLOAD, so a captured signed request cannot carry another body', async () => {
    const request = await signed(
      '{ secret }',
      {},
      {
        headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
    )

    const { status, body } = await postSigned(
      request.headers,
      request.body.replace('secret', 'whoami'),
    )

    expect(status).toBe(403)
    expect(body).toEqual({ errors: [signatureMismatch] })
  })

  it('refuses UNSIGNED-PAYLOAD even with the body that was sent', async () => {
    const request = await signed(
      '{ secret }',
      {},
      {
        headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
    )

    const { status, body } = await postSigned(request.headers, request.body)

    expect(status).toBe(403)
    expect(body).toEqual({ errors: [signatureMismatch] })
  })

  it('accepts a signed x-amz-content-sha256 that is the hash of the body', async () => {
    const bodyHash = createHash('sha256')
      .update(JSON.stringify({ query: '{ secret }' }))
      .digest('hex')
    const request = await signed(
      '{ secret }',
      {},
      { headers: { 'x-amz-content-sha256': bodyHash } },
    )

    const { status, body } = await postSigned(request.headers, request.body)

    expect(status).toBe(200)
    expect(body).toEqual({ data: { secret: 'iam-only' } })
  })

  it('refuses a signature that does not cover the host header', async () => {
    const request = await signed('{ secret }', {}, { unsigned: ['host'] })

    const { status, body } = await postSigned(request.headers, request.body)

    expect(status).toBe(403)
    expect(body).toEqual({
      errors: [
        {
          errorType: 'InvalidSignatureException',
          message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        },
      ],
    })
  })

  it('refuses a signature that does not cover the signing time (x-amz-date)', async () => {
    const request = await signed('{ secret }', {}, { unsigned: ['x-amz-date'] })

    const { status, body } = await postSigned(request.headers, request.body)

    expect(status).toBe(403)
    expect(body).toEqual({
      errors: [
        {
          errorType: 'InvalidSignatureException',
          message: "'X-Amz-Date' or 'Date' must be a 'SignedHeader' in the AWS Authorization.",
        },
      ],
    })
  })

  it('refuses an unknown access key with 403 UnrecognizedClientException', async () => {
    const request = await signed('{ secret }', { accessKeyId: 'AKIAUNKNOWN' })

    const { status, body } = await postSigned(request.headers, request.body)

    expect(status).toBe(403)
    expect(body).toEqual({
      errors: [
        {
          errorType: 'UnrecognizedClientException',
          message: 'The security token included in the request is invalid.',
        },
      ],
    })
  })

  it('refuses an IAM caller on a field only the API key may call', async () => {
    const request = await signed('mutation { putItem(id: "x", value: "y") }')

    const { body } = await postSigned(request.headers, request.body)

    expect(body.errors).toEqual([
      expect.objectContaining({
        errorType: 'Unauthorized',
        message: 'Not Authorized to access putItem on type Mutation',
      }),
    ])
  })
})

describe('GraphQL endpoint: AWSEmail', () => {
  const echo = (address: string) =>
    post('query E($address: AWSEmail!) { email(address: $address) }', { address })

  it.each([
    'plainaddress',
    '@example.com',
    'user@',
    'user@@example.com',
    'two words@example.com',
    'user@exa mple.com',
    'user@-example.com',
    '.user@example.com',
    'us..er@example.com',
    ' user@example.com',
    'user@example.com\n',
    'user@example..com',
  ])('refuses %j as a variable with AppSync’s validation error', async (address) => {
    const { status, body } = await echo(address)

    expect(status).toBe(200)
    expect(body).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [{ line: 1, column: 9, sourceName: null }],
          message: "Variable 'address' has an invalid value: not a valid 'AWSEmail'",
        },
      ],
    })
  })

  it('refuses an invalid literal with a WrongType validation error that does not repeat the value', async () => {
    const { body } = await post('{ email(address: "not-an-email") }')

    expect(body).toEqual({
      data: null,
      errors: [
        {
          path: null,
          locations: [{ line: 1, column: 18, sourceName: null }],
          message:
            "Validation error of type WrongType: argument 'address' is not a valid 'AWSEmail' @ 'email'",
        },
      ],
    })
  })

  it.each([
    'user@example.com',
    'First.Last+tag@sub.example.co.uk',
    "o'brien@example.ie",
    'user@localhost',
    'x@a-b.io',
  ])('accepts %j', async (address) => {
    expect((await echo(address)).body).toEqual({ data: { email: address } })
  })
})

describe('GraphQL endpoint: HTTP', () => {
  it('answers a CORS preflight as AppSync does', async () => {
    const response = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://elsewhere.test', 'access-control-request-method': 'POST' },
    })

    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-headers')).toEqual(
      expect.stringContaining('x-api-key, authorization, x-amz-date, x-amz-security-token'),
    )
  })

  it('serves the explorer on GET, with the API key filled in', async () => {
    const response = await fetch(server.url)
    const html = await response.text()

    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(html).toContain(`document.getElementById('key').value = "${API_KEY}"`)
  })

  it('serves the web app, its assets, a fallback for client-side routes, and the web config', async () => {
    const base = server.url.replace('/graphql', '')

    expect(await (await fetch(`${base}/`)).text()).toContain('<title>app</title>')
    expect(await (await fetch(`${base}/verify/session`)).text()).toContain('<title>app</title>')
    expect((await fetch(`${base}/assets/app.js`)).headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    )
    expect(await (await fetch(`${base}/config.json`)).json()).toEqual({
      apiUrl: 'http://example.test/graphql',
    })
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404)
  })

  it('gzips the web app for a client that accepts gzip, and only for it', async () => {
    const url = new URL(server.url)
    const get = (headers: Record<string, string>) =>
      new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
        httpRequest(
          { host: url.hostname, port: url.port, path: '/assets/app.js', headers },
          (response) => {
            const chunks: Buffer[] = []
            response.on('data', (chunk: Buffer) => chunks.push(chunk))
            response.on('end', () =>
              resolve({
                encoding: response.headers['content-encoding'],
                body: Buffer.concat(chunks),
              }),
            )
          },
        )
          .on('error', reject)
          .end()
      })

    const zipped = await get({ 'accept-encoding': 'br, gzip' })
    expect(zipped.encoding).toBe('gzip')
    expect(gunzipSync(zipped.body).toString()).toBe('console.log(1)')
    const plain = await get({ 'accept-encoding': 'gzip;q=0, identity' })
    expect([plain.encoding, plain.body.toString()]).toEqual([undefined, 'console.log(1)'])
  })

  it('never serves a file from outside the web app directory', async () => {
    const url = new URL(server.url)
    // fetch would normalise the dots away; a raw request sends them as a client could.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      httpRequest(
        { host: url.hostname, port: url.port, path: '/..%2f..%2f..%2fetc%2fpasswd' },
        (response) => {
          response.resume()
          resolve(response.statusCode)
        },
      )
        .on('error', reject)
        .end()
    })

    expect(status).toBe(404)
  })

  it('refuses a body that is not a GraphQL request with 400', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY },
      body: 'not json',
    })

    expect(response.status).toBe(400)
  })

  it('counts the GraphQL requests it handled', async () => {
    const before = server.requestCount()

    await post('{ sandbox }')

    expect(server.requestCount()).toBe(before + 1)
  })
})
