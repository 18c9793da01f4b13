import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { Sha256 } from '@aws-crypto/sha256-js'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { SignatureV4 } from '@smithy/signature-v4'
import aws4 from 'aws4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createGraphqlRuntime,
  startGraphqlServer,
  type Caller,
  type GraphqlResponseBody,
  type GraphqlServer,
} from '../../infra/local/appsync/graphql-server.js'
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

/**
 * How a test bends the signing: extra headers to send, headers to leave out of the signature, the
 * region and service of the credential scope, the signing time, and whether the signer adds and
 * signs `x-amz-content-sha256` (@smithy/signature-v4 does unless told not to; other signers do not).
 */
interface SigningVariant {
  headers?: Record<string, string>
  unsigned?: string[]
  region?: string
  service?: string
  signingDate?: Date
  checksum?: boolean
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
    region: variant.region ?? iam.region,
    service: variant.service ?? 'appsync',
    sha256: Sha256,
    applyChecksum: variant.checksum ?? true,
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
    { unsignableHeaders: new Set(variant.unsigned), signingDate: variant.signingDate },
  )
  return { headers: request.headers, body }
}

const signatureMismatch = {
  errorType: 'InvalidSignatureException',
  message: expect.stringMatching(
    /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.\n\nThe Canonical String for this request should have been\n'POST\n\/graphql\n/,
  ) as unknown as string,
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
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ sandbox }' }),
    })
    const { status } = response
    const body = (await response.json()) as unknown

    expect(status).toBe(401)
    expect(response.headers.get('x-amzn-errortype')).toBe('UnauthorizedException')
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
      forwardedFor: '127.0.0.1, 127.0.0.1',
      fieldName: 'whoami',
      parentTypeName: 'Query',
      variables: {},
      greeting: 'hello',
    })
  })
})

/** POSTs from the loopback address `from` (all of 127.0.0.0/8 is this machine); the parsed body. */
function postFrom(from: string, headers: Record<string, string>, body: string) {
  const url = new URL(server.url)
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(url.port),
        path: url.pathname,
        method: 'POST',
        family: 4,
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}

async function whoamiFrom(from: string, headers: Record<string, string>) {
  const body = await postFrom(from, headers, JSON.stringify({ query: '{ whoami }' }))
  const data = body.data as { whoami: string }
  return JSON.parse(data.whoami) as { forwardedFor: string; identity: { sourceIp: string[] } }
}

describe('GraphQL endpoint: x-forwarded-for as AppSync fills it', () => {
  it('hands resolvers the TCP peer, then its own address, when the client sends none', async () => {
    const who = await whoamiFrom('127.0.0.2', { 'x-api-key': API_KEY })

    expect(who.forwardedFor).toBe('127.0.0.2, 127.0.0.1')
  })

  it('appends both to the x-forwarded-for a client sends, so the entry before the last is always the peer', async () => {
    const who = await whoamiFrom('127.0.0.3', {
      'x-api-key': API_KEY,
      'x-forwarded-for': '203.0.113.7, 198.51.100.1',
    })

    expect(who.forwardedFor).toBe('203.0.113.7, 198.51.100.1, 127.0.0.3, 127.0.0.1')
  })

  it('lists the same entries as an IAM caller’s sourceIp', async () => {
    const request = await signed(
      '{ whoami }',
      {},
      { headers: { 'x-forwarded-for': '203.0.113.7' } },
    )

    const body = await postFrom('127.0.0.4', request.headers, request.body)
    const who = JSON.parse((body.data as { whoami: string }).whoami) as {
      identity: { sourceIp: string[] }
    }

    expect(who.identity.sourceIp).toEqual(['203.0.113.7', '127.0.0.4', '127.0.0.1'])
  })
})

describe('GraphQL runtime: the default authorization mode', () => {
  const schema = `
    type Query {
      "No directive: only the default mode reaches it."
      plain: String
      "Granted to the API key alone."
      keyed: String @aws_api_key
    }
  `
  const runtime = (defaultAuthMode: 'AWS_IAM' | 'API_KEY') =>
    createGraphqlRuntime({
      api: { schema, defaultAuthMode, resolvers: [], steps: [], bundles: new Map() },
      resolverEnv: {},
      dynamodb: idleClient,
    })
  const keyCaller: Caller = { mode: 'API_KEY', identity: null }
  const iamCaller: Caller = {
    mode: 'AWS_IAM',
    identity: {
      accountId: iam.accountId,
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      sourceIp: ['127.0.0.1'],
      username: iam.accessKeyId,
      userArn: 'arn:aws:iam::123456789012:user/local-backend',
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    },
  }
  const errorTypes = (body: GraphqlResponseBody) =>
    (body.errors ?? []).map((error) => error.errorType)

  it('keeps a field without a directive from the API key when IAM is the default (S10)', async () => {
    const graphql = await runtime('AWS_IAM')

    const byKey = await graphql.execute(
      { query: '{ plain }', variables: null, operationName: null },
      keyCaller,
    )
    const byIam = await graphql.execute(
      { query: '{ plain }', variables: null, operationName: null },
      iamCaller,
    )

    expect(errorTypes(byKey)).toEqual(['Unauthorized'])
    expect(errorTypes(byIam)).toEqual([])
  })

  it('lets only the modes a directive names reach the field, not the default one besides', async () => {
    const graphql = await runtime('AWS_IAM')

    const byKey = await graphql.execute(
      { query: '{ keyed }', variables: null, operationName: null },
      keyCaller,
    )
    const byIam = await graphql.execute(
      { query: '{ keyed }', variables: null, operationName: null },
      iamCaller,
    )

    expect(errorTypes(byKey)).toEqual([])
    expect(errorTypes(byIam)).toEqual(['Unauthorized'])
  })

  it('lets the API key reach a field without a directive when the API key is the default', async () => {
    const graphql = await runtime('API_KEY')

    const byKey = await graphql.execute(
      { query: '{ plain }', variables: null, operationName: null },
      keyCaller,
    )

    expect(errorTypes(byKey)).toEqual([])
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

describe('GraphQL endpoint: IAM as AWS’s signers sign', () => {
  it('accepts a signature over only the headers the client listed, without x-amz-content-sha256', async () => {
    const request = await signed('{ secret }', {}, { checksum: false })

    const { status, body } = await postSigned(request.headers, request.body)

    expect(request.headers.authorization).toContain('SignedHeaders=content-type;host;x-amz-date,')
    expect(status).toBe(200)
    expect(body).toEqual({ data: { secret: 'iam-only' } })
  })

  it('accepts a request signed by the aws4 library (content-length, content-type, host, x-amz-date)', async () => {
    const url = new URL(server.url)
    const body = JSON.stringify({ query: '{ secret }' })
    const request = aws4.sign(
      {
        host: url.host,
        path: url.pathname,
        method: 'POST',
        service: 'appsync',
        region: iam.region,
        headers: { 'content-type': 'application/json' },
        body,
      },
      iam,
    )

    const { status, body: answer } = await postSigned(
      request.headers as Record<string, string>,
      body,
    )

    expect(String(request.headers?.Authorization)).toContain(
      'SignedHeaders=content-length;content-type;host;x-amz-date,',
    )
    expect(status).toBe(200)
    expect(answer).toEqual({ data: { secret: 'iam-only' } })
  })

  it('accepts a request signed by curl --aws-sigv4, as a developer would send it', async () => {
    const body = JSON.stringify({ query: '{ secret }' })
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        'curl',
        [
          '--silent',
          '--aws-sigv4',
          `aws:amz:${iam.region}:appsync`,
          '--user',
          `${iam.accessKeyId}:${iam.secretAccessKey}`,
          '--header',
          'content-type: application/json',
          '--data',
          body,
          server.url,
        ],
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      )
    })

    expect(JSON.parse(output)).toEqual({ data: { secret: 'iam-only' } })
  })

  it('accepts a signed accept header and collapses runs of spaces in a header value, as SigV4 does', async () => {
    const request = await signed(
      '{ secret }',
      {},
      { checksum: false, headers: { accept: '*/*', 'x-probe': 'a   b' } },
    )

    const { status } = await postSigned(request.headers, request.body)

    expect(request.headers.authorization).toContain(
      'SignedHeaders=accept;content-type;host;x-amz-date;x-probe,',
    )
    expect(status).toBe(200)
  })

  it('refuses a call whose signed content-type was changed after signing', async () => {
    const request = await signed('{ secret }', {}, { checksum: false })

    const { status, body } = await postSigned(
      { ...request.headers, 'content-type': 'text/plain' },
      request.body,
    )

    expect(status).toBe(403)
    expect(body).toEqual({ errors: [signatureMismatch] })
  })

  it('tells a refused client the canonical request and string-to-sign it should have signed', async () => {
    const request = await signed('{ secret }', { secretAccessKey: 'wrong' }, { checksum: false })
    const bodyHash = createHash('sha256').update(request.body).digest('hex')
    const date = request.headers['x-amz-date'] ?? ''

    const { body } = await postSigned(request.headers, request.body)
    const message = (body.errors as { message: string }[])[0]?.message ?? ''

    expect(message).toContain(
      `'POST\n/graphql\n\ncontent-type:application/json\nhost:${
        new URL(server.url).host
      }\nx-amz-date:${date}\n\ncontent-type;host;x-amz-date\n${bodyHash}'`,
    )
    expect(message).toContain(
      `The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n${date}\n${date.slice(0, 8)}/${
        iam.region
      }/appsync/aws4_request\n`,
    )
  })

  it.each([
    [
      'another region',
      { region: 'us-east-1' },
      "Credential should be scoped to a valid region, not 'us-east-1'. ",
    ],
    [
      'another service',
      { service: 'execute-api' },
      "Credential should be scoped to correct service: 'appsync'. ",
    ],
  ])('refuses a signature scoped to %s with AWS’s message', async (_case, variant, message) => {
    const request = await signed('{ secret }', {}, variant)

    const { status, body } = await postSigned(request.headers, request.body)

    expect(status).toBe(403)
    expect(body).toEqual({ errors: [{ errorType: 'InvalidSignatureException', message }] })
  })

  it('accepts a signature made with session credentials (x-amz-security-token signed)', async () => {
    const request = await signed('{ secret }', { sessionToken: 'a-session-token' } as Partial<
      typeof iam
    >)

    const { status } = await postSigned(request.headers, request.body)

    expect(request.headers['x-amz-security-token']).toBe('a-session-token')
    expect(status).toBe(200)
  })

  it('refuses a signed request without an x-amz-date header as IncompleteSignatureException', async () => {
    const request = await signed('{ secret }')
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => name !== 'x-amz-date'),
    )

    const { status, body } = await postSigned(headers, request.body)

    expect(status).toBe(403)
    expect(body).toEqual({
      errors: [
        {
          errorType: 'IncompleteSignatureException',
          message: expect.stringMatching(
            /^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=AWS4-HMAC-SHA256 /,
          ) as unknown as string,
        },
      ],
    })
  })

  it('refuses a signature made more than five minutes ago', async () => {
    const request = await signed('{ secret }', {}, { signingDate: new Date(Date.now() - 600_000) })

    const { status, body } = await postSigned(request.headers, request.body)

    expect(status).toBe(403)
    expect(body).toEqual({
      errors: [
        {
          errorType: 'InvalidSignatureException',
          message: expect.stringMatching(
            /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
          ) as unknown as string,
        },
      ],
    })
  })
})

describe('GraphQL endpoint: response headers', () => {
  it('names every response with an x-amzn-RequestId', async () => {
    const first = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ query: '{ sandbox }' }),
    })
    const second = await fetch(server.url, { method: 'POST', body: '{}' })

    expect(first.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    expect(second.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    expect(first.headers.get('x-amzn-requestid')).not.toBe(second.headers.get('x-amzn-requestid'))
  })

  it('names an IAM refusal in the x-amzn-ErrorType header', async () => {
    const request = await signed('{ secret }', { secretAccessKey: 'wrong' })

    const response = await fetch(server.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    })

    expect(response.status).toBe(403)
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException')
  })

  it('lets a browser client read x-amzn-ErrorType and x-amzn-RequestId (CORS expose headers)', async () => {
    const response = await fetch(server.url, { method: 'OPTIONS' })

    expect(response.headers.get('access-control-expose-headers')?.split(',')).toEqual(
      expect.arrayContaining(['x-amzn-RequestId', 'x-amzn-ErrorType']),
    )
  })

  it('sends no x-amzn-ErrorType with a GraphQL answer, even one with errors', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ query: '{ secret }' }),
    })

    expect(response.status).toBe(200)
    expect(response.headers.get('x-amzn-errortype')).toBeNull()
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
