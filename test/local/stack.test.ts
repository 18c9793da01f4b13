import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreateTableCommand } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocalDynamoDbClient, startDynamoDbLocal } from '../../infra/local/dynamodb-local.js'
import { findFreePort, isPortFree } from '../../infra/local/ports.js'
import { startLocalStack } from '../../infra/local/stack.js'
import { graphql, graphqlResponse, signedGraphql, useLocalStack } from '../support/local-stack.js'
import { dynamoDbLocalPids, isAlive } from '../support/processes.js'

const POLICY = 'query { otpPolicy { codeLength maxAttempts } }'
const INTROSPECTION = 'query { __schema { mutationType { fields { name } } } }'

describe('startLocalStack', () => {
  const local = useLocalStack({ email: false, settings: { codeLength: 8 } })

  it('serves introspection to a caller with the API key', async () => {
    const body = await graphql(local.stack(), INTROSPECTION)
    const names = body.data.__schema.mutationType.fields.map((f: { name: string }) => f.name)
    expect(names).toEqual(expect.arrayContaining(['requestOtp', 'verifyOtp', 'redeemVerification']))
  })

  it('refuses a call without an API key with 401', async () => {
    const { status, body } = await graphqlResponse(local.stack(), POLICY, {}, { apiKey: null })
    expect(status).toBe(401)
    expect(body.data ?? null).toBeNull()
  })

  it('refuses a call with a wrong API key with 401', async () => {
    const { status } = await graphqlResponse(local.stack(), POLICY, {}, { apiKey: 'da2-wrong' })
    expect(status).toBe(401)
  })

  it('passes its settings to the resolvers', async () => {
    const body = await signedGraphql(local.stack(), POLICY)
    expect(body.data.otpPolicy).toEqual({ codeLength: 8, maxAttempts: 5 })
  })

  it('accepts a call signed with the local IAM credentials and refuses a wrong secret', async () => {
    const signed = await signedGraphql(local.stack(), POLICY)
    const forged = await signedGraphql(
      local.stack(),
      POLICY,
      {},
      { credentials: { secretAccessKey: 'wrong' } },
    )
    expect(signed.data.otpPolicy.codeLength).toBe(8)
    expect(forged.data ?? null).toBeNull()
  })

  it('reports its URLs, ports, table and credentials', () => {
    const stack = local.stack()
    expect(stack.urls.api).toBe(`http://localhost:${stack.ports.api}/graphql`)
    expect(stack.urls.graphiql).toBe(stack.urls.api)
    expect(stack.urls.dynamodb).toBe(`http://localhost:${stack.ports.dynamodb}`)
    expect(stack.tableName).toBe('otp')
    expect(stack.streamArn).toContain('table/otp/stream/')
    expect(stack.iam).toMatchObject({ accessKeyId: 'ASIALOCALDEVELOPMENT', region: 'us-east-1' })
    expect(stack.apiKey).toBe('da2-local-development-key')
  })
})

describe('stopping the local stack', () => {
  it('leaves no Java process and frees every port, however often it is called', async () => {
    // Prepare
    const stack = await startLocalStack({
      env: {},
      quiet: true,
      ports: { api: 0, dynamodb: 0, ses: 0 },
    })
    expect(stack.urls.ses).toBe(`http://localhost:${stack.ports.ses}`)
    const [javaPid] = dynamoDbLocalPids(stack.ports.dynamodb)
    expect(javaPid).toBeDefined()
    // Act
    await Promise.all([stack.stop(), stack.stop()])
    await stack.stop()
    // Assess
    expect(isAlive(javaPid as number)).toBe(false)
    expect(dynamoDbLocalPids(stack.ports.dynamodb)).toEqual([])
    expect(await isPortFree(stack.ports.dynamodb)).toBe(true)
    expect(await isPortFree(stack.ports.api)).toBe(true)
    expect(await isPortFree(stack.ports.ses as number)).toBe(true)
  })
})

describe('a start-up that fails part-way', () => {
  let dir: string
  beforeAll(async () => {
    // A database whose otp table has no stream: the stack fails after DynamoDB Local is up.
    dir = await mkdtemp(join(tmpdir(), 'otp-stack-'))
    const ddb = await startDynamoDbLocal({ port: 0, dbPath: dir })
    const client = createLocalDynamoDbClient(ddb.endpoint)
    try {
      await client.send(
        new CreateTableCommand({
          TableName: 'otp',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      )
    } finally {
      client.destroy()
      await ddb.stop()
    }
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('stops DynamoDB Local again before it rethrows', async () => {
    const port = await findFreePort()
    const start = startLocalStack({
      env: {},
      quiet: true,
      email: false,
      dynamodbPath: dir,
      ports: { api: 0, dynamodb: port },
    })
    await expect(start).rejects.toThrow('exists without a stream')
    expect(dynamoDbLocalPids(port)).toEqual([])
    expect(await isPortFree(port)).toBe(true)
  })

  it.each([
    ['api', 'GraphQL API', 'API_PORT'],
    ['ses', 'local SES', 'SES_PORT'],
  ] as const)(
    'refuses a taken %s port before starting Java, naming it (%s, %s)',
    async (part, label, variable) => {
      const taken = await findFreePort()
      const dynamodbPort = await findFreePort()
      const blocker = createServer()
      await new Promise<void>((resolve) => blocker.listen(taken, resolve))
      try {
        const start = startLocalStack({
          env: {},
          quiet: true,
          ports: { api: 0, ses: 0, dynamodb: dynamodbPort, [part]: taken },
        })
        await expect(start).rejects.toThrow(`port ${taken} (${label}) is in use`)
        await expect(start).rejects.toThrow(variable)
        expect(dynamoDbLocalPids(dynamodbPort)).toEqual([])
      } finally {
        await new Promise<void>((resolve) => blocker.close(() => resolve()))
      }
    },
  )
})
