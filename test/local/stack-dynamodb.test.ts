import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  JavaMissingError,
  createLocalDynamoDbClient,
  startDynamoDbLocal,
  type DynamoDbLocal,
} from '../../infra/local/dynamodb-local.js'
import { PortInUseError, findFreePort, isPortFree } from '../../infra/local/ports.js'
import { ensureTable, tableDefinition } from '../../infra/local/table.js'
import { dynamoDbLocalPids, isAlive } from '../support/processes.js'

describe('DynamoDB Local', () => {
  it('answers on a free port and leaves no Java process and a free port after stop', async () => {
    // Prepare
    const ddb = await startDynamoDbLocal({ port: 0 })
    const client = createLocalDynamoDbClient(ddb.endpoint)
    try {
      // Act
      const tables = await client.send(new ListTablesCommand({}))
      // Assess
      expect(tables.TableNames).toEqual([])
      expect(dynamoDbLocalPids(ddb.port)).toEqual([ddb.pid])
    } finally {
      client.destroy()
      await ddb.stop()
    }
    expect(isAlive(ddb.pid)).toBe(false)
    expect(dynamoDbLocalPids(ddb.port)).toEqual([])
    expect(await isPortFree(ddb.port)).toBe(true)
  })

  it("starts the JVM with the fast-start options, appended to the caller's, and restores the caller's", async () => {
    const previous = process.env.JAVA_TOOL_OPTIONS
    process.env.JAVA_TOOL_OPTIONS = '-Dcaller.option=1'
    let ddb: DynamoDbLocal | undefined
    try {
      ddb = await startDynamoDbLocal({ port: 0 })
      const environ = readFileSync(`/proc/${ddb.pid}/environ`, 'utf8').split('\0')
      expect(environ).toContain('JAVA_TOOL_OPTIONS=-Dcaller.option=1 -XX:TieredStopAtLevel=1')
      expect(process.env.JAVA_TOOL_OPTIONS).toBe('-Dcaller.option=1')
    } finally {
      if (previous === undefined) delete process.env.JAVA_TOOL_OPTIONS
      else process.env.JAVA_TOOL_OPTIONS = previous
      await ddb?.stop()
    }
  })

  it('stops idempotently', async () => {
    const ddb = await startDynamoDbLocal({ port: 0 })
    await Promise.all([ddb.stop(), ddb.stop()])
    await ddb.stop()
    expect(isAlive(ddb.pid)).toBe(false)
  })

  describe('when the port is taken', () => {
    let blocker: Server
    let port: number
    beforeAll(async () => {
      port = await findFreePort()
      blocker = createServer()
      await new Promise<void>((resolve) => blocker.listen(port, resolve))
    })
    afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())))

    it('refuses to start and names DYNAMODB_PORT', async () => {
      const start = startDynamoDbLocal({ port })
      await expect(start).rejects.toBeInstanceOf(PortInUseError)
      await expect(start).rejects.toThrow(`port ${port} (DynamoDB Local) is in use`)
      await expect(start).rejects.toThrow('DYNAMODB_PORT')
      expect(dynamoDbLocalPids(port)).toEqual([])
    })
  })

  it('says how to install Java when java is not on PATH', async () => {
    const path = process.env.PATH
    process.env.PATH = '/nonexistent'
    try {
      const start = startDynamoDbLocal({ port: 0 })
      await expect(start).rejects.toBeInstanceOf(JavaMissingError)
      await expect(start).rejects.toThrow('apt-get install -y openjdk-17-jre-headless')
    } finally {
      process.env.PATH = path
    }
  })

  describe('with a database directory', () => {
    let dir: string
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'otp-ddb-'))
    })
    afterAll(() => rm(dir, { recursive: true, force: true }))

    it('keeps the table and its items across a restart', async () => {
      // Prepare
      const first = await startDynamoDbLocal({ port: 0, dbPath: join(dir, 'db') })
      const writer = createLocalDynamoDbClient(first.endpoint)
      try {
        await ensureTable(writer)
        await writer.send(new PutItemCommand({ TableName: 'otp', Item: { pk: { S: 'kept' } } }))
      } finally {
        writer.destroy()
        await first.stop()
      }
      // Act
      const second = await startDynamoDbLocal({ port: 0, dbPath: join(dir, 'db') })
      const reader = createLocalDynamoDbClient(second.endpoint)
      try {
        const again = await ensureTable(reader)
        const { Item } = await reader.send(
          new GetItemCommand({ TableName: 'otp', Key: { pk: { S: 'kept' } } }),
        )
        // Assess
        expect(again.created).toBe(false)
        expect(Item).toEqual({ pk: { S: 'kept' } })
      } finally {
        reader.destroy()
        await second.stop()
      }
    })
  })
})

describe('the OTP table', () => {
  let ddb: DynamoDbLocal
  const client = () => createLocalDynamoDbClient(ddb.endpoint)
  beforeAll(async () => {
    ddb = await startDynamoDbLocal({ port: 0 })
  })
  afterAll(() => ddb?.stop())

  it('is created from infra/api.ts: pk string key, on demand, keys-only stream, TTL on ttl', async () => {
    const dynamodb = client()
    try {
      const info = await ensureTable(dynamodb, 'otp-shape')
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'otp-shape' }))
      const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'otp-shape' }))

      expect(info).toMatchObject({
        tableName: 'otp-shape',
        created: true,
        streamArn: Table?.LatestStreamArn,
      })
      expect(Table?.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }])
      expect(Table?.AttributeDefinitions).toEqual([{ AttributeName: 'pk', AttributeType: 'S' }])
      expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST')
      expect(Table?.StreamSpecification).toEqual({
        StreamEnabled: true,
        StreamViewType: 'KEYS_ONLY',
      })
      expect(ttl.TimeToLiveDescription).toEqual({
        TimeToLiveStatus: 'ENABLED',
        AttributeName: 'ttl',
      })
    } finally {
      dynamodb.destroy()
    }
  })

  it('is accepted as it is when it already exists, even by concurrent callers', async () => {
    const dynamodb = client()
    try {
      const results = await Promise.all([
        ensureTable(dynamodb, 'otp-twice'),
        ensureTable(dynamodb, 'otp-twice'),
      ])
      const again = await ensureTable(dynamodb, 'otp-twice')

      expect(results.map((r) => r.created).sort()).toEqual([false, true])
      expect(again.created).toBe(false)
      expect(again.streamArn).toBe(results[0]?.streamArn)
    } finally {
      dynamodb.destroy()
    }
  })

  it('describes itself as the CreateTable request CDK must agree with', () => {
    expect(tableDefinition('x')).toEqual({
      TableName: 'x',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
    })
  })

  it('gives a table kept from before the stream became keys-only a keys-only stream', async () => {
    const dynamodb = client()
    try {
      await dynamodb.send(
        new CreateTableCommand({
          ...tableDefinition('otp-older'),
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      )
      const before = await dynamodb.send(new DescribeTableCommand({ TableName: 'otp-older' }))

      const info = await ensureTable(dynamodb, 'otp-older')

      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'otp-older' }))
      expect(info).toMatchObject({ created: false, streamArn: Table?.LatestStreamArn })
      expect(info.streamArn).not.toBe(before.Table?.LatestStreamArn)
      expect(Table?.StreamSpecification).toEqual({
        StreamEnabled: true,
        StreamViewType: 'KEYS_ONLY',
      })
    } finally {
      dynamodb.destroy()
    }
  })
})
